from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "actor", "action", "object_type", "object_id", "unit_code", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "unit_code", "summary")
    date_hierarchy = "occurred_at"

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
