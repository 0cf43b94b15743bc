"""Admin: dossiers are read-only here (every change goes through a service and leaves an event); the unit
administrator keeps the automatic-assignment rules. Rows are scoped to the user's units."""

from django import forms
from django.contrib import admin

from cqtt.accounts.admin_scope import UnitScopedAdminMixin
from cqtt.core.admin import form_candidate

from .models import AssignmentRule, Dossier, DossierEvent, DossierStep
from .selectors import dossier_scope_q
from .services import assignment_rule_problems, assignment_rule_save


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = (
        "seq",
        "kind",
        "name",
        "from_unit",
        "to_unit",
        "to_user",
        "started_at",
        "due_at",
        "completed_at",
        "timeliness",
    )
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ("occurred_at", "actor", "action", "from_status", "to_status", "note")
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    unit_path_field = "receiving_unit__path"
    list_display = ("code", "procedure", "applicant_name", "status", "due_at", "timeliness", "receiving_unit")
    list_filter = ("status", "timeliness", "channel")
    search_fields = ("code", "applicant_name")
    date_hierarchy = "received_at"
    list_select_related = ("procedure", "receiving_unit")
    inlines = [StepInline, EventInline]

    def scope_queryset(self, request, qs):
        # the selectors' scope: receiving, handling or current unit reached by the user's roles
        return qs.filter(dossier_scope_q(request.user))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssignmentRuleForm(forms.ModelForm):
    class Meta:
        model = AssignmentRule
        fields = ["unit", "procedure_code", "field_code", "department", "specialist", "is_active"]

    def clean(self):
        data = super().clean()
        for field, messages in assignment_rule_problems(rule=form_candidate(self)).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    form = AssignmentRuleForm
    list_display = ("unit", "procedure_code", "field_code", "department", "specialist", "is_active")
    list_filter = ("is_active",)
    autocomplete_fields = ["unit", "department", "specialist"]

    def save_model(self, request, obj, form, change):
        assignment_rule_save(rule=obj, actor=request.user)
