"""`{% load dialogues_links %}` — `user|may_open_dialogues`: whether the staff home links to the dialogues pages
(any role reaching a commune: the Fatherland Front's observer reads them too)."""

from django import template

from cqtt.dialogues.selectors import dialogue_units

register = template.Library()


@register.filter
def may_open_dialogues(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and dialogue_units(user))
