from django.db.models import QuerySet

from cqtt.core.fastsql import Precompiled
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


_OFFICE = Precompiled(lambda unit_id: Office.objects.filter(unit_id=unit_id).order_by()[:1])


def office_of(*, unit: Unit) -> Office | None:
    """The unit's one-stop office, if it has one."""
    cache = unit._state.fields_cache
    if "office" in cache:  # read with the unit (select_related), present or not
        return cache["office"]
    rows = _OFFICE(unit_id=unit.pk)
    return rows[0] if rows else None


_BY_CODE = Precompiled(lambda code: Unit.objects.filter(code=code).order_by()[:1])


def unit_by_code(*, code: str) -> Unit | None:
    """The unit with this code (codes are unique), or None."""
    rows = _BY_CODE(code=code)
    return rows[0] if rows else None
