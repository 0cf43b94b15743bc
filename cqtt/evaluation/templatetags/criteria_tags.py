"""`{% load criteria_tags %}`: `errors|field_errors:"name"`, `values|typed:"name"`, `points` (7.50 → 7,5)."""

from django import template

from cqtt.evaluation.criteria_rules import fmt_points

register = template.Library()


@register.filter
def field_errors(errors, name) -> list:
    return (errors or {}).get(str(name), [])


@register.filter
def typed(values, name) -> str:
    return (values or {}).get(str(name), "") if values else ""


@register.filter
def points(value) -> str:
    return fmt_points(value)


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


@register.filter
def may_open_criteria(user) -> bool:
    """Whether the staff home links to the model's criteria pages (leaders, specialists, observers, the
    province's team)."""
    from cqtt.evaluation.criteria_selectors import may_use_criteria

    return bool(getattr(user, "is_authenticated", False)) and may_use_criteria(user)
