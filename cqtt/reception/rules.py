"""Pure rules of citizen reception: the transitions tables of a session and of a visit, and the clocks in working
days (publication ≥ 5 working days before the session, Luật Tiếp công dân Art. 24; the refusal notice within 3,
ND 154/2026 Art. 4; the answer within 10, Art. 28). No database: the calendar is passed in."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from cqtt.accounts.models import Role
from cqtt.core.process import Process, transition
from cqtt.workdays.rules import Calendar

from .models import RefusalGround, SessionStatus, TaskStatus, VisitStatus

R = Role
SYSTEM = "system"  # the platform itself: a case's decision reported through the outbox
S, V, T = SessionStatus, VisitStatus, TaskStatus

PUBLISH_AHEAD_DAYS = 5  # Art. 24: the schedule is posted at least 5 working days before the reception day
REFUSAL_NOTICE_DAYS = 3  # ND 154/2026 Art. 4: Mẫu 01/TCD within 3 working days
ANSWER_DAYS = 10  # Art. 28: the person is told within 10 working days
NOTICE_GROUNDS = frozenset({RefusalGround.PERSISTENT, RefusalGround.REPEATED_PETITION})

SCHEDULERS = {R.LEADER, R.UNIT_ADMIN, R.COUNTER_OFFICER}
DESK = {R.COUNTER_OFFICER, R.LEADER}  # who enters the register at the reception desk
LEADERS = {R.LEADER}
TASK_KEEPERS = {R.COUNTER_OFFICER, R.SPECIALIST, R.LEADER}
READERS = {
    R.COUNTER_OFFICER,
    R.SPECIALIST,
    R.LEADER,
    R.UNIT_ADMIN,
    R.PROVINCIAL_SUPERVISOR,
    R.OBSERVER,
}
FULL_DATA_ROLES = READERS - {R.OBSERVER}  # the observer sees ID numbers and phones masked (ADR 0013)

SESSION = Process(
    "reception_session",
    [
        transition("create", {""}, S.DRAFT, SCHEDULERS, _("Lập lịch tiếp")),
        transition("publish", {S.DRAFT, S.POSTPONED}, S.PUBLISHED, SCHEDULERS, _("Công bố lịch tiếp")),
        transition("postpone", {S.PUBLISHED}, S.POSTPONED, SCHEDULERS, _("Hoãn buổi tiếp")),
        transition("hold", {S.PUBLISHED}, S.HELD, SCHEDULERS, _("Ghi nhận đã tiếp")),
        transition(
            "cancel", {S.DRAFT, S.PUBLISHED, S.POSTPONED}, S.CANCELLED, SCHEDULERS, _("Hủy buổi tiếp")
        ),
        transition("conclude", {S.HELD}, None, LEADERS, _("Ban hành thông báo kết luận")),
        transition("complete_task", {S.HELD}, None, TASK_KEEPERS, _("Ghi nhận hoàn thành việc giao")),
    ],
    state_label=lambda state: SessionStatus(state).label if state else "",
)

VISIT = Process(
    "reception_visit",
    [
        transition("record", {""}, V.OPEN, DESK, _("Ghi sổ tiếp công dân")),
        transition("refuse", {""}, V.REFUSED, DESK, _("Từ chối tiếp")),
        transition("refusal_notice", {V.REFUSED}, None, DESK, _("Gửi thông báo từ chối (Mẫu 01/TCD)")),
        transition("receive_documents", {V.OPEN, V.ANSWERED}, None, DESK, _("Nhận thông tin, tài liệu")),
        transition("answer", {V.OPEN}, V.ANSWERED, {*DESK, SYSTEM}, _("Trả lời công dân")),
        transition("follow_up", {V.OPEN, V.ANSWERED}, None, DESK, _("Ghi theo dõi kết quả giải quyết")),
        transition("to_feedback", {V.OPEN}, None, DESK, _("Chuyển thành phản ánh, kiến nghị")),
        transition("to_case", {V.OPEN}, None, DESK, _("Chuyển thành vụ việc khiếu nại, tố cáo, kiến nghị")),
    ],
    state_label=lambda state: VisitStatus(state).label if state else "",
)


def earliest_session_day(calendar: Calendar, published_on: dt.date) -> dt.date:
    """The first day a session published on `published_on` may be held: 5 working days later."""
    return calendar.add_working_days(published_on, PUBLISH_AHEAD_DAYS)


def publication_allowed(calendar: Calendar, published_on: dt.date, session_day: dt.date) -> bool:
    return session_day >= earliest_session_day(calendar, published_on)


def refusal_notice_due(calendar: Calendar, refused_on: dt.date) -> dt.date:
    return calendar.add_working_days(refused_on, REFUSAL_NOTICE_DAYS)


def notice_required(ground: str) -> bool:
    """Only the "persistent" and "repeated petition" grounds need the written notice (Mẫu 01/TCD)."""
    return ground in NOTICE_GROUNDS


def answer_due(calendar: Calendar, received_on: dt.date) -> dt.date:
    return calendar.add_working_days(received_on, ANSWER_DAYS)


def task_due(calendar: Calendar, issued_on: dt.date, days: int) -> dt.date:
    return calendar.add_working_days(issued_on, days)


def answered_on_time(due_on: dt.date, answered_on: dt.date) -> bool:
    return answered_on <= due_on


def is_overdue(due_on: dt.date | None, done_on: dt.date | None, today: dt.date) -> bool:
    return due_on is not None and done_on is None and today > due_on
