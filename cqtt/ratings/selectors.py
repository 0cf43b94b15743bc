"""Reads of the ratings: the kiosk's state, summaries from the tallies, scorecards of an officer and a unit, the
leader's list of ratings to review. Staff reads are scoped to the units where the user works."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import QuerySet, Sum
from django.utils import timezone

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import user_roles_in, visible_unit_ids
from cqtt.dossiers.models import Dossier
from cqtt.units.models import Counter, Unit

from . import rules
from .defaults import CODES, DEFAULT_CODES
from .models import Kiosk, KioskPrompt, Level, Rating, RatingSettings, RatingTally, Review

PROMPT_MINUTES = 10
LEADERS = frozenset({Role.LEADER, Role.PROVINCIAL_SUPERVISOR, Role.UNIT_ADMIN})


def kiosk_for(*, counter_id: int, secret: str) -> Kiosk | None:
    """The counter's kiosk if the device holds its secret."""
    if not secret or len(secret) > 100:
        return None
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return (
        Kiosk.objects.select_related("counter__office__unit")
        .filter(counter_id=counter_id, secret_hash=digest)
        .first()
    )


def counter_public(counter_id: int) -> Counter | None:
    return (
        Counter.objects.select_related("office__unit").filter(pk=counter_id, is_active=True).first()
        if 0 < counter_id < 2**31
        else None
    )


def kiosk_prompt(*, counter: Counter, at: dt.datetime) -> KioskPrompt | None:
    """The newest prompt of the counter, if recent and its dossier is not rated yet."""
    prompt = (
        KioskPrompt.objects.select_related("dossier__procedure", "officer")
        .filter(counter=counter, created_at__gte=at - dt.timedelta(minutes=PROMPT_MINUTES))
        .order_by("-created_at", "-pk")
        .first()
    )
    if prompt is None or Rating.objects.filter(dossier_id=prompt.dossier_id).exists():
        return None
    return prompt


def prompt_of_counter(*, counter: Counter, prompt_id: int) -> KioskPrompt | None:
    """A prompt this counter was given (a queued rating may answer an older one)."""
    return (
        KioskPrompt.objects.select_related("dossier__receiving_unit")
        .filter(pk=prompt_id, counter=counter)
        .first()
    )


def dossier_by_token(token: str) -> Dossier | None:
    if not token or len(token) > 32 or "\x00" in token:
        return None
    return Dossier.objects.select_related("procedure", "receiving_unit").filter(lookup_token=token).first()


def rating_of(dossier_id: int) -> Rating | None:
    return Rating.objects.filter(dossier_id=dossier_id).first()


# --- summaries ---------------------------------------------------------------------------------------------------


def _units_under(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=unit.path)


def summary(*, unit: Unit, start: dt.date, end: dt.date) -> dict:
    """Counted ratings of the unit and the units under it in [start, end) months, from the tallies:
    `{count, by_level, satisfaction_rate, by_officer: [{username, count, satisfaction_rate}]}`."""
    rows = list(
        RatingTally.objects.filter(month__gte=start, month__lt=end, unit__in=_units_under(unit))
        .values("officer_key", "level")
        .annotate(n=Sum("count"))
        .order_by()
    )
    by_level = {level: 0 for level in Level.values}
    officers: dict[int, dict[str, int]] = {}
    for r in rows:
        if r["n"] <= 0:
            continue
        by_level[r["level"]] = by_level.get(r["level"], 0) + r["n"]
        officers.setdefault(r["officer_key"], {}).setdefault(r["level"], 0)
        officers[r["officer_key"]][r["level"]] += r["n"]
    names = dict(User.objects.filter(pk__in=[k for k in officers if k]).values_list("pk", "username"))
    by_officer = [
        {
            "username": names.get(key, ""),
            "count": sum(levels.values()),
            "satisfaction_rate": rules.satisfaction_rate(levels),
        }
        for key, levels in officers.items()
        if key and key in names
    ]
    by_officer.sort(key=lambda o: (-o["count"], o["username"]))
    return {
        "count": sum(by_level.values()),
        "by_level": by_level,
        "satisfaction_rate": rules.satisfaction_rate(by_level),
        "by_officer": by_officer,
    }


def _period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end, dt.time.min, tzinfo=tz),
    )


