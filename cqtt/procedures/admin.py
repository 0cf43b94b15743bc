import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqtt.accounts.admin_scope import ServiceDeletesMixin
from cqtt.accounts.permissions import unit_scope_q, visible_units
from cqtt.core.text import nfc

from .models import Fee, Procedure, ProcedureField, ProcessStep, RequiredDocument
from .selectors import procedure_version_editable
from .services import (
    procedure_document_save,
    procedure_fee_save,
    procedure_field_save,
    procedure_new_version,
    procedure_ownership_problems,
    procedure_part_delete,
    procedure_save,
    procedure_step_save,
)


@admin.register(ProcedureField)
class ProcedureFieldAdmin(ServiceDeletesMixin, admin.ModelAdmin):
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


class ProcedureAdminForm(forms.ModelForm):
    """Applies the catalogue import's ownership rules before anything is saved (`procedure_save` checks them
    again)."""

    actor = None  # set per request by ProcedureAdmin.get_form

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "field",
            "competent_level",
            "duration_amount",
            "duration_unit",
            "legal_basis",
            "result",
            "online_level",
            "life_event",
            "valid_from",
            "valid_to",
            "units",
        ]

    def clean(self):
        data = super().clean()
        units = list(data["units"]) if "units" in data and data["units"] is not None else None
        problems = procedure_ownership_problems(
            code=nfc(data.get("code") or ""), pk=self.instance.pk, units=units, actor=self.actor
        )
        for field, message in problems.items():
            self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(Procedure)
class ProcedureAdmin(ServiceDeletesMixin, admin.ModelAdmin):  # versions are closed (valid_to), not deleted
    form = ProcedureAdminForm
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
        """A version also offered by units the user does not administer, or by every unit (no units), is
        read-only for it (as in the import)."""
        if obj is None or request.user.is_superuser:
            return False
        return not procedure_version_editable(user=request.user, procedure=obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._shared_beyond_reach(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._shared_beyond_reach(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "units" and not request.user.is_superuser:
            kwargs["queryset"] = visible_units(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        units = form.cleaned_data.get("units") if "units" in form.cleaned_data else None
        procedure_save(procedure=obj, actor=request.user, units=units)

    def save_related(self, request, form, formsets, change):
        # units were set by procedure_save; documents, fees and steps go through the services instead of
        # formset.save()
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
