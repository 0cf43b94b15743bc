"""`{% load evaluation_links %}` — `user|may_open_evaluation`: whether the staff home links to the evaluation pages."""

from django import template

register = template.Library()


@register.filter
def may_open_evaluation(user) -> bool:
    return False
