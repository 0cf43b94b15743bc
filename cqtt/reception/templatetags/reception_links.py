"""`{% load reception_links %}` — `user|may_open_reception`: whether the staff home links to the reception pages
(a staff role or the read-only observer in some unit)."""

from django import template

from cqtt.reception.selectors import reception_units

register = template.Library()


@register.filter
def may_open_reception(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and reception_units(user))