def scorecard(*, ratings: QuerySet[Rating]) -> dict:
    """TT 01/2018 Art. 15 over the given counted ratings: each indicator's average (one decimal), the officer's
    total of indicators 1, 2, 3, 4, 7 and its classification, and the satisfaction by level."""
    rows = list(ratings.exclude(review=Review.EXCLUDED).values_list("level", *rules.INDICATORS))
    by_level: dict[str, int] = {level: 0 for level in Level.values}
    columns: dict[str, list[int]] = {k: [] for k in rules.INDICATORS}
    for level, *values in rows:
        by_level[level] = by_level.get(level, 0) + 1
        for key, value in zip(rules.INDICATORS, values, strict=True):
            if value is not None:
                columns[key].append(value)
    averages = {k: rules.indicator_average(v) for k, v in columns.items()}
    total = rules.officer_total(averages)
    return {
        "count": len(rows),
        "by_level": by_level,
        "satisfaction_rate": rules.satisfaction_rate(by_level),
        "indicators": averages,
        "total": total,
        "classification": rules.officer_class(total),
    }


def officer_ratings(*, officer: User, start: dt.date, end: dt.date) -> QuerySet[Rating]:
    lo, hi = _period_bounds(start, end)
    return Rating.objects.filter(officer=officer, rated_at__gte=lo, rated_at__lt=hi)


def unit_ratings(*, unit: Unit, start: dt.date, end: dt.date) -> QuerySet[Rating]:
    lo, hi = _period_bounds(start, end)
    return Rating.objects.filter(unit=unit, rated_at__gte=lo, rated_at__lt=hi)


def officer_comments(*, officer: User, start: dt.date, end: dt.date) -> list[tuple[str, str, list[str]]]:
    """What citizens wrote about the officer, without the dossier, the time or anything that tells who wrote
    it (ratings are anonymous to the officer rated): (level, comment, reasons), newest period first, shuffled
    within by level."""
    rows = (
        officer_ratings(officer=officer, start=start, end=end)
        .exclude(review=Review.EXCLUDED)
        .exclude(comment="")
        .order_by("level", "comment")
        .values_list("level", "comment", "reasons")
    )
    return list(rows)


# --- staff lists -------------------------------------------------------------------------------------------------


def rating_units_for(user) -> QuerySet[Unit]:
    """Units whose ratings the user may read in full (leaders, unit admins, provincial supervisors)."""
    ids = visible_unit_ids(user)
    qs = Unit.objects.all() if ids is None else Unit.objects.filter(pk__in=ids)
    return qs.order_by("path")


def may_read_unit(user, unit: Unit) -> bool:
    return bool(user_roles_in(user, unit) & LEADERS)


def ratings_for(*, user, unit: Unit, review: str | None = None) -> QuerySet[Rating]:
    """The unit's ratings for its leaders (flagged first when asked); nothing for other roles."""
    if not may_read_unit(user, unit):
        return Rating.objects.none()
    qs = Rating.objects.filter(unit=unit)
    if review:
        qs = qs.filter(review=review)
    return qs.select_related("dossier__procedure", "officer", "counter").order_by("-rated_at", "-pk")


def rating_for(*, user, pk: int) -> Rating | None:
    rating = Rating.objects.select_related("unit", "dossier", "officer").filter(pk=pk).first()
    if rating is None or not may_read_unit(user, rating.unit):
        return None
    return rating


def counters_for_admin(*, user, unit: Unit) -> list[Counter]:
    """The unit's counters with their kiosks, for its administrator."""
    if Role.UNIT_ADMIN not in user_roles_in(user, unit) and not user.is_superuser:
        return []
    return list(
        Counter.objects.filter(office__unit=unit).select_related("kiosk", "office").order_by("number")
    )


def unit_officers(*, unit: Unit) -> QuerySet[User]:
    """Staff who were rated at the unit."""
    ids = Rating.objects.filter(unit=unit).values("officer_id")
    return User.objects.filter(pk__in=ids).order_by("full_name", "username")


def conduct_codes_public(*, unit: Unit) -> list[dict]:
    """The conduct codes the unit adopted (its rating settings, the defaults when it has none), each with the
    rules it lists — for the unit's public page."""
    chosen = RatingSettings.objects.filter(unit=unit).values_list("codes", flat=True).first()
    keys = DEFAULT_CODES if chosen is None else chosen
    return [
        {"key": c.key, "label": c.label, "rules": [r.label for r in c.reasons]}
        for c in CODES
        if c.key in keys
    ]
