"""`{% load evaluation_links %}` — `user|may_open_evaluation`: whether the staff home links to the evaluation pages."""

from django import template

from cqtt.evaluation.selectors import may_read

register = template.Library()


@register.filter
def may_open_evaluation(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and may_read(user)
