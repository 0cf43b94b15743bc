"""Pure working-day rules (no database, no settings): the calendar arrays and the counting rule.

Public API for other apps (keep stable):

    compute_due(received_at, amount, unit, calendar, schedule, *, explain=True) -> DueResult
    due_datetime(received_at, amount, unit, calendar, schedule) -> datetime   # hot path, no explanation
    explain_due(received_at, amount, unit, calendar, schedule, due_at=None) -> list[ExplanationItem]
    Calendar.is_working_day(d) / add_working_days(d, n) / working_days_between(start, end)

`received_at` must be aware; `due_at` is aware in Asia/Ho_Chi_Minh. `amount` is a Decimal (int accepted) in
steps of 0.5. `unit` is a PeriodUnit value: "working_days", "working_hours" or "same_day" (amount ignored).
Rules (see docs/adr/0003-working-day-counting.md):

* working days: the receipt day is not counted, day 1 is the next working day (Civil Code 2015 Art. 147); the
  period ends at the close of the afternoon session of the last day. Half a day is one session: N.5 days end at
  the close of the morning session of day N+1. With `Schedule.count_receipt_day`, a receipt on a working day at
  or before the cut-off makes the receipt day day 1.
* working hours: office time is counted from the receipt time (outside office hours: from the next session).
* same day: close of the receipt day if it is a working day and receipt is at or before the cut-off, else close
  of the next working day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_combine = datetime.combine


class PeriodUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    SAME_DAY = "same_day"


PERIOD_UNIT_CHOICES = [
    (PeriodUnit.WORKING_DAYS.value, gettext_lazy("Ngày làm việc")),
    (PeriodUnit.WORKING_HOURS.value, gettext_lazy("Giờ làm việc")),
    (PeriodUnit.SAME_DAY.value, gettext_lazy("Trong ngày")),
]

WEEKDAY_NAMES = [
    gettext_lazy("Thứ Hai"),
    gettext_lazy("Thứ Ba"),
    gettext_lazy("Thứ Tư"),
    gettext_lazy("Thứ Năm"),
    gettext_lazy("Thứ Sáu"),
    gettext_lazy("Thứ Bảy"),
    gettext_lazy("Chủ nhật"),
]

MAX_AMOUNT = Decimal(10000)


class OutOfCalendar(ValueError):
    """A date (or a result) outside the years the calendar covers."""


class InvalidAmount(ValueError):
    """An amount that is not a positive multiple of 0.5."""


@dataclass(frozen=True, slots=True)
class ExplanationItem:
    date: date
    reason: str

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class DueResult:
    due_at: datetime
    explanation: list[ExplanationItem]


def _secs(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


@dataclass(frozen=True, slots=True)
class Schedule:
    """Office hours of a unit: two sessions and the intake cut-off, plus the receipt-day rule."""

    morning_start: time = time(7, 30)
    morning_end: time = time(11, 30)
    afternoon_start: time = time(13, 30)
    afternoon_end: time = time(17, 0)
    cutoff: time = time(15, 0)
    count_receipt_day: bool = False
    # derived, in seconds since midnight (hot path)
    ms: int = field(init=False, compare=False, repr=False)
    me: int = field(init=False, compare=False, repr=False)
    as_: int = field(init=False, compare=False, repr=False)
    ae: int = field(init=False, compare=False, repr=False)
    cut: int = field(init=False, compare=False, repr=False)
    morning_len: int = field(init=False, compare=False, repr=False)
    capacity: int = field(init=False, compare=False, repr=False)
    noon_tz: time = field(init=False, compare=False, repr=False)
    close_tz: time = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        problem = schedule_problem(
            self.morning_start, self.morning_end, self.afternoon_start, self.afternoon_end
        )
        if problem:
            raise ValueError(problem)
        setattr_ = object.__setattr__
        setattr_(self, "ms", _secs(self.morning_start))
        setattr_(self, "me", _secs(self.morning_end))
        setattr_(self, "as_", _secs(self.afternoon_start))
        setattr_(self, "ae", _secs(self.afternoon_end))
        setattr_(self, "cut", _secs(self.cutoff))
        setattr_(self, "morning_len", self.me - self.ms)
        setattr_(self, "capacity", self.me - self.ms + self.ae - self.as_)
        setattr_(self, "noon_tz", self.morning_end.replace(tzinfo=TZ))
        setattr_(self, "close_tz", self.afternoon_end.replace(tzinfo=TZ))

    def clock_at(self, offset: int) -> int:
        """Seconds since midnight of the point `offset` seconds of office time into the day (0 < offset ≤ cap)."""
        return self.ms + offset if offset <= self.morning_len else self.as_ + offset - self.morning_len

    def offset_of(self, secs: int) -> int:
        """Office seconds of the day already elapsed at clock `secs`."""
        if secs <= self.ms:
            return 0
        if secs < self.me:
            return secs - self.ms
        if secs <= self.as_:
            return self.morning_len
        if secs < self.ae:
            return self.morning_len + secs - self.as_
        return self.capacity


def schedule_problem(
    morning_start: time, morning_end: time, afternoon_start: time, afternoon_end: time
) -> str:
    """'' when the four times are in order, else a Vietnamese message."""
    if not (morning_start < morning_end <= afternoon_start < afternoon_end):
        return _(
            "Giờ làm việc phải theo thứ tự: bắt đầu sáng < kết thúc sáng ≤ bắt đầu chiều < kết thúc chiều."
        )
    return ""


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def halves_of(amount: Decimal | int) -> int:
    """The amount in half units (2.5 → 5); raises InvalidAmount unless it is a positive multiple of 0.5."""
    try:
        doubled = amount * 2
        halves = int(doubled)
    except (TypeError, ValueError, InvalidOperation, OverflowError):
        raise InvalidAmount(_("Số lượng phải là một số.")) from None
    if halves != doubled or halves < 1:
        raise InvalidAmount(_("Số lượng phải là số dương, theo bước 0,5 (ví dụ 0,5; 1; 2,5)."))
    if amount > MAX_AMOUNT:
        raise InvalidAmount(_("Số lượng quá lớn."))
    return halves


def parse_amount(raw: str) -> Decimal:
    """'2,5' or '2.5' → Decimal('2.5'); raises InvalidAmount with a Vietnamese message."""
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidAmount(_("Số lượng phải là một số, ví dụ 1 hoặc 2,5.")) from None
    if not value.is_finite():
        raise InvalidAmount(_("Số lượng phải là một số, ví dụ 1 hoặc 2,5."))
    halves_of(value)
    return value


# --- the calendar -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OverrideSpec:
    """One row of the override table, as plain data."""

    date: date
    kind: str  # "holiday" | "workday"
    name: str
    note: str = ""
    province_code: str | None = None


class Calendar:
    """Working days of `first_year`..`last_year` as arrays, so every query is O(1) index arithmetic.

    `off_days` maps a non-working weekday (or a weekend holiday) to its name; `work_days` maps a date that is
    worked although it would be off (a swapped Saturday) to its label. A day is a working day iff it is in
    `work_days`, or it is Monday–Friday and not in `off_days`.
    """

    __slots__ = (
        "first_year",
        "last_year",
        "o0",
        "n",
        "working",
        "cum",
        "work_dates",
        "off_days",
        "work_days",
    )

    def __init__(
        self, first_year: int, last_year: int, *, off_days: Mapping[date, str], work_days: Mapping[date, str]
    ) -> None:
        self.first_year, self.last_year = first_year, last_year
        self.off_days = dict(off_days)
        self.work_days = dict(work_days)
        self.o0 = date(first_year, 1, 1).toordinal()
        self.n = date(last_year, 12, 31).toordinal() - self.o0 + 1
        self.working = bytearray(self.n)
        self.cum = [0] * (self.n + 1)  # cum[i] = working days strictly before day index i
        self.work_dates: list[date] = []
        count = 0
        for i in range(self.n):
            d = date.fromordinal(self.o0 + i)
            if d in self.work_days or (d.weekday() < 5 and d not in self.off_days):
                self.working[i] = 1
                self.work_dates.append(d)
                count += 1
            self.cum[i + 1] = count

    def _index(self, d: date) -> int:
        i = d.toordinal() - self.o0
        if i < 0 or i >= self.n:
            raise OutOfCalendar(
                _("Ngày %(d)s nằm ngoài lịch (%(a)s–%(b)s).")
                % {"d": d.strftime("%d/%m/%Y"), "a": self.first_year, "b": self.last_year}
            )
        return i

    def _work_date(self, position: int) -> date:
        if position < 0 or position >= len(self.work_dates):
            raise OutOfCalendar(
                _("Kết quả nằm ngoài lịch (%(a)s–%(b)s).") % {"a": self.first_year, "b": self.last_year}
            )
        return self.work_dates[position]

    def covers(self, d: date) -> bool:
        return 0 <= d.toordinal() - self.o0 < self.n

    def is_working_day(self, d: date) -> bool:
        return bool(self.working[self._index(d)])

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after d (n > 0), before d (n < 0); n = 0 → d if working, else the next one."""
        i = self._index(d)
        if n > 0:
            return self._work_date(self.cum[i + 1] + n - 1)
        if n < 0:
            return self._work_date(self.cum[i] + n)
        return self._work_date(self.cum[i])

    def add_calendar_days(self, d: date, n: int) -> tuple[date, date]:
        """A period of n calendar days from d (d itself not counted): its last day, and the day it ends on —
        the next working day when the last day is a rest day or a holiday (Bộ luật Dân sự 2015 Arts. 147–148)."""
        last = date.fromordinal(d.toordinal() + n)
        self._index(last)
        return last, (last if self.is_working_day(last) else self.next_working_day(last))

    def next_working_day(self, d: date) -> date:
        return self.add_working_days(d, 1)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the closed interval [start, end] (order of the ends does not matter)."""
        i, j = self._index(start), self._index(end)
        if i > j:
            i, j = j, i
        return self.cum[j + 1] - self.cum[i]

    def day_reason(self, d: date) -> str:
        """Why d is off ('Thứ Bảy', a holiday name) or, for a swapped working day, its label; '' otherwise."""
        weekday = d.weekday()
        if d in self.work_days:
            return self.work_days[d]
        name = self.off_days.get(d)
        if name:
            return f"{name} ({WEEKDAY_NAMES[weekday]})" if weekday >= 5 else name
        return str(WEEKDAY_NAMES[weekday]) if weekday >= 5 else ""


def build_calendar(
    first_year: int,
    last_year: int,
    *,
    library_holidays: Mapping[date, str],
    library_workdays: Iterable[date] = (),
    overrides: Iterable[OverrideSpec] = (),
) -> Calendar:
    """Merge the `holidays` library with the override table: national overrides win over the library and
    province overrides win over national ones."""
    off_days = dict(library_holidays)
    work_days = {
        d: _("%(weekday)s làm bù") % {"weekday": WEEKDAY_NAMES[d.weekday()]} for d in library_workdays
    }
    for spec in sorted(overrides, key=lambda o: (o.province_code is not None, o.date)):
        label = spec.name or spec.note
        if spec.kind == "holiday":
            off_days[spec.date] = label
            work_days.pop(spec.date, None)
        else:
            work_days[spec.date] = label
            off_days.pop(spec.date, None)
    return Calendar(first_year, last_year, off_days=off_days, work_days=work_days)


# --- due dates ----------------------------------------------------------------------------------------------


def due_datetime(
    received_at: datetime, amount: Decimal | int, unit: str, calendar: Calendar, schedule: Schedule
) -> datetime:
    """The due datetime (aware, Asia/Ho_Chi_Minh). O(1): no loop over days."""
    if received_at.tzinfo is not TZ:
        if received_at.tzinfo is None or received_at.utcoffset() is None:
            raise ValueError("received_at must be an aware datetime")
        received_at = received_at.astimezone(TZ)
    cal = calendar
    i = received_at.toordinal() - cal.o0
    if i < 0 or i >= cal.n:
        cal._index(received_at.date())  # raises OutOfCalendar with the message
    secs = received_at.hour * 3600 + received_at.minute * 60 + received_at.second
    work_dates = cal.work_dates

    if unit == "working_days":
        halves = halves_of(amount)
        counted = schedule.count_receipt_day and cal.working[i] and secs <= schedule.cut
        position = cal.cum[i] if counted else cal.cum[i + 1]
        position += (halves + 1) // 2 - 1
        d = work_dates[position] if position < len(work_dates) else cal._work_date(position)
        if halves & 1:
            due = _combine(d, schedule.noon_tz)
            if due < received_at:  # only with count_receipt_day: half a day received in the afternoon
                due = _combine(d, schedule.close_tz)
            return due
        return _combine(d, schedule.close_tz)

    if unit == "working_hours":
        total = halves_of(amount) * 1800
        if cal.working[i]:
            position = cal.cum[i]
            offset = schedule.offset_of(secs)
            if offset >= schedule.capacity:
                position += 1
                offset = 0
        else:
            position = cal.cum[i + 1]
            offset = 0
        extra, rest = divmod(offset + total, schedule.capacity)
        if rest == 0:
            extra -= 1
            rest = schedule.capacity
        position += extra
        d = work_dates[position] if position < len(work_dates) else cal._work_date(position)
        clock = schedule.clock_at(rest)
        return datetime(d.year, d.month, d.day, clock // 3600, clock // 60 % 60, clock % 60, tzinfo=TZ)

    if unit == "same_day":
        position = cal.cum[i] if cal.working[i] and secs <= schedule.cut else cal.cum[i + 1]
        d = work_dates[position] if position < len(work_dates) else cal._work_date(position)
        return _combine(d, schedule.close_tz)

    raise ValueError(f"unknown period unit: {unit!r}")


def _position_offset(at: datetime, calendar: Calendar, schedule: Schedule) -> tuple[int, int]:
    """(working-day position, office seconds elapsed that day) of an instant; outside hours snaps forward."""
    at = at.astimezone(TZ)
    i = calendar._index(at.date())
    secs = at.hour * 3600 + at.minute * 60 + at.second
    if calendar.working[i]:
        return calendar.cum[i], schedule.offset_of(secs)
    return calendar.cum[i + 1], 0


def office_seconds_between(start: datetime, end: datetime, calendar: Calendar, schedule: Schedule) -> int:
    """Office time (seconds within working hours of working days) from `start` to `end`; negative if end < start.
    O(1)."""
    if end < start:
        return -office_seconds_between(end, start, calendar, schedule)
    p1, o1 = _position_offset(start, calendar, schedule)
    p2, o2 = _position_offset(end, calendar, schedule)
    return (p2 - p1) * schedule.capacity + o2 - o1


def add_office_seconds(start: datetime, seconds: int, calendar: Calendar, schedule: Schedule) -> datetime:
    """The instant `seconds` of office time after `start` (a zero-length addition snaps into office hours).
    O(1)."""
    position, offset = _position_offset(start, calendar, schedule)
    if offset >= schedule.capacity:
        position, offset = position + 1, 0
    extra, rest = divmod(offset + max(seconds, 0), schedule.capacity)
    if rest == 0 and extra > 0:
        extra, rest = extra - 1, schedule.capacity
    d = calendar._work_date(position + extra)
    clock = schedule.clock_at(rest) if rest else schedule.ms
    return datetime(d.year, d.month, d.day, clock // 3600, clock // 60 % 60, clock % 60, tzinfo=TZ)


def subtract_office_seconds(end: datetime, seconds: int, calendar: Calendar, schedule: Schedule) -> datetime:
    """The latest instant from which `seconds` of office time remain until `end`. O(1)."""
    position, offset = _position_offset(end, calendar, schedule)
    total = position * schedule.capacity + offset - max(seconds, 0)
    position, rest = divmod(total, schedule.capacity)
    if rest == 0 and position > 0:
        position, rest = position - 1, schedule.capacity
    d = calendar._work_date(position)
    clock = schedule.clock_at(rest) if rest else schedule.ms
    return datetime(d.year, d.month, d.day, clock // 3600, clock // 60 % 60, clock % 60, tzinfo=TZ)


def _duration(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    if hours and minutes:
        return _("%(h)s giờ %(m)s phút") % {"h": hours, "m": minutes}
    if hours:
        return _("%(h)s giờ") % {"h": hours}
    return _("%(m)s phút") % {"m": minutes}


def _hhmm(t: time | int) -> str:
    if isinstance(t, int):
        return f"{t // 3600:02d}:{t // 60 % 60:02d}"
    return t.strftime("%H:%M")


def _start_clock(schedule: Schedule, offset: int, secs: int) -> int:
    if offset == 0:
        return schedule.ms
    if offset == schedule.morning_len:
        return schedule.as_
    return secs


def explain_due(
    received_at: datetime,
    amount: Decimal | int,
    unit: str,
    calendar: Calendar,
    schedule: Schedule,
    due_at: datetime | None = None,
) -> list[ExplanationItem]:
    """One item per day from the receipt day to the due day: why it is counted or skipped. Per request only."""
    received_at = received_at.astimezone(TZ)
    if due_at is None:
        due_at = due_datetime(received_at, amount, unit, calendar, schedule)
    due_at = due_at.astimezone(TZ)
    start, end = received_at.date(), due_at.date()
    secs = received_at.hour * 3600 + received_at.minute * 60 + received_at.second
    cutoff = _hhmm(schedule.cutoff)
    items: list[ExplanationItem] = []

    def skipped(d: date) -> str:
        return calendar.day_reason(d) or _("Không phải ngày làm việc")

    def counted_label(d: date, text: str) -> str:
        label = calendar.work_days.get(d)
        return f"{text} ({label})" if label else text

    working_receipt = calendar.is_working_day(start)
    if unit == PeriodUnit.SAME_DAY:
        if not working_receipt:
            first = _("Ngày tiếp nhận, không phải ngày làm việc: %(r)s") % {"r": skipped(start)}
        elif secs <= schedule.cut:
            first = _("Ngày tiếp nhận trước %(t)s, trả kết quả trong ngày") % {"t": cutoff}
        else:
            first = _("Ngày tiếp nhận sau %(t)s, trả kết quả ngày làm việc tiếp theo") % {"t": cutoff}
        items.append(ExplanationItem(start, first))
        for o in range(start.toordinal() + 1, end.toordinal() + 1):
            d = date.fromordinal(o)
            if calendar.is_working_day(d):
                items.append(ExplanationItem(d, counted_label(d, _("Ngày trả kết quả"))))
            else:
                items.append(ExplanationItem(d, skipped(d)))
        return items

    if unit == PeriodUnit.WORKING_HOURS:
        remaining = halves_of(amount) * 1800
        for o in range(start.toordinal(), end.toordinal() + 1):
            d = date.fromordinal(o)
            if not calendar.is_working_day(d):
                reason = skipped(d)
                if d == start:
                    reason = _("Ngày tiếp nhận, không tính: %(r)s") % {"r": reason}
                items.append(ExplanationItem(d, reason))
                continue
            offset = schedule.offset_of(secs) if d == start else 0
            used = min(remaining, schedule.capacity - offset)
            remaining -= used
            if d == start:
                if used:
                    reason = _("Ngày tiếp nhận, tính %(dur)s làm việc từ %(t)s") % {
                        "dur": _duration(used),
                        "t": _hhmm(_start_clock(schedule, offset, secs)),
                    }
                else:
                    reason = _("Ngày tiếp nhận, ngoài giờ làm việc, không tính")
            else:
                reason = counted_label(d, _("Ngày làm việc, tính %(dur)s") % {"dur": _duration(used)})
            items.append(ExplanationItem(d, reason))
        return items

    # working days
    halves = halves_of(amount)
    counted_receipt = schedule.count_receipt_day and working_receipt and secs <= schedule.cut
    n = 0
    total_days = (halves + 1) // 2
    for o in range(start.toordinal(), end.toordinal() + 1):
        d = date.fromordinal(o)
        working = calendar.is_working_day(d)
        if d == start and not counted_receipt:
            if not working:
                reason = _("Ngày tiếp nhận, không tính: %(r)s") % {"r": skipped(d)}
            elif schedule.count_receipt_day:
                reason = _("Ngày tiếp nhận sau %(t)s, không tính") % {"t": cutoff}
            else:
                reason = _("Ngày tiếp nhận, không tính")
            items.append(ExplanationItem(d, reason))
            continue
        if not working:
            items.append(ExplanationItem(d, skipped(d)))
            continue
        n += 1
        text = _("Ngày làm việc thứ %(n)s") % {"n": n}
        if n == total_days and halves & 1:
            text = _("%(day)s, buổi sáng (nửa ngày)") % {"day": text}
        if d == start:
            text = _("Ngày tiếp nhận, tính là %(day)s") % {"day": text.lower()}
        items.append(ExplanationItem(d, counted_label(d, text)))
    return items


def compute_due(
    received_at: datetime,
    amount: Decimal | int,
    unit: str,
    calendar: Calendar,
    schedule: Schedule,
    *,
    explain: bool = True,
) -> DueResult:
    """Due datetime and, unless explain=False, the day-by-day explanation."""
    due_at = due_datetime(received_at, amount, unit, calendar, schedule)
    explanation = explain_due(received_at, amount, unit, calendar, schedule, due_at) if explain else []
    return DueResult(due_at=due_at, explanation=explanation)


def format_due(value: datetime) -> str:
    """'17:00, Thứ Hai 23/02/2026' in Asia/Ho_Chi_Minh."""
    local = value.astimezone(TZ)
    return f"{local:%H:%M}, {WEEKDAY_NAMES[local.weekday()]} {local:%d/%m/%Y}"


def format_day(value: date) -> str:
    """'Thứ Hai 23/02/2026'."""
    return f"{WEEKDAY_NAMES[value.weekday()]} {value:%d/%m/%Y}"
