"""Pure rules of the dialogues app: the three transitions tables (dialogue, question, commitment), who may read
and write, a commitment's due date in working days with its day-by-day explanation, overdue and kept-on-time, and
whether a unit met the yearly legal minimum (one dialogue with the Fatherland Front, one youth dialogue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cqtt.accounts.models import Role
from cqtt.core.process import Process, transition
from cqtt.workdays.rules import Calendar, ExplanationItem

from .models import HELD_STATUSES, CommitmentStatus, Kind, QuestionStatus, Status

S, Q, C, R = Status, QuestionStatus, CommitmentStatus, Role
SYSTEM = "system"  # the public question form
# who prepares and runs dialogues, moderates questions and follows commitments: the leaders and the specialists
# of the unit; cancelling a dialogue, publishing its minutes and dropping a commitment are the leader's
WRITERS = frozenset({R.LEADER, R.SPECIALIST})
LEADERS = frozenset({R.LEADER})
# who reads the staff pages: every role reaching the unit, the Fatherland Front's observer included (read only)
READERS = frozenset(Role.values)
# whom a commitment may name as its owner: staff of the unit (not the observer, not a provincial supervisor)
OWNER_ROLES = frozenset({R.COUNTER_OFFICER, R.SPECIALIST, R.LEADER, R.UNIT_ADMIN})

DIALOGUE = Process(
    "dialogue",
    [
        transition("plan", {""}, S.PLANNED, WRITERS, _("Lập kế hoạch đối thoại")),
        transition("edit", {S.PLANNED, S.ANNOUNCED}, None, WRITERS, _("Sửa thông tin")),
        transition("announce", {S.PLANNED}, S.ANNOUNCED, WRITERS, _("Thông báo công khai")),
        transition("hold", {S.PLANNED, S.ANNOUNCED}, S.HELD, WRITERS, _("Ghi nhận đã tổ chức")),
        transition("publish_minutes", {S.HELD}, S.MINUTES_PUBLISHED, LEADERS, _("Công khai biên bản")),
        transition("cancel", {S.PLANNED, S.ANNOUNCED}, S.CANCELLED, LEADERS, _("Hủy buổi đối thoại")),
    ],
    state_label=lambda state: Status(state).label if state else "",
)

QUESTION = Process(
    "dialogue_question",
    [
        transition("ask", {""}, Q.RECEIVED, {SYSTEM, *WRITERS}, _("Nhận câu hỏi")),
        transition("accept", {Q.RECEIVED, Q.REJECTED}, Q.ACCEPTED, WRITERS, _("Đưa vào đối thoại")),
        transition("merge", {Q.RECEIVED, Q.ACCEPTED}, Q.MERGED, WRITERS, _("Gộp với câu hỏi khác")),
        transition("reject", {Q.RECEIVED, Q.ACCEPTED}, Q.REJECTED, WRITERS, _("Không đưa vào")),
        transition("answer", {Q.ACCEPTED, Q.ANSWERED}, Q.ANSWERED, WRITERS, _("Ghi câu trả lời")),
    ],
    state_label=lambda state: QuestionStatus(state).label if state else "",
)

COMMITMENT = Process(
    "dialogue_commitment",
    [
        transition("commit", {""}, C.OPEN, WRITERS, _("Ghi cam kết")),
        transition("complete", {C.OPEN}, C.DONE, WRITERS, _("Ghi nhận đã thực hiện")),
        transition("drop", {C.OPEN}, C.DROPPED, LEADERS, _("Không thực hiện")),
    ],
    state_label=lambda state: CommitmentStatus(state).label if state else "",
)

# which question actions the dialogue's state allows: questions are collected before the meeting and answered
# at it (or after it, while the minutes are written)
QUESTION_OPEN_FOR = {
    "ask": {S.PLANNED, S.ANNOUNCED, S.HELD},
    "accept": {S.PLANNED, S.ANNOUNCED, S.HELD},
    "merge": {S.PLANNED, S.ANNOUNCED, S.HELD},
    "reject": {S.PLANNED, S.ANNOUNCED, S.HELD},
    "answer": set(HELD_STATUSES),
}
PUBLIC_ASK_FOR = frozenset({S.ANNOUNCED})  # the public form: only for an announced dialogue

MAX_DUE_DAYS = 250  # about a year of working days


# --- commitments' due dates ----------------------------------------------------------------------------------


def commitment_due(calendar: Calendar, start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after the dialogue's date (the dialogue's day itself is not counted)."""
    return calendar.add_working_days(start, days)


def explain_commitment_due(calendar: Calendar, start: dt.date, due: dt.date) -> list[ExplanationItem]:
    """One line per day from the dialogue's day to the due day: counted as the n-th working day or skipped."""
    items = [ExplanationItem(start, str(_("Ngày đối thoại, không tính")))]
    n = 0
    for ordinal in range(start.toordinal() + 1, due.toordinal() + 1):
        day = dt.date.fromordinal(ordinal)
        if calendar.is_working_day(day):
            n += 1
            text = str(_("Ngày làm việc thứ %(n)s") % {"n": n})
            label = calendar.work_days.get(day)
            items.append(ExplanationItem(day, f"{text} ({label})" if label else text))
        else:
            items.append(ExplanationItem(day, calendar.day_reason(day) or str(_("Không phải ngày làm việc"))))
    return items


def is_overdue(*, status: str, due_date: dt.date, today: dt.date) -> bool:
    """Still open after its due date."""
    return status == C.OPEN and today > due_date


def kept_on_time(*, status: str, due_date: dt.date, done_on: dt.date | None) -> bool | None:
    """True when done on or before the due date, False when done late or dropped, None while still open."""
    if status == C.DONE and done_on is not None:
        return done_on <= due_date
    if status == C.DROPPED:
        return False
    return None


# --- the yearly legal minimum (Luật THDCCS 2022, Art. 32; the youth dialogue) -------------------------------

REQUIRED_KINDS = (Kind.ANNUAL_FRONT, Kind.YOUTH)
YOUTH_MONTH = 3  # Youth Month: the youth dialogue is normally held in March (a custom, not a deadline)


@dataclass(frozen=True)
class Requirement:
    kind: str
    held: bool  # a dialogue of this kind was held in the year
    planned: bool  # none held yet, but one is planned or announced in the year
    off_month: bool = False  # the youth dialogue held or planned, but none in March

    @property
    def met(self) -> bool:
        return self.held


def yearly_minimum(dialogues: Iterable[tuple[str, str, int]]) -> list[Requirement]:
    """From (kind, status, month) of one unit's dialogues of one year: for each required kind, whether one was
    held, else whether one is at least planned. A cancelled dialogue does not count."""
    rows = [(k, s, m) for k, s, m in dialogues if s != S.CANCELLED]
    out = []
    for kind in REQUIRED_KINDS:
        held = any(k == kind and s in HELD_STATUSES for k, s, _m in rows)
        planned = any(k == kind and s in (S.PLANNED, S.ANNOUNCED) for k, s, _m in rows)
        months = {m for k, _s, m in rows if k == kind}
        off_month = kind == Kind.YOUTH and bool(months) and YOUTH_MONTH not in months
        out.append(Requirement(kind=kind, held=held, planned=planned and not held, off_month=off_month))
    return out
