"""The staff home's link to the counter-camera pages, for those who may read them in their home unit."""

from django import template

from cqtt.accounts.permissions import user_roles_in

register = template.Library()


@register.filter
def may_open_cameras(user) -> bool:
    from cqtt.units.views import READERS

    unit = getattr(user, "unit", None)
    return bool(unit is not None and unit.is_active and user_roles_in(user, unit) & READERS)
