"""Pure rules of the ratings: the scale, the quick reasons, TT 01/2018 indicators per dossier and the officer's
classification (Arts. 13–15), periods, satisfaction rate and the flags of a suspicious rating."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .defaults import CODES, GENERAL, REASONS, Reason
from .models import Level

L = Level
FIVE = (L.VERY_SATISFIED, L.SATISFIED, L.NEUTRAL, L.UNSATISFIED, L.VERY_UNSATISFIED)
THREE = (L.VERY_SATISFIED, L.SATISFIED, L.UNSATISFIED)
SATISFIED = frozenset({L.VERY_SATISFIED, L.SATISFIED})
UNSATISFIED = frozenset({L.UNSATISFIED, L.VERY_UNSATISFIED})
# faces of Unicode 6.0 (the ones most phones' and tablets' fonts have; 🙂 and 🙁 came later and show as boxes)
FACES = {
    L.VERY_SATISFIED: "😄",
    L.SATISFIED: "😊",
    L.NEUTRAL: "😐",
    L.UNSATISFIED: "😞",
    L.VERY_UNSATISFIED: "😠",
}
COMMENT_MAX = 1000
# a kiosk or an address giving more than BURST_COUNT ratings within BURST_SECONDS: flagged for review
BURST_COUNT = 5
BURST_SECONDS = 120


def levels_for(scale: int) -> tuple[str, ...]:
    return THREE if scale == 3 else FIVE


def reasons_for(codes: list[str]) -> tuple[list[Reason], list[Reason]]:
    """(positive, negative) quick reasons of a unit using these conduct codes, the general ones first."""
    chosen = [r for c in CODES if c.key in codes for r in c.reasons]
    every = [*GENERAL, *chosen]
    return [r for r in every if r.positive], [r for r in every if not r.positive]


def answer_problems(*, level: str, reasons: list[str], scale: int, codes: list[str]) -> dict[str, list[str]]:
    """Why an answer cannot be recorded, field by field (Vietnamese)."""
    errors: dict[str, list[str]] = {}
    allowed = levels_for(scale)
    if level not in allowed:
        errors["level"] = [
            _("Mức đánh giá không hợp lệ. Chọn một trong: %(v)s.")
            % {"v": ", ".join(f"{v} ({Level(v).label})" for v in allowed)}
        ]
    positive, negative = reasons_for(codes)
    known = {r.key for r in (*positive, *negative)}
    unknown = [r for r in reasons if r not in known]
    if unknown:
        errors["reasons"] = [_("Lý do không có trong danh sách: %(v)s.") % {"v": ", ".join(unknown[:5])}]
    return errors


def satisfaction_rate(by_level: dict[str, int]) -> float | None:
    """Percent of satisfied and very satisfied among the counted ratings, one decimal; None without ratings."""
    total = sum(by_level.values())
    if not total:
        return None
    good = sum(n for level, n in by_level.items() if level in SATISFIED)
    return float((Decimal(good * 100) / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --- TT 01/2018 indicators -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierFacts:
    """What the indicators need from the dossier itself."""

    timeliness: str  # early | on_time | late | "" (not finished)
    step_results: tuple[str, ...]  # the finished steps' timeliness
    supplements: int  # times the citizen was asked to bring more
    online: bool  # submitted online and the result not collected at the counter


def _by_count(n: int) -> int:
    return 2 if n <= 0 else (1 if n == 1 else 0)


def indicators(facts: DossierFacts, *, contacts: int | None, bodies: int | None, reasons: list[str]) -> dict:
    """Indicators 1, 2, 3, 4 and 7 of one dossier (2 / 1 / 0; None when there is no data yet).

    1 time vs. allowed: early 2, on time 1, late 0. 2 each step vs. its allotment: every step early 2, none
    late 1, any late 0. 3 contacts with the one-stop beyond submitting and collecting (the citizen's answer,
    else the supplement requests): none 2, one 1, more 0. 4 bodies contacted (the answer, else none for a
    fully online dossier, the one-stop only otherwise): none 2, the one-stop only 1, more 0. 7 attitude: a
    conduct complaint ticked 0; else early 2, on time or late 1 (lateness is indicator 1's)."""
    t = facts.timeliness
    i1 = {"early": 2, "on_time": 1, "late": 0}.get(t)
    steps = facts.step_results
    if not steps:
        i2 = None
    elif "late" in steps:
        i2 = 0
    elif all(s == "early" for s in steps):
        i2 = 2
    else:
        i2 = 1
    i3 = _by_count(contacts if contacts is not None else facts.supplements)
    if bodies is None:
        bodies = 0 if facts.online else 1
    i4 = 2 if bodies <= 0 else (1 if bodies == 1 else 0)
    complained = any(REASONS[r].conduct for r in reasons if r in REASONS)
    if complained:
        i7 = 0
    elif t == "early":
        i7 = 2
    elif t in ("on_time", "late"):
        i7 = 1
    else:
        i7 = None
    return {"i1": i1, "i2": i2, "i3": i3, "i4": i4, "i7": i7}


INDICATORS = ("i1", "i2", "i3", "i4", "i7")


def indicator_average(values: list[int]) -> float | None:
    """Art. 15(1): the sum over the dossiers divided by their number, rounded to one decimal."""
    if not values:
        return None
    return float(
        (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    )


def officer_total(averages: dict[str, float | None]) -> float | None:
    """Art. 15(1)(a): indicators 1, 2, 3, 4, 7 added; those without data are left out."""
    present = [v for v in averages.values() if v is not None]
    return round(sum(present), 1) if present else None


def officer_class(total: float | None) -> str:
    if total is None:
        return ""
    if total >= 5:
        return str(_("Hoàn thành 100% nhiệm vụ"))
    if total >= 3.5:
        return str(_("Hoàn thành từ 70% đến dưới 100% nhiệm vụ"))
    return str(_("Hoàn thành dưới 70% nhiệm vụ"))


# --- periods -------------------------------------------------------------------------------------------------

PERIOD = re.compile(r"^(20\d\d)-(?:(0[1-9]|1[0-2])|Q([1-4]))$")


def parse_period(text: str) -> tuple[dt.date, dt.date] | None:
    """'2026-11' or '2026-Q4' → (first month, the month after the last), or None."""
    m = PERIOD.fullmatch(text or "")
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2):
        first = dt.date(year, int(m.group(2)), 1)
        months = 1
    else:
        first = dt.date(year, 3 * (int(m.group(3)) - 1) + 1, 1)
        months = 3
    end_month = first.month - 1 + months
    return first, dt.date(year + end_month // 12, end_month % 12 + 1, 1)


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def month_of(at: dt.datetime) -> dt.date:
    return at.date().replace(day=1)


# --- suspicious ratings ----------------------------------------------------------------------------------------


def flags_for(*, in_office_hours: bool, recent_from_source: int) -> list[str]:
    """Why a rating needs a person's look (it is kept and counted until a reviewer excludes it)."""
    flags = []
    if not in_office_hours:
        flags.append("outside_hours")
    if recent_from_source >= BURST_COUNT:
        flags.append("burst")
    return flags


FLAG_LABELS = {
    "outside_hours": _("Ngoài giờ làm việc"),
    "burst": _("Nhiều đánh giá liên tiếp từ một nguồn"),
}
