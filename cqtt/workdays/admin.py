from django import forms
from django.contrib import admin

from cqtt.accounts.admin_scope import ServiceDeletesMixin, UnitScopedAdminMixin
from cqtt.core.admin import form_candidate

from . import rules
from .models import CalendarOverride, WorkSchedule
from .services import override_delete, override_errors, override_save, schedule_save


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "kind", "province", "name", "reference", "note"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            for field, message in override_errors(form_candidate(self)).items():
                self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ServiceDeletesMixin, admin.ModelAdmin):
    form = CalendarOverrideForm
    list_display = ("date", "kind", "name", "province", "reference")
    list_filter = ("kind", ("province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "reference", "note")
    date_hierarchy = "date"
    autocomplete_fields = ["province"]

    def save_model(self, request, obj, form, change):
        override_save(override=obj, actor=request.user)

    delete_service = True

    def delete_model(self, request, obj):
        override_delete(override=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            override_delete(override=obj, actor=request.user)


class WorkScheduleForm(forms.ModelForm):
    class Meta:
        model = WorkSchedule
        fields = ["unit", "morning_start", "morning_end", "afternoon_start", "afternoon_end", "cutoff"]

    def clean(self):
        data = super().clean()
        times = [data.get(f) for f in ("morning_start", "morning_end", "afternoon_start", "afternoon_end")]
        if all(times):
            problem = rules.schedule_problem(*times)
            if problem:
                raise forms.ValidationError(problem)
        return data


@admin.register(WorkSchedule)
class WorkScheduleAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    unit_path_field = "unit__path"
    form = WorkScheduleForm
    list_display = ("unit", "morning_start", "morning_end", "afternoon_start", "afternoon_end", "cutoff")
    search_fields = ("unit__code", "unit__name", "unit__full_name")
    autocomplete_fields = ["unit"]

    def save_model(self, request, obj, form, change):
        schedule_save(schedule=obj, actor=request.user)
