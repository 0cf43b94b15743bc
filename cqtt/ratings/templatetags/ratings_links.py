"""`{% load ratings_links %}` — whether the staff home links a unit's ratings (the summary page's role check)."""

from django import template

from cqtt.notifications.selectors import units_for
from cqtt.ratings.views import STAFF_ROLES

register = template.Library()


@register.filter
def may_read_unit_ratings(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and units_for(user, STAFF_ROLES))
