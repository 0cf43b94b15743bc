"""Reads for the working-day calendar: the cached calendar per province, a unit's schedule, due dates."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models import Count, Max, Q

from cqtt.core.text import fold, search_terms
from cqtt.units.models import Unit

from . import rules
from .models import CalendarOverride, WorkSchedule

_lock = threading.Lock()
_cache: dict[tuple, tuple[tuple, rules.Calendar]] = {}
_checked: dict[tuple, float] = {}  # key → monotonic time of the last generation check
_schedules: dict[int, rules.Schedule] = {}  # unit id → its schedule (default included)
_schedule_state: dict[str, object] = {"generation": None, "checked": 0.0}


def calendar_cache_clear() -> None:
    """Drop every cached calendar (the services call it when an override changes)."""
    with _lock:
        _cache.clear()
        _checked.clear()
        _schedules.clear()
        _schedule_state.update(generation=None, checked=0.0)


def calendar_years() -> tuple[int, int]:
    first, last = settings.WORKDAYS["YEARS"]
    return int(first), int(last)


@lru_cache(maxsize=4)
def _library(first: int, last: int) -> tuple[dict[date, str], frozenset[date]]:
    lib = holidays.country_holidays("VN", language="vi", years=range(first, last + 1))
    days = {d: name for d, name in lib.items() if first <= d.year <= last}
    workdays = frozenset(d for d in lib.weekend_workdays if first <= d.year <= last)
    return days, workdays


def _generation(model=CalendarOverride) -> tuple:
    """A cheap fingerprint of a table's contents (rows, last change, last id): it moves on every write."""
    agg = model.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    return agg["n"], agg["last"], agg["top"]


def calendar_for(province_code: str | None = None) -> rules.Calendar:
    """The working-day calendar of a province (None = national): `holidays` VN + national + province overrides.
    Cached in-process. Changes made in this process clear the cache at once; changes made by another process
    are seen within `WORKDAYS["RECHECK_SECONDS"]` (one cheap aggregate query per recheck)."""
    first, last = calendar_years()
    key = (province_code or "", first, last)
    hit = _cache.get(key)
    recheck = float(settings.WORKDAYS.get("RECHECK_SECONDS", 5))
    now = time.monotonic()
    if hit is not None and now - _checked.get(key, 0) < recheck:
        return hit[1]
    generation = _generation()
    if hit is not None and hit[0] == generation:
        _checked[key] = now
        return hit[1]
    scope = Q(province__isnull=True)
    if province_code:
        scope |= Q(province__code=province_code)
    overrides = [
        rules.OverrideSpec(
            date=o.date,
            kind=o.kind,
            name=o.name,
            note=o.note,
            province_code=o.province.code if o.province_id else None,
        )
        for o in CalendarOverride.objects.filter(
            scope, date__year__gte=first, date__year__lte=last
        ).select_related("province")
    ]
    library_days, library_workdays = _library(first, last)
    calendar = rules.build_calendar(
        first, last, library_holidays=library_days, library_workdays=library_workdays, overrides=overrides
    )
    with _lock:
        _cache[key] = (generation, calendar)
        _checked[key] = now
    return calendar


def default_schedule() -> rules.Schedule:
    conf = settings.WORKDAYS
    return rules.Schedule(
        morning_start=rules.parse_hhmm(conf["MORNING"][0]),
        morning_end=rules.parse_hhmm(conf["MORNING"][1]),
        afternoon_start=rules.parse_hhmm(conf["AFTERNOON"][0]),
        afternoon_end=rules.parse_hhmm(conf["AFTERNOON"][1]),
        cutoff=rules.parse_hhmm(conf["CUTOFF"]),
        count_receipt_day=bool(conf.get("COUNT_RECEIPT_DAY", False)),
    )


def schedule_for(unit: Unit | None = None) -> rules.Schedule:
    """The unit's own WorkSchedule, else the defaults of settings.WORKDAYS. Cached in-process like the
    calendars: another process's change is seen within `WORKDAYS["RECHECK_SECONDS"]` (0 = no cache)."""
    if unit is None or unit.pk is None:
        return default_schedule()
    recheck = float(settings.WORKDAYS.get("RECHECK_SECONDS", 5))
    if recheck <= 0:
        return _schedule_from_db(unit)
    now = time.monotonic()
    if now - float(_schedule_state["checked"]) >= recheck:
        generation = _generation(WorkSchedule)
        with _lock:
            if generation != _schedule_state["generation"]:
                _schedules.clear()
            _schedule_state.update(generation=generation, checked=now)
    hit = _schedules.get(unit.pk)
    if hit is None:
        hit = _schedules[unit.pk] = _schedule_from_db(unit)
    return hit


def _schedule_from_db(unit: Unit) -> rules.Schedule:
    default = default_schedule()
    ws = WorkSchedule.objects.filter(unit=unit).first()
    if ws is None:
        return default
    return rules.Schedule(
        morning_start=ws.morning_start,
        morning_end=ws.morning_end,
        afternoon_start=ws.afternoon_start,
        afternoon_end=ws.afternoon_end,
        cutoff=ws.cutoff,
        count_receipt_day=default.count_receipt_day,
    )


def workday_unit_get(code: str) -> Unit | None:
    """An active unit by code, for choosing whose calendar and hours apply (public data)."""
    return Unit.objects.filter(code=code, is_active=True).first()


def workday_unit_choices() -> list[tuple[str, str]]:
    """(code, name) of provinces and of units with their own office hours, for the page's datalist."""
    units = Unit.objects.filter(Q(level="province") | Q(work_schedule__isnull=False), is_active=True)
    return list(units.order_by("path").values_list("code", "full_name"))


def due_for(
    received_at: datetime,
    amount: Decimal | int,
    unit: str,
    unit_obj: Unit | None = None,
    *,
    explain: bool = True,
) -> rules.DueResult:
    """Due date for a receipt at a unit (None = national calendar, default hours). Raises rules.OutOfCalendar /
    rules.InvalidAmount / ValueError on bad input."""
    calendar = calendar_for(unit_obj.province_code if unit_obj is not None else None)
    return rules.compute_due(received_at, amount, unit, calendar, schedule_for(unit_obj), explain=explain)


def workday_unit_find(query: str) -> list[Unit]:
    """Units matching a code exactly, else provinces/communes whose name contains every folded word (≤ 2)."""
    by_code = workday_unit_get(query)
    if by_code is not None:
        return [by_code]
    terms = search_terms(query)
    if not terms:
        return []
    qs = Unit.objects.filter(is_active=True, level__in=["province", "commune"])
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    found = list(qs.order_by("path")[:2])
    folded = fold(query)
    exact = [u for u in found if folded in (fold(u.name), fold(u.full_name))]
    return exact[:1] if len(exact) == 1 else found
