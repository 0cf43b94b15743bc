import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqtt.accounts.permissions import unit_scope_q, visible_units

from .models import Fee, Procedure, ProcedureField, ProcessStep, RequiredDocument
from .services import (
    procedure_document_save,
    procedure_fee_save,
    procedure_field_save,
    procedure_new_version,
    procedure_part_delete,
    procedure_save,
    procedure_set_units,
    procedure_step_save,
)


@admin.register(ProcedureField)
class ProcedureFieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")

    def save_model(self, request, obj, form, change):
        procedure_field_save(field=obj, actor=request.user)


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ("order", "name", "kind", "count", "blank_form", "note")


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0
    fields = ("order", "name", "amount", "exemptions")


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    fields = ("order", "name", "role", "allotted_days")


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "duration_text", "online_level", "valid_from", "valid_to")
    list_filter = ("field", "online_level", "life_event", "competent_level")
    search_fields = ("code", "name", "search_text")
    date_hierarchy = "valid_from"
    autocomplete_fields = ["units"]
    inlines = [RequiredDocumentInline, FeeInline, ProcessStepInline]
    actions = ["open_new_version"]

    @admin.display(description=_("thời hạn giải quyết"))
    def duration_text(self, obj: Procedure) -> str:
        return obj.duration_text

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("field")
        if request.user.is_superuser:
            return qs
        return qs.filter(
            pk__in=Procedure.objects.filter(unit_scope_q(request.user, path_field="units__path")).values("pk")
        )

    def _shared_beyond_reach(self, request, obj) -> bool:
        """A version also offered by units the user does not reach is read-only for it (as in the import)."""
        if obj is None or request.user.is_superuser:
            return False
        return obj.units.exclude(pk__in=visible_units(request.user).values("pk")).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._shared_beyond_reach(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._shared_beyond_reach(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "units" and not request.user.is_superuser:
            kwargs["queryset"] = visible_units(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        procedure_save(procedure=obj, actor=request.user)

    def save_related(self, request, form, formsets, change):
        # units, documents and fees go through the services instead of form.save_m2m()/formset.save()
        procedure_set_units(procedure=form.instance, units=form.cleaned_data["units"], actor=request.user)
        for formset in formsets:
            parts = formset.save(commit=False)
            for part in formset.deleted_objects:
                procedure_part_delete(part=part, actor=request.user)
            for part in parts:
                part.procedure = form.instance
                if isinstance(part, RequiredDocument):
                    procedure_document_save(document=part, actor=request.user)
                elif isinstance(part, ProcessStep):
                    procedure_step_save(step=part, actor=request.user)
                else:
                    procedure_fee_save(fee=part, actor=request.user)

    @admin.action(description=_("Mở phiên bản mới có hiệu lực từ hôm nay"))
    def open_new_version(self, request, queryset):
        today: dt.date = timezone.localdate()
        for procedure in queryset:
            if self._shared_beyond_reach(request, procedure):
                self.message_user(
                    request,
                    _("%(c)s cũng do đơn vị khác thực hiện; chỉ quản trị hệ thống được mở phiên bản mới.")
                    % {"c": procedure.code},
                    messages.ERROR,
                )
                continue
            try:
                procedure_new_version(previous=procedure, valid_from=today, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{procedure.code}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Đã mở phiên bản mới của %(c)s.") % {"c": procedure.code})
