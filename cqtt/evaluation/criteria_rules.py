"""Pure rules of the model's criteria: the assessment's transitions table, scores and totals against the weights
and the pass mark, the automatic criteria's conversion from a rate to points, and a roll-out target's progress.
No database."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqtt.accounts.models import Role
from cqtt.core.process import Process, transition

from .criteria_models import AssessmentStatus

S = AssessmentStatus
UNIT_WRITERS = frozenset({Role.LEADER, Role.SPECIALIST})  # a specialist drafts, the leader submits
INSPECTORS = frozenset({Role.PROVINCIAL_SUPERVISOR})  # the steering committee's inspection team
READERS = UNIT_WRITERS | INSPECTORS | {Role.OBSERVER}
CENT = Decimal("0.01")

ASSESSMENT = Process(
    "evaluation-assessment",
    [
        transition(
            "start",
            {S.DRAFT},
            S.SELF_ASSESSING,
            UNIT_WRITERS | INSPECTORS,
            gettext_lazy("Bắt đầu tự đánh giá"),
        ),
        transition(
            "self_score", {S.SELF_ASSESSING}, None, UNIT_WRITERS, gettext_lazy("Chấm điểm tự đánh giá")
        ),
        transition(
            "submit", {S.SELF_ASSESSING}, S.SUBMITTED, {Role.LEADER}, gettext_lazy("Gửi kết quả tự đánh giá")
        ),
        transition(
            "return",
            {S.SUBMITTED, S.INSPECTED},
            S.SELF_ASSESSING,
            INSPECTORS,
            gettext_lazy("Trả lại để đơn vị bổ sung, chỉnh sửa"),
        ),
        transition("inspect", {S.SUBMITTED}, S.INSPECTED, INSPECTORS, gettext_lazy("Ghi kết quả kiểm tra")),
        transition(
            "recognise", {S.INSPECTED}, S.RECOGNISED, INSPECTORS, gettext_lazy("Công nhận đạt mô hình")
        ),
        transition(
            "not_recognise",
            {S.INSPECTED},
            S.NOT_RECOGNISED,
            INSPECTORS,
            gettext_lazy("Kết luận chưa đạt mô hình"),
        ),
        transition("propose_reward", {S.RECOGNISED}, None, INSPECTORS, gettext_lazy("Đề nghị khen thưởng")),
    ],
    state_label=lambda s: S(s).label,
)


# --- scores ------------------------------------------------------------------------------------------------


def parse_score(raw, *, weight: Decimal) -> tuple[Decimal | None, str]:
    """A typed score (comma or dot as the decimal mark) between 0 and the criterion's weight: (value, '') or
    (None, message). Empty → (None, '')."""
    text = str(raw or "").strip().replace(",", ".")
    if not text:
        return None, ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, _("Điểm phải là một số, ví dụ 7 hoặc 7,5.")
    if not value.is_finite() or value < 0 or value > weight:
        return None, _("Điểm từ 0 đến %(w)s.") % {"w": fmt_points(weight)}
    return value.quantize(CENT, rounding=ROUND_HALF_UP), ""


def points_from_rate(rate: float | None, *, weight: Decimal) -> Decimal | None:
    """An automatic criterion's points: its rate in per cent (0–100) times the weight; None without data."""
    if rate is None:
        return None
    rate = min(max(float(rate), 0.0), 100.0)
    return (weight * Decimal(str(rate)) / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def total(scores: Iterable[Decimal | None]) -> Decimal:
    """The sum of the scores given; a criterion without a score counts 0."""
    return sum((s for s in scores if s is not None), Decimal(0)).quantize(CENT)


def max_total(weights: Iterable[Decimal]) -> Decimal:
    return sum(weights, Decimal(0)).quantize(CENT)


def passes(score_total: Decimal | None, pass_mark: Decimal) -> bool:
    return score_total is not None and score_total >= pass_mark


def check_set(*, pass_mark: Decimal, weights: list[Decimal]) -> dict[str, list[str]]:
    """Errors of a set: at least one criterion, every weight above 0, a pass mark above 0 and not above the
    sum of the weights."""
    errors: dict[str, list[str]] = {}
    if not weights:
        errors["criteria"] = [_("Bộ tiêu chí cần ít nhất một tiêu chí.")]
    elif any(w <= 0 for w in weights):
        errors["criteria"] = [_("Điểm tối đa của mỗi tiêu chí phải lớn hơn 0.")]
    if pass_mark <= 0 or (weights and pass_mark > max_total(weights)):
        errors["pass_mark"] = [
            _("Điểm đạt phải lớn hơn 0 và không quá tổng điểm %(t)s.") % {"t": fmt_points(max_total(weights))}
        ]
    return errors


def fmt_points(value: Decimal | None) -> str:
    """7.50 → "7,5"; None → "—"."""
    if value is None:
        return "—"
    return f"{value.normalize():f}".replace(".", ",")


# --- roll-out targets --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    wanted: int  # how many units the target asks for
    recognised: int
    fraction: float | None  # recognised ÷ wanted, at most 1; None when the target asks for none
    met: bool


def target_wanted(*, percent: int | None, count: int | None, communes: int) -> int:
    """The number of units a target asks for: its count, or its per cent of the communes, rounded up."""
    if count is not None:
        return count
    return math.ceil((percent or 0) * communes / 100)


def target_progress(*, percent: int | None, count: int | None, communes: int, recognised: int) -> Progress:
    wanted = target_wanted(percent=percent, count=count, communes=communes)
    if wanted <= 0:
        return Progress(wanted, recognised, None, True)
    return Progress(wanted, recognised, round(min(recognised / wanted, 1.0), 4), recognised >= wanted)
