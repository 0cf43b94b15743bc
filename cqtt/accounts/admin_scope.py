"""Admin mixin: a unit administrator (is_staff, not superuser) sees, chooses and edits only rows of the units it
reaches. Filtering the change list is not enough: every foreign-key and many-to-many choice is limited too, so a
posted id of another unit's row fails form validation."""

from django.contrib.auth import get_user_model

from cqtt.units.models import Counter, Office, Unit

from .permissions import unit_scope_q, visible_units


def scoped_choices(user, model):
    """The rows of `model` a non-superuser may pick in a form, or None when the model is not unit data."""
    units = visible_units(user)
    if model is Unit:
        return units
    if model is get_user_model():
        return get_user_model().objects.filter(unit__in=units, is_superuser=False)
    if model is Office:
        return Office.objects.filter(unit__in=units)
    if model is Counter:
        return Counter.objects.filter(office__unit__in=units)
    return None


class ScopedChoicesMixin:
    """For a non-superuser, every foreign-key and many-to-many choice of unit data is limited to reachable rows
    (admin classes and inlines alike)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            choices = scoped_choices(request.user, db_field.related_model)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            choices = scoped_choices(request.user, db_field.related_model)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


ScopedInlineMixin = ScopedChoicesMixin


class ServiceDeletesMixin:
    """Deletes in the admin go through a service, like every other write: a class that names one sets
    `delete_service = True` and overrides `delete_model`; the bulk "delete selected" action then calls it for
    each row. A class without one deletes nothing here (deactivate the row instead)."""

    delete_service = False

    def has_delete_permission(self, request, obj=None):
        return self.delete_service and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class UnitScopedAdminMixin(ServiceDeletesMixin, ScopedChoicesMixin):
    #: path to the unit's `path` field from this model, e.g. "unit__path" or "path"
    unit_path_field = "unit__path"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return self.scope_queryset(request, qs)

    def scope_queryset(self, request, qs):
        """The rows a non-superuser sees: those of the units it reaches (a model with its own selector scope
        overrides this with it)."""
        return qs.filter(unit_scope_q(request.user, path_field=self.unit_path_field))
