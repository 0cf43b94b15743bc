from django.contrib import admin
from django.core.exceptions import PermissionDenied

from cqtt.accounts.admin_scope import ScopedInlineMixin, UnitScopedAdminMixin
from cqtt.accounts.permissions import require_admin_of

from .models import Counter, Office, Unit
from .services import counter_save, counter_set_officers, office_save, unit_save


class CounterInline(ScopedInlineMixin, admin.TabularInline):
    model = Counter
    extra = 0
    filter_horizontal = ["officers"]
    can_delete = False  # a counter is closed by unticking "đang hoạt động" (its history stays)


@admin.register(Unit)
class UnitAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    unit_path_field = "path"
    list_display = ("code", "full_name", "level", "kind", "parent", "is_active")
    list_filter = ("level", "kind", "is_active")
    search_fields = ("code", "name", "full_name", "search_text")
    autocomplete_fields = ["parent"]
    readonly_fields = ("path", "province_code", "dossier_prefix")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        # national data: dossier codes and the public lookup rest on them
        return (*fields, "digital_id") if obj is None else (*fields, "code", "digital_id")

    def save_model(self, request, obj, form, change):
        # the form only offers reachable parents; the check stands behind it
        require_admin_of(request.user, obj.parent if obj.parent_id else None)
        if not obj.parent_id and not request.user.is_superuser:
            raise PermissionDenied
        unit_save(unit=obj, actor=request.user)


@admin.register(Office)
class OfficeAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "unit", "kind", "phone")
    search_fields = ("name", "unit__name", "unit__code")
    autocomplete_fields = ["unit"]
    inlines = [CounterInline]

    def save_model(self, request, obj, form, change):
        require_admin_of(request.user, obj.unit)
        office_save(office=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        # counters go through counter_save (audit event), not formset.save()
        for counter in formset.save(commit=False):
            counter.office = form.instance
            counter_save(counter=counter, actor=request.user)
        for inline_form in formset.forms:
            if inline_form.instance.pk and "officers" in inline_form.changed_data:
                counter_set_officers(
                    counter=inline_form.instance,
                    officers=inline_form.cleaned_data["officers"],
                    actor=request.user,
                )


@admin.register(Counter)
class CounterAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    unit_path_field = "office__unit__path"
    list_display = ("__str__", "office", "is_active")
    filter_horizontal = ["officers"]

    def save_model(self, request, obj, form, change):
        require_admin_of(request.user, obj.office.unit)
        counter_save(counter=obj, actor=request.user)

    def save_related(self, request, form, formsets, change):
        counter_set_officers(
            counter=form.instance, officers=form.cleaned_data["officers"], actor=request.user
        )
