from django.db.models import QuerySet

from cqtt.core.text import search_terms

from .models import Unit, UnitLevel


def unit_list_public(
    *, type: str | None = None, parent: str | None = None, q: str | None = None
) -> QuerySet[Unit]:
    """Provinces and communes of the national list (public data), filtered; departments are not listed."""
    qs = Unit.objects.filter(is_active=True, level__in=[UnitLevel.PROVINCE, UnitLevel.COMMUNE])
    if type:
        qs = qs.filter(level=type)
    if parent:
        qs = qs.filter(parent__code=parent)
    for term in search_terms(q):
        qs = qs.filter(search_text__contains=term)
    return qs.select_related("parent").order_by("path")
