from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


def _shown(value) -> str:
    return "∅" if value is None or value == "" else str(value)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "actor", "action", "object_type", "object_id", "unit_code", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "unit_code", "summary")
    date_hierarchy = "occurred_at"
    fields = (
        "occurred_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "unit_code",
        "summary",
        "changes_table",
        "data",
    )
    readonly_fields = fields

    @admin.display(description=_("thay đổi (cũ → mới)"))
    def changes_table(self, obj):
        if not obj.changes:
            return "—"
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>→</td><td>{}</td></tr>",
            ((name, _shown(old), _shown(new)) for name, (old, new) in sorted(obj.changes.items())),
        )
        return format_html('<table class="audit-changes">{}</table>', rows)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def form_candidate(form):
    """A copy of a ModelForm's instance carrying its cleaned values (for a service's checks in `clean()`, before
    Django fills the instance itself). Plain and foreign-key fields only."""
    import copy

    candidate = copy.copy(form.instance)
    for name, value in form.cleaned_data.items():
        if name in form._meta.fields:
            setattr(candidate, name, value)
    return candidate
