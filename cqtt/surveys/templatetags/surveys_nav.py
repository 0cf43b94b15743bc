"""`{% load surveys_nav %}{% surveys_nav_allowed user "campaigns" as allowed %}`: whether the staff navigation
links to the surveys' campaigns (or "forms"); the template of the staff home asks, so the accounts app does not
import this one."""

from django import template

from cqtt.surveys.selectors import FORM_ROLES, READ_ROLES, may_use_surveys

register = template.Library()


@register.simple_tag
def surveys_nav_allowed(user, part: str = "campaigns") -> bool:
    roles = FORM_ROLES if part == "forms" else READ_ROLES
    return bool(getattr(user, "is_authenticated", False)) and may_use_surveys(user, roles)
