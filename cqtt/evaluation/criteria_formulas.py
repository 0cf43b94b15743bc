"""The registry of automatic criteria: a formula key → its text and a function computing a rate in per cent
(0–100, or None without data) for a unit over a period, from the other apps' selectors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqtt.feedback import selectors as feedback
from cqtt.ratings import selectors as ratings
from cqtt.units.models import Unit


@dataclass(frozen=True)
class Formula:
    key: str
    text: object
    compute: Callable[..., float | None]


def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _on_time(*, unit: Unit, start: dt.date, end: dt.date, user) -> float | None:
    """From the read model: dossiers finished in the months the cycle spans (the unit and the units below it)."""
    from . import indices, selectors  # the read model's reads, in this app

    first = start.replace(day=1)
    period = indices.Period(f"{first:%Y-%m}", first, indices.next_month(end.replace(day=1)))
    facts = selectors.facts_of(unit=unit, period=period)
    value = indices.rate(facts["early"] + facts["on_time"], facts["finished"])
    return None if value is None else round(100 * value, 1)


def _satisfaction(*, unit: Unit, start: dt.date, end: dt.date, user) -> float | None:
    return ratings.summary(unit=unit, start=start.replace(day=1), end=end + dt.timedelta(days=1))[
        "satisfaction_rate"
    ]


def _feedback_on_time(*, unit: Unit, start: dt.date, end: dt.date, user) -> float | None:
    n = feedback.answered_on_time_counts(
        unit=unit, start=_aware(start), end=_aware(end + dt.timedelta(days=1))
    )
    return round(100 * n["on_time"] / n["answered"], 1) if n["answered"] else None


FORMULAS: dict[str, Formula] = {
    f.key: f
    for f in (
        Formula(
            "dossiers_on_time",
            _(
                "Tỷ lệ hồ sơ giải quyết đúng hoặc trước hạn trên tổng số hồ sơ đã giải quyết trong các tháng của kỳ"
            ),
            _on_time,
        ),
        Formula(
            "ratings_satisfied",
            _("Tỷ lệ lượt đánh giá hài lòng và rất hài lòng trên tổng số lượt đánh giá trong kỳ"),
            _satisfaction,
        ),
        Formula(
            "feedback_on_time",
            _("Tỷ lệ phản ánh, kiến nghị được trả lời đúng hạn trên tổng số đã trả lời trong kỳ"),
            _feedback_on_time,
        ),
    )
}


def formula_choices() -> list[tuple[str, str]]:
    return [(f.key, str(f.text)) for f in FORMULAS.values()]


def evaluate(key: str, *, unit: Unit, start: dt.date, end: dt.date, user) -> float | None:
    """The formula's rate for the unit over [start, end] (dates inclusive); None without data or formula."""
    formula = FORMULAS.get(key)
    return None if formula is None else formula.compute(unit=unit, start=start, end=end, user=user)
