"""`{% load letters_links %}` — whether the staff home links the letters (the list's own role check)."""

from django import template

from cqtt.letters.selectors import STAFF_ROLES
from cqtt.notifications.selectors import units_for

register = template.Library()


@register.filter
def may_open_letters(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and units_for(user, STAFF_ROLES))
