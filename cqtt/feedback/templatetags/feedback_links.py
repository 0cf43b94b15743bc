"""`{% load feedback_links %}` — `user|may_open_feedback`: whether the staff home shows the feedback inbox link
(staff roles in some unit; not the read-only observer, who is refused the inbox)."""

from django import template

from cqtt.feedback.selectors import inbox_units

register = template.Library()


@register.filter
def may_open_feedback(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and inbox_units(user))
