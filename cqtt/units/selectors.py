from django.db.models import QuerySet

from cqtt.core.text import search_terms

from .models import Office, Unit, UnitLevel


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


def office_of(*, unit: Unit) -> Office | None:
    """The unit's one-stop office, if it has one (no query when it was read with the unit, present or not)."""
    try:
        return unit.office
    except Office.DoesNotExist:
        return None


def unit_by_code(*, code: str) -> Unit | None:
    """The unit with this code (codes are unique), or None."""
    return Unit.objects.filter(code=code).order_by().first() if code and "\x00" not in code else None
