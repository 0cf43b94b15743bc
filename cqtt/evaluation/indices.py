"""Pure rules of the indices (no database): periods, TT 01/2018's nine indicators with its classification bands
(Art. 13–15) and QĐ 766's six groups as the platform reproduces them (formula table `qd766-v1`, legal-spec §2).
The QĐ 766 figures are a local early warning, never the official DVCQG score.

`facts` below is a mapping of the read model's field names (models.FACT_FIELDS) to sums over a period."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

FORMULA_VERSION = "qd766-v1"
NO_DATA = _("không có dữ liệu")


# --- periods --------------------------------------------------------------------------------------------------


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    label: str  # YYYY-MM, YYYY-Qn or YYYY
    start: dt.date  # first day of the first month
    end: dt.date  # first day of the month after the last

    def months(self) -> list[dt.date]:
        out, m = [], self.start
        while m < self.end:
            out.append(m)
            m = next_month(m)
        return out


def next_month(m: dt.date) -> dt.date:
    return dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)


PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4]))?$")


def parse_period(text: str) -> Period:
    """'2026-11' → November 2026, '2026-Q4' → its quarter, '2026' → the year; anything else raises."""
    match = PERIOD_RE.match((text or "").strip())
    if not match:
        raise PeriodError(text)
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise PeriodError(text)
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(text)
        start = dt.date(year, month, 1)
        return Period(f"{year}-{month:02d}", start, next_month(start))
    if match.group(3):
        q = int(match.group(3))
        start = dt.date(year, 3 * q - 2, 1)
        end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
        return Period(f"{year}-Q{q}", start, end)
    return Period(str(year), dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


def month_period(day: dt.date) -> Period:
    return parse_period(f"{day.year}-{day.month:02d}")


def last_months(day: dt.date, n: int = 12) -> list[Period]:
    """The n months ending with the month of `day`, oldest first."""
    periods, m = [], dt.date(day.year, day.month, 1)
    for _i in range(n):
        periods.append(month_period(m))
        m = dt.date(m.year - (m.month == 1), (m.month - 2) % 12 + 1, 1)
    return periods[::-1]


# --- arithmetic -----------------------------------------------------------------------------------------------


def round1(value: float | Decimal) -> float:
    """TT 01/2018 Art. 15: averages rounded to one decimal (half up, as people round)."""
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def round2(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def rate(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


# --- TT 01/2018 -----------------------------------------------------------------------------------------------

TT01_NAMES = {
    1: _("Tổng thời gian giải quyết so với quy định"),
    2: _("Thời gian thực hiện của từng cơ quan, đơn vị tham gia"),
    3: _("Số lần liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ"),
    4: _("Số cơ quan phải liên hệ để hoàn thiện hồ sơ"),
    5: _("Thực hiện toàn bộ quy trình tại Bộ phận Một cửa"),
    6: _("Công khai thủ tục hành chính"),
    7: _("Thái độ của cán bộ"),
    8: _("Tiếp nhận, xử lý phản ánh, kiến nghị"),
    9: _("Cung cấp dịch vụ công trực tuyến"),
}
OFFICER_INDICATORS = (1, 2, 3, 4, 7)


def timeliness_score(early: int, on_time: int, late: int) -> float | None:
    """Indicator 1 per dossier (early 2, on time 1, late 0), averaged over the finished dossiers."""
    n = early + on_time + late
    return None if not n else round1((2 * early + on_time) / n)


def average_score(total: int, count: int) -> float | None:
    return None if not count else round1(total / count)


def feedback_score(on_time: int, late: int) -> float | None:
    """Indicator 8: 2 when every answer was on time (or there was nothing to answer), 1 at ≥ 90 %, else 0.
    "Prolonged" feedback is read as answered late."""
    n = on_time + late
    if not n:
        return 2.0
    share = on_time / n
    return 2.0 if share == 1 else 1.0 if share >= 0.9 else 0.0


def online_score(online: int, received: int, online_late: int) -> float | None:
    """Indicator 9 from the share of online dossiers (≥ 30 % → 2, 15–<30 % → 1) with no online dossier late;
    the level 3–4 share of the procedure list is not known to the platform and is not checked."""
    if not received:
        return None
    share = online / received
    if online_late:
        return 0.0
    return 2.0 if share >= 0.30 else 1.0 if share >= 0.15 else 0.0


def tt01_scores(facts: dict) -> dict[int, tuple[float | None, int | None]]:
    """{indicator: (score or None when no data, how many dossiers it rests on or None for unit indicators)}."""
    f = facts
    finished = f["early"] + f["on_time"] + f["late"]
    return {
        1: (timeliness_score(f["early"], f["on_time"], f["late"]), finished),
        2: (average_score(f["i2_sum"], f["i2_n"]), f["i2_n"]),
        3: (average_score(f["i3_sum"], f["i3_n"]), f["i3_n"]),
        4: (average_score(f["i4_sum"], f["i4_n"]), f["i4_n"]),
        5: (None, None),
        6: (None, None),
        7: (average_score(f["i7_sum"], f["i7_n"]), f["i7_n"]),
        8: (feedback_score(f["feedback_on_time"], f["feedback_late"]), None),
        9: (online_score(f["online"], f["received"], f["online_late"]), f["received"]),
    }


def tt01_total(scores) -> float | None:
    """Art. 15: the sum of the indicators that have data (those without are left out)."""
    values = [s for s in scores if s is not None]
    return round1(sum(values)) if values else None


UNIT_BANDS = (
    (15, _("Xuất sắc")),
    (12, _("Tốt")),
    (9, _("Khá")),
    (6, _("Trung bình")),
    (float("-inf"), _("Yếu")),
)


def unit_band(total: float | None):
    if total is None:
        return None
    return next(label for floor, label in UNIT_BANDS if total >= floor)


OFFICER_BANDS = (
    (5, _("Hoàn thành 100% nhiệm vụ")),
    (3.5, _("Hoàn thành từ 70% đến dưới 100% nhiệm vụ")),
    (float("-inf"), _("Hoàn thành dưới 70% nhiệm vụ")),
)


def officer_scores(facts: dict) -> dict[int, float | None]:
    """An officer's indicators 1, 2, 3, 4, 7 — all from the ratings' per-dossier scores."""
    return {i: average_score(facts[f"i{i}_sum"], facts[f"i{i}_n"]) for i in OFFICER_INDICATORS}


def officer_band(total: float | None):
    if total is None:
        return None
    return next(label for floor, label in OFFICER_BANDS if total >= floor)


# --- QĐ 766, formula table qd766-v1 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    code: str
    name: object
    max: float | None  # None: the share of the group's points is not published
    formula: str
    compute: object = None  # facts -> (rate or None, points or None); None: the platform has no data


def _on_time(f):
    r = rate(f["early"] + f["on_time"], f["finished"])
    return r, None if r is None else 20 * r


def _online(f):
    c = rate(f["online"], f["received"])
    return c, None if c is None else min(6.0, 6 * c / 0.50)


def _idle(f) -> bool:
    """Nothing at all in the period: the "6 when there is no feedback" rule does not give an idle unit points."""
    return not (f["received"] or f["finished"] or f["feedback_received"] or f["rated"])


def _pakn_on_time(f):
    r = rate(f["feedback_on_time"], f["feedback_on_time"] + f["feedback_late"])
    if r is None:
        return None, None if _idle(f) else 6.0
    return r, 6 * r


def _pakn_satisfaction(f):
    total = f["feedback_on_time"] + f["feedback_late"]
    if not total:
        return None, None if _idle(f) else 6.0
    r = max(0.0, (total - min(f["dislikes"], total) - f["feedback_late"]) / total)
    return r, 6 * r


def _tthc_satisfaction(f):
    late = rate(f["late"], f["finished"])
    disliked = rate(f["unsatisfied"] + f["very_unsatisfied"], f["rated"])
    if late is None and disliked is None:
        return None, None
    r = max(0.0, 1 - (late or 0) - (disliked or 0))
    return r, min(6.0, 6 * r / 0.90)


QD766_V1 = (
    (
        1,
        _("Công khai, minh bạch"),
        18,
        (
            Component("1.1", _("TTHC được công bố đúng hạn"), None, "max × tỷ lệ"),
            Component("1.2", _("TTHC được công khai trên CSDL quốc gia đúng hạn"), None, "max × tỷ lệ"),
            Component("1.3", _("TTHC công khai đầy đủ các thành phần"), None, "max × tỷ lệ"),
            Component("1.4", _("Hồ sơ được đồng bộ lên Cổng DVCQG"), None, "max × tỷ lệ"),
        ),
    ),
    (
        2,
        _("Tiến độ giải quyết"),
        20,
        (
            Component(
                "2.1",
                _("Hồ sơ giải quyết trước hạn, đúng hạn"),
                20,
                "20 × (trước hạn + đúng hạn) / đã giải quyết",
                _on_time,
            ),
        ),
    ),
    (
        3,
        _("Dịch vụ công trực tuyến"),
        12,
        (
            Component("3.1", _("TTHC cung cấp trực tuyến"), 2, "min(2; 2 × A / 0,80)"),
            Component("3.2", _("Dịch vụ trực tuyến có phát sinh hồ sơ"), 4, "4 × B"),
            Component(
                "3.3",
                _("Hồ sơ nộp trực tuyến"),
                6,
                "min(6; 6 × C / 0,50), C = trực tuyến / tiếp nhận",
                _online,
            ),
        ),
    ),
    (
        4,
        _("Thanh toán trực tuyến"),
        10,
        (
            Component("4.A", _("Hồ sơ thanh toán trực tuyến thành công"), 6, "6 × A"),
            Component("4.B", _("Hồ sơ nộp phí trực tuyến theo thủ tục"), 2, "min(2; 2,5 × B)"),
            Component("4.C", _("Thủ tục có phí tích hợp thanh toán"), 2, "2,5 × C"),
        ),
    ),
    (
        5,
        _("Mức độ hài lòng"),
        18,
        (
            Component(
                "5.2",
                _("Phản ánh, kiến nghị xử lý đúng hạn"),
                6,
                "6 × đúng hạn / đã trả lời (6 nếu không có)",
                _pakn_on_time,
            ),
            Component(
                "5.3",
                _("Hài lòng với việc xử lý phản ánh, kiến nghị"),
                6,
                "6 × (tổng − không hài lòng − quá hạn) / tổng (6 nếu không có)",
                _pakn_satisfaction,
            ),
            Component(
                "5.4",
                _("Hài lòng với việc giải quyết TTHC"),
                6,
                "min(6; 6 × (1 − tỷ lệ quá hạn − tỷ lệ không hài lòng) / 0,90)",
                _tthc_satisfaction,
            ),
        ),
    ),
    (
        6,
        _("Số hóa hồ sơ"),
        22,
        (
            Component("4.1", _("Hồ sơ có kết quả điện tử"), None, "min(max; max × tỷ lệ)"),
            Component("4.2", _("Hồ sơ được số hóa"), None, "min(max; max × tỷ lệ / 0,80)"),
            Component("4.3", _("Hồ sơ tái sử dụng dữ liệu số hóa"), 2, "min(2; 2 × tỷ lệ / 0,80)"),
            Component("4.4", _("Hồ sơ số hóa kết nối kho dữ liệu công dân"), None, "min(max; max × tỷ lệ)"),
            Component("4.5", _("Sử dụng dữ liệu dân cư"), None, "min(max; max × tỷ lệ)"),
        ),
    ),
)


def qd766_groups(facts: dict) -> list[dict]:
    """The six groups with their components; a component without data has no points and is left out of the
    group's points and maximum, and a group without any is marked so (points None)."""
    groups = []
    for number, name, group_max, components in QD766_V1:
        rows, points, reached_max = [], 0.0, 0.0
        any_data = False
        for c in components:
            value, got = (None, None) if c.compute is None else c.compute(facts)
            has_data = got is not None
            if has_data:
                any_data = True
                points += got
                reached_max += c.max or 0
            rows.append(
                {
                    "code": c.code,
                    "name": str(c.name),
                    "formula": c.formula,
                    "rate": None if value is None else round2(value),
                    "points": None if got is None else round2(got),
                    "max": c.max,
                    "has_data": has_data,
                    "note": "" if has_data else str(NO_DATA),
                }
            )
        groups.append(
            {
                "group": number,
                "name": str(name),
                "points": round2(points) if any_data else None,
                "max": group_max,
                "max_with_data": reached_max if any_data else 0,
                "components": rows,
            }
        )
    return groups


def qd766_total(groups: list[dict]) -> float | None:
    values = [g["points"] for g in groups if g["points"] is not None]
    return round2(sum(values)) if values else None


# --- the public scorecard -------------------------------------------------------------------------------------

LETTER_KINDS = ("apology", "error_apology", "thanks", "congratulation", "condolence", "custom")


def scorecard(facts: dict, period: Period) -> dict:
    satisfied = facts["very_satisfied"] + facts["satisfied"]
    answered = facts["feedback_on_time"] + facts["feedback_late"]
    return {
        "period": period.label,
        "on_time_rate": _r4(rate(facts["early"] + facts["on_time"], facts["finished"])),
        "satisfaction_rate": _r4(rate(satisfied, facts["rated"])),
        "feedback_on_time_rate": _r4(rate(facts["feedback_on_time"], answered)),
        "letters": {k: facts[f"letters_{k}"] for k in LETTER_KINDS},
        "dossiers_finished": facts["finished"],
    }


def _r4(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
