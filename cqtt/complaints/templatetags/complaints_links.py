"""`{% load complaints_links %}` — `user|may_open_complaints`: whether the staff home links to the case book."""

from django import template

from cqtt.complaints.selectors import may_open

register = template.Library()


@register.filter
def may_open_complaints(user) -> bool:
    return may_open(user)
