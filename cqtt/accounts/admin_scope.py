"""Admin mixin: a unit administrator (is_staff, not superuser) sees and edits only rows of units it reaches."""

from .permissions import unit_scope_q


class UnitScopedAdminMixin:
    #: path to the unit's `path` field from this model, e.g. "unit__path" or "path"
    unit_path_field = "unit__path"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(unit_scope_q(request.user, path_field=self.unit_path_field))
