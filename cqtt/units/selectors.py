import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from cqtt.core.text import search_terms

from . import rules
from .models import Camera, Counter, FootageRequest, FootageStatus, Office, Unit, UnitLevel


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


# --- counter cameras and footage requests (the interfaces check the reader's roles first) ----------------------


def counters_of(*, unit: Unit) -> QuerySet[Counter]:
    """The active counters of the unit's one-stop office."""
    return Counter.objects.filter(office__unit=unit, is_active=True).order_by("number")


def counter_of(*, unit: Unit, pk: int | str) -> Counter | None:
    return counters_of(unit=unit).filter(pk=pk).first() if str(pk).isdigit() else None


def cameras_of(*, unit: Unit) -> QuerySet[Camera]:
    """The register of the unit's counter cameras, by counter."""
    return (
        Camera.objects.filter(counter__office__unit=unit)
        .select_related("counter")
        .order_by("counter__number", "name", "pk")
    )


def camera_of(*, unit: Unit, pk: int | str) -> Camera | None:
    return cameras_of(unit=unit).filter(pk=pk).first() if str(pk).isdigit() else None


def footage_requests_of(*, unit: Unit, status: str | None = None) -> QuerySet[FootageRequest]:
    qs = FootageRequest.objects.filter(counter__office__unit=unit)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("counter", "officer").prefetch_related("cameras").order_by("-starts_at", "-pk")


def footage_request_of(*, unit: Unit, pk: int | str) -> FootageRequest | None:
    return footage_requests_of(unit=unit).filter(pk=pk).first() if str(pk).isdigit() else None


def footage_due_soon(*, unit: Unit, now: dt.datetime | None = None) -> QuerySet[FootageRequest]:
    """Open requests whose footage the first recorder overwrites within the reminder's days, soonest first."""
    now = now or timezone.now()
    return (
        footage_requests_of(unit=unit, status=FootageStatus.OPEN)
        .filter(
            retention_ends_at__gt=now, retention_ends_at__lte=now + dt.timedelta(days=rules.REMINDER_DAYS)
        )
        .order_by("retention_ends_at", "pk")
    )


def unit_public(*, code: str) -> Unit | None:
    """An active commune or province by its code, for its public page (None for a bad or unknown code)."""
    if not code or len(code) > 32 or "\x00" in code:
        return None
    return (
        Unit.objects.filter(code=code, is_active=True, level__in=(UnitLevel.COMMUNE, UnitLevel.PROVINCE))
        .select_related("parent", "office")
        .order_by()
        .first()
    )


def camera_get(*, pk: int) -> Camera | None:
    """A camera with its counter and unit (the interface checks the reader's roles in that unit)."""
    return Camera.objects.select_related("counter__office__unit").filter(pk=pk).first()


def footage_request_get(*, pk: int) -> FootageRequest | None:
    return FootageRequest.objects.select_related("counter__office__unit").filter(pk=pk).first()
