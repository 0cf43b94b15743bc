"""`{% load reception_links %}` — `user|may_open_reception`: whether the staff home links to the reception pages."""

from django import template

register = template.Library()


@register.filter
def may_open_reception(user) -> bool:
    return False
