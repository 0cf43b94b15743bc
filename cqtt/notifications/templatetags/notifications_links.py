"""`{% load notifications_links %}` — whether the staff home links the notices' pages, with the pages' own role
checks: the messages for the staff roles, the wording for leaders and unit administrators."""

from django import template

from cqtt.notifications.selectors import STAFF_ROLES, units_for
from cqtt.notifications.views import TEMPLATE_ROLES

register = template.Library()


@register.filter
def may_open_notices(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and units_for(user, STAFF_ROLES))


@register.filter
def may_edit_notice_templates(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and units_for(user, TEMPLATE_ROLES))
