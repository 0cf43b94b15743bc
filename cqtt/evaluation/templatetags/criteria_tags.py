"""`{% load criteria_tags %}`: `errors|field_errors:"name"`, `values|typed:"name"`, `points` (7.50 → 7,5), `line_label`
("c2.weight" → "Tiêu chí thứ 2, điểm tối đa")."""

import re

from django import template
from django.utils.translation import gettext as _

from cqtt.evaluation.criteria_rules import fmt_points

register = template.Library()


@register.filter
def field_errors(errors, name) -> list:
    return (errors or {}).get(str(name), [])


@register.filter
def line_label(key) -> str:
    """An error's key `c<n>.<field>` said to the reader: "Tiêu chí thứ 2, điểm tối đa"."""
    found = re.fullmatch(r"c(\d+)\.(\w+)", str(key))
    if found is None:
        return str(key)
    fields = {"code": _("mã"), "weight": _("điểm tối đa"), "formula": _("công thức"), "text": _("nội dung")}
    n, field = found.groups()
    label = _("Tiêu chí thứ %(n)s") % {"n": n}
    return f"{label}, {fields[field]}" if field in fields else label


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
