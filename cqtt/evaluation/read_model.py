"""The evaluation read model: facts per unit and month (`UnitMonthFact`) and per officer (`OfficerMonthFact`).

Kept by outbox consumers: an event names the unit(s) and the month(s) it touched, and the consumer recounts
those (unit, month) slices from the source tables with a few grouped aggregates over the slice (indexed by
unit and time) and replaces their rows. A recount is idempotent by construction — an event handled twice, or a
rebuild followed by a replay, counts once — and `rebuild` is the same aggregates over every unit and month,
replacing the whole read model in one transaction. So "rebuild = incremental" is a property of the code.

Letters emit no outbox event of their own: they are recounted with the dossier's slice on the dossier's next
event (the letters consumer of the same event runs first) and by the rebuild."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cqtt.dialogues.models import Commitment, CommitmentStatus
from cqtt.dossiers.models import Channel, Dossier, Timeliness
from cqtt.feedback.models import FeedbackItem
from cqtt.feedback.models import Status as FeedbackStatus
from cqtt.letters.models import Letter, LetterStatus
from cqtt.ratings.models import Rating, Review

from .indices import LETTER_KINDS, next_month
from .models import FACT_FIELDS, OFFICER_FACT_FIELDS, OfficerMonthFact, UnitMonthFact

Slice = tuple[int, dt.date]
LEVEL_FIELDS = ("very_satisfied", "satisfied", "neutral", "unsatisfied", "very_unsatisfied")
INDICATORS = (1, 2, 3, 4, 7)


def _month(expr: str):
    return TruncMonth(expr, output_field=DateField())


def _bounds(months: Iterable[dt.date]) -> tuple[dt.datetime, dt.datetime]:
    months = sorted(months)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(months[0], dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(next_month(months[-1]), dt.time.min, tzinfo=tz)
    return start, end


def _where(field: str, unit_field: str, slices: set[Slice] | None, *, is_date: bool = False) -> Q:
    if slices is None:
        return Q()
    units = {u for u, _m in slices}
    start, end = _bounds({m for _u, m in slices})
    if is_date:
        start, end = start.date(), end.date()
    return Q(**{f"{unit_field}__in": units, f"{field}__gte": start, f"{field}__lt": end})


def _add(out: dict, rows, unit_key: str, fields: Iterable[str]) -> None:
    for r in rows:
        if r["m"] is None:
            continue
        m = r["m"] if not isinstance(r["m"], dt.datetime) else r["m"].date()
        row = out[(r[unit_key], m)]
        for f in fields:
            row[f] += r[f] or 0


def count_facts(slices: set[Slice] | None = None) -> dict[Slice, dict[str, int]]:
    """The unit facts of the given (unit, month) slices — or of every unit and month — grouped in the database."""
    out: dict[Slice, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FACT_FIELDS, 0))
    dossiers = Dossier.objects.all()
    received = (
        dossiers.filter(_where("received_at", "handling_unit_id", slices), received_at__isnull=False)
        .annotate(m=_month("received_at"))
        .values("handling_unit_id", "m")
        .annotate(received=Count("pk"), online=Count("pk", filter=Q(channel=Channel.ONLINE)))
    )
    _add(out, received, "handling_unit_id", ("received", "online"))
    online, late = Q(channel=Channel.ONLINE), Q(timeliness=Timeliness.LATE)
    finished = (
        dossiers.filter(_where("finished_at", "handling_unit_id", slices), finished_at__isnull=False)
        .exclude(timeliness="")
        .annotate(m=_month("finished_at"))
        .values("handling_unit_id", "m")
        .annotate(
            finished=Count("pk"),
            early=Count("pk", filter=Q(timeliness=Timeliness.EARLY)),
            on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
            late=Count("pk", filter=late),
            online_finished=Count("pk", filter=online),
            online_late=Count("pk", filter=online & late),
        )
    )
    _add(
        out,
        finished,
        "handling_unit_id",
        ("finished", "early", "on_time", "late", "online_finished", "online_late"),
    )
    ratings = (
        Rating.objects.filter(_where("rated_at", "unit_id", slices))
        .exclude(review=Review.EXCLUDED)
        .annotate(m=_month("rated_at"))
        .values("unit_id", "m")
        .annotate(
            rated=Count("pk"),
            **{level: Count("pk", filter=Q(level=level)) for level in LEVEL_FIELDS},
            **_indicator_sums(),
        )
    )
    _add(out, ratings, "unit_id", ("rated", *LEVEL_FIELDS, *_indicator_fields()))
    items = FeedbackItem.objects.exclude(status__in=[FeedbackStatus.REFUSED, FeedbackStatus.MOVED])
    got = (
        items.filter(_where("received_at", "unit_id", slices))
        .annotate(m=_month("received_at"))
        .values("unit_id", "m")
        .annotate(feedback_received=Count("pk"))
    )
    _add(out, got, "unit_id", ("feedback_received",))
    answered = (
        items.filter(
            _where("answered_at", "unit_id", slices), answered_at__isnull=False, on_time__isnull=False
        )
        .annotate(m=_month("answered_at"))
        .values("unit_id", "m")
        .annotate(
            feedback_on_time=Count("pk", filter=Q(on_time=True)),
            feedback_late=Count("pk", filter=Q(on_time=False)),
            likes=Sum("likes"),
            dislikes=Sum("dislikes"),
        )
    )
    _add(out, answered, "unit_id", ("feedback_on_time", "feedback_late", "likes", "dislikes"))
    letters = (
        Letter.objects.filter(_where("created_at", "unit_id", slices))
        .exclude(status=LetterStatus.CANCELLED)
        .annotate(m=_month("created_at"))
        .values("unit_id", "m")
        .annotate(**{f"letters_{k}": Count("pk", filter=Q(kind=k)) for k in LETTER_KINDS})
    )
    _add(out, letters, "unit_id", [f"letters_{k}" for k in LETTER_KINDS])
    commitments = (
        Commitment.objects.filter(_where("due_date", "dialogue__unit_id", slices, is_date=True))
        .annotate(m=_month("due_date"))
        .values("dialogue__unit_id", "m")
        .annotate(
            commitments_due=Count("pk"),
            commitments_kept=Count(
                "pk",
                filter=Q(status=CommitmentStatus.DONE, done_on__isnull=False, done_on__lte=F("due_date")),
            ),
        )
    )
    _add(out, commitments, "dialogue__unit_id", ("commitments_due", "commitments_kept"))
    if slices is not None:
        for key in list(out):
            if key not in slices:
                del out[key]
    return out


def _indicator_fields() -> list[str]:
    return [f"i{i}_{s}" for i in INDICATORS for s in ("sum", "n")]


def _indicator_sums() -> dict:
    out = {}
    for i in INDICATORS:
        out[f"i{i}_sum"] = Sum(f"i{i}")
        out[f"i{i}_n"] = Count(f"i{i}")
    return out


def count_officer_facts(slices: set[Slice] | None = None) -> dict[tuple[int, int, dt.date], dict[str, int]]:
    out: dict = defaultdict(lambda: dict.fromkeys(OFFICER_FACT_FIELDS, 0))
    rows = (
        Rating.objects.filter(_where("rated_at", "unit_id", slices), officer_id__isnull=False)
        .exclude(review=Review.EXCLUDED)
        .annotate(m=_month("rated_at"))
        .values("unit_id", "officer_id", "m")
        .annotate(rated=Count("pk"), **_indicator_sums())
    )
    for r in rows:
        if slices is not None and (r["unit_id"], r["m"]) not in slices:
            continue
        row = out[(r["unit_id"], r["officer_id"], r["m"])]
        for f in OFFICER_FACT_FIELDS:
            row[f] += r[f] or 0
    return out


def _rows(facts, officer_facts):
    units = [UnitMonthFact(unit_id=u, month=m, **v) for (u, m), v in facts.items() if any(v.values())]
    officers = [
        OfficerMonthFact(unit_id=u, officer_id=o, month=m, **v) for (u, o, m), v in officer_facts.items()
    ]
    return units, officers


# the top bits of the read model's advisory lock keys (PostgreSQL), below them the slice's month and unit
LOCK_SPACE = 766


def _lock_slices(slices: set[Slice]) -> None:
    """Take the slices for this transaction before counting, in one order, so two workers recounting one slice
    take turns and the second counts what the first could not see (else the later commit could store the
    earlier, staler count). PostgreSQL: a transaction-scoped advisory lock per slice, held whatever happens to
    the rows. SQLite has one writer at a time: a first write (an empty row where none is stored, dropped again
    below if the slice has nothing) makes the transaction wait for it before it reads."""
    ordered = sorted(slices)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            keys = sorted((LOCK_SPACE << 48) | ((m.year * 12 + m.month) << 32) | u for u, m in ordered)
            for key in keys:  # one bigint per slice, no two alike: the space, the month's number, the unit
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        return
    UnitMonthFact.objects.bulk_create(
        [UnitMonthFact(unit_id=u, month=m) for u, m in ordered], ignore_conflicts=True
    )


@transaction.atomic
def facts_refresh(*, slices: set[Slice]) -> None:
    """Recount the given (unit, month) slices and replace their rows, one worker per slice at a time."""
    if not slices:
        return
    q = Q()
    for u, m in slices:
        q |= Q(unit_id=u, month=m)
    _lock_slices(slices)
    facts, officer_facts = count_facts(slices), count_officer_facts(slices)
    UnitMonthFact.objects.filter(q).delete()
    OfficerMonthFact.objects.filter(q).delete()
    units, officers = _rows(facts, officer_facts)
    UnitMonthFact.objects.bulk_create(units, batch_size=2000)
    OfficerMonthFact.objects.bulk_create(officers, batch_size=2000)


@transaction.atomic
def facts_rebuild() -> int:
    """Recompute the whole read model from the source tables, replacing it atomically; returns the rows."""
    facts, officer_facts = count_facts(), count_officer_facts()
    UnitMonthFact.objects.all().delete()
    OfficerMonthFact.objects.all().delete()
    units, officers = _rows(facts, officer_facts)
    UnitMonthFact.objects.bulk_create(units, batch_size=5000)
    OfficerMonthFact.objects.bulk_create(officers, batch_size=5000)
    return len(units)


# --- outbox consumers ----------------------------------------------------------------------------------------


def _month_of(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return dt.date(value.year, value.month, 1)


def _slices(units: Iterable, months: Iterable) -> set[Slice]:
    ms = {m for m in (_month_of(v) for v in months) if m}
    return {(u, m) for u in units if u for m in ms}


def on_dossier_event(event) -> None:
    p = event.payload
    units = {p.get("handling_unit_id"), p.get("receiving_unit_id")}
    facts_refresh(slices=_slices(units, [event.created_at]))


def on_rating_event(event) -> None:
    row = Rating.objects.filter(pk=event.aggregate_id).values("unit_id", "rated_at").first()
    if row:
        facts_refresh(slices=_slices([row["unit_id"]], [row["rated_at"], event.created_at]))


def on_feedback_event(event) -> None:
    row = (
        FeedbackItem.objects.filter(pk=event.aggregate_id)
        .values("unit_id", "received_at", "answered_at")
        .first()
    )
    if row:
        units = {row["unit_id"], event.payload.get("unit_id")}
        facts_refresh(slices=_slices(units, [row["received_at"], row["answered_at"], event.created_at]))


def on_dialogue_event(event) -> None:
    p = event.payload
    if p.get("target") != "commitment" and "due_date" not in p:
        return
    facts_refresh(slices=_slices([p.get("unit_id")], [p.get("due_date"), p.get("done_on")]))


def on_letter_event(event) -> None:
    """A letter made or cancelled changes its unit's count in the month it was made."""
    p = event.payload
    facts_refresh(slices=_slices([p.get("unit_id")], [p.get("created_at")]))


CONSUMERS = {
    "dossier.*": "cqtt.evaluation.read_model.on_dossier_event",
    "rating.rated": "cqtt.evaluation.read_model.on_rating_event",
    "rating.indicators": "cqtt.evaluation.read_model.on_rating_event",
    "rating.review": "cqtt.evaluation.read_model.on_rating_event",
    "feedback.*": "cqtt.evaluation.read_model.on_feedback_event",
    "dialogues.*": "cqtt.evaluation.read_model.on_dialogue_event",
    "letter.draft": "cqtt.evaluation.read_model.on_letter_event",
    "letter.cancel": "cqtt.evaluation.read_model.on_letter_event",
}
