"""Writes of citizen reception. Every change of a session or a visit goes through one runner (`_begin`: row lock,
scope, the transitions table; `_apply`: the table's target, the version, the event row, the audit row and the
outbox event of stream "reception"). A visit opens the feedback item (and, once the complaints app has it, the
case) it produces in its own transaction, and keeps the link (ADR 0021)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import user_roles_in, user_scope
from cqtt.complaints import services as complaints
from cqtt.complaints.models import Channel as CaseChannel
from cqtt.complaints.models import Source as CaseSource
from cqtt.core import outbox
from cqtt.core.audit import audit_changes, audit_record, audit_snapshot
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.process import Process, Refusal
from cqtt.core.text import nfc, nfc_text
from cqtt.dossiers.rules import id_number_problem, normalise_id_number, normalise_phone, phone_problem
from cqtt.feedback import services as feedback
from cqtt.feedback.models import Channel as FeedbackChannel
from cqtt.feedback.models import Kind as FeedbackKind
from cqtt.units.models import Unit
from cqtt.workdays.rules import format_day
from cqtt.workdays.selectors import calendar_for

from . import rules
from .models import (
    AnswerKind,
    Conclusion,
    ReceptionEvent,
    RefusalGround,
    Session,
    SessionStatus,
    Task,
    TaskStatus,
    Visit,
    VisitKind,
    VisitStatus,
)

CONTENT_MAX = 5000
PLACE_MAX = 300
FEEDBACK_KINDS = {VisitKind.PETITION: FeedbackKind.RECOMMENDATION, VisitKind.REPORT: FeedbackKind.REPORT}


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _today(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def _calendar(unit: Unit):
    return calendar_for(unit.province_code)


def _require(actor, unit: Unit, process: Process, action: str, state: str = "") -> None:
    """The actor reaches the unit (404 otherwise) and one of their roles there may take `action` from `state`."""
    if not user_scope(actor).reaches(unit):
        raise NotInScope(_("Không tìm thấy đơn vị hoặc bạn không có quyền xem."))
    try:
        process.check(action, state, user_roles_in(actor, unit))
    except Refusal as refusal:
        if refusal.conflict:
            raise TransitionNotAllowed(str(refusal)) from None
        raise PermissionDenied(str(refusal)) from None


# --- the runner --------------------------------------------------------------------------------------------


def _begin(process: Process, action: str, *, actor, obj, expected_version: int | None = None):
    """Re-read the session or visit under a row lock, check the actor reaches its unit (404) and the table."""
    model = type(obj)
    locked = model.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=obj.pk).first()
    if locked is None or (actor is not None and not user_scope(actor).reaches(locked.unit)):
        raise NotInScope(_("Không tìm thấy hoặc bạn không có quyền xem."))
    if expected_version is not None and locked.version != expected_version:
        raise TransitionNotAllowed(_("Nội dung vừa được người khác cập nhật. Vui lòng tải lại trang."))
    try:
        roles = {rules.SYSTEM} if actor is None else user_roles_in(actor, locked.unit)
        process.check(action, locked.status, roles)
    except Refusal as refusal:
        if refusal.conflict:
            t = process.transitions.get(action)
            raise TransitionNotAllowed(
                _("Không thể “%(a)s” khi đang ở trạng thái “%(s)s”.")
                % {"a": t.label if t else action, "s": process.state_label(locked.status)}
            ) from None
        raise PermissionDenied(str(refusal)) from None
    locked._before = audit_snapshot(locked)
    return locked


def _apply(process: Process, obj, action: str, *, actor, at: dt.datetime, fields=(), note="", data=None):
    before = obj.status
    obj.status = process[action].target_from(before)
    obj.version += 1
    obj.save(update_fields=sorted({"status", "version", "updated_at", *fields}))
    _record(process, obj, action, actor=actor, at=at, before=before, note=note, data=data)
    return obj


def _record(process: Process, obj, action: str, *, actor, at: dt.datetime, before: str, note="", data=None):
    """The event row (timeline), the audit row with the changed fields and the outbox event."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    is_session = isinstance(obj, Session)
    ReceptionEvent.objects.create(
        session=obj if is_session else None,
        visit=None if is_session else obj,
        at=at,
        action=action,
        from_status=before,
        to_status=obj.status,
        actor=user,
        note=note[:2000],
        data=data or {},
    )
    kind = "session" if is_session else "visit"
    audit_record(
        actor=user,
        action=f"reception.{kind}.{action}",
        obj=obj,
        unit_code=obj.unit.code,
        summary=f"{process[action].label} #{obj.pk}",
        changes=audit_changes(obj, getattr(obj, "_before", {})),
        data=data or {},
    )
    payload = {"kind": kind, "unit_id": obj.unit_id, "from_status": before, "status": obj.status}
    payload["version"] = obj.version
    payload["actor_id"] = user.pk if user else None
    if is_session:
        payload["starts_at"] = timezone.localtime(obj.starts_at).isoformat()
    else:
        payload.update(
            visit_kind=obj.kind,
            answer_due_on=obj.answer_due_on.isoformat(),
            on_time=obj.on_time,
            feedback_code=obj.feedback_code,
            case_code=obj.case_code,
        )
    outbox.emit(stream="reception", aggregate_id=obj.pk, action=f"{kind}_{action}", at=at, payload=payload)


# --- sessions ----------------------------------------------------------------------------------------------


def earliest_session_day(*, unit: Unit, today: dt.date) -> dt.date:
    """The first day a session published today may be held, by the unit's calendar."""
    return rules.earliest_session_day(_calendar(unit), today)


def _publication_problem(unit: Unit, starts_at: dt.datetime, at: dt.datetime) -> str:
    calendar = _calendar(unit)
    today = _today(at)
    if rules.publication_allowed(calendar, today, timezone.localtime(starts_at).date()):
        return ""
    return _(
        "Lịch tiếp công dân phải được công bố chậm nhất 5 ngày làm việc trước ngày tiếp (Luật Tiếp công dân, "
        "Điều 24). Công bố hôm nay thì ngày tiếp sớm nhất là %(d)s."
    ) % {"d": format_day(rules.earliest_session_day(calendar, today))}


def _leader_problem(unit: Unit, leader: User | None) -> str:
    if leader is None or not leader.is_active or Role.LEADER not in user_roles_in(leader, unit):
        return _("Người tiếp phải là lãnh đạo của đơn vị (có vai trò lãnh đạo).")
    return ""


@transaction.atomic
def session_create(
    *,
    actor: User,
    unit: Unit,
    leader: User | None,
    starts_at: dt.datetime | None,
    place: str,
    content: str = "",
    participants: str = "",
    online: bool = False,
    publish: bool = False,
    at: dt.datetime | None = None,
) -> Session:
    """A new session of the schedule, as a draft (or published at once when `publish`)."""
    at = _now(at)
    _require(actor, unit, rules.SESSION, "create")
    errors: dict[str, list] = {}
    place, content = nfc(place)[:PLACE_MAX], nfc_text(content)[:CONTENT_MAX]
    if problem := _leader_problem(unit, leader):
        errors["leader"] = [problem]
    if not place:
        errors["place"] = [_("Vui lòng nhập địa điểm tiếp công dân.")]
    if starts_at is None:
        errors["starts_at"] = [_("Vui lòng nhập ngày, giờ tiếp (ví dụ 07/12/2026 08:00).")]
    elif starts_at <= at:
        errors["starts_at"] = [_("Thời gian tiếp phải ở tương lai.")]
    elif publish and (problem := _publication_problem(unit, starts_at, at)):
        errors["starts_at"] = [problem]
    if errors:
        raise ServiceError(errors)
    session = Session.objects.create(
        unit=unit,
        leader=leader,
        starts_at=starts_at,
        place=place,
        content=content,
        participants=nfc(participants)[:500],
        online=bool(online),
    )
    _record(rules.SESSION, session, "create", actor=actor, at=at, before="")
    if publish:
        session = session_publish(actor=actor, session=session, at=at)
    return session


@transaction.atomic
def session_publish(*, actor: User, session: Session, at: dt.datetime | None = None) -> Session:
    """Post the session on the schedule. A draft needs its day ≥ 5 working days ahead (Art. 24); a postponed
    session's new expected date is posted as it is, since the law asks only that it be posted."""
    at = _now(at)
    session = _begin(rules.SESSION, "publish", actor=actor, obj=session)
    if session.status == SessionStatus.DRAFT and (
        problem := _publication_problem(session.unit, session.starts_at, at)
    ):
        raise ServiceError({"starts_at": [problem]})
    if session.starts_at <= at:
        raise ServiceError(
            {"starts_at": [_("Thời gian tiếp đã qua: hãy hoãn sang ngày mới hoặc hủy buổi tiếp.")]}
        )
    session.published_at = at
    return _apply(rules.SESSION, session, "publish", actor=actor, at=at, fields=("published_at",))


@transaction.atomic
def session_postpone(
    *,
    actor: User,
    session: Session,
    new_starts_at: dt.datetime | None,
    reason: str,
    at: dt.datetime | None = None,
) -> Session:
    """Postpone a published session to a new expected date, which the public schedule shows at once; the old
    date stays in `previous_starts_at` and in the event."""
    at = _now(at)
    session = _begin(rules.SESSION, "postpone", actor=actor, obj=session)
    errors: dict[str, list] = {}
    reason = nfc_text(reason)[:2000]
    if not reason:
        errors["reason"] = [_("Vui lòng nêu lý do hoãn.")]
    if new_starts_at is None:
        errors["new_starts_at"] = [_("Vui lòng nhập ngày, giờ tiếp mới dự kiến.")]
    elif new_starts_at <= at or new_starts_at <= session.starts_at:
        errors["new_starts_at"] = [_("Ngày tiếp mới phải sau ngày tiếp cũ và ở tương lai.")]
    if errors:
        raise ServiceError(errors)
    old = session.starts_at
    session.previous_starts_at, session.starts_at, session.reason = old, new_starts_at, reason
    return _apply(
        rules.SESSION,
        session,
        "postpone",
        actor=actor,
        at=at,
        fields=("previous_starts_at", "starts_at", "reason"),
        note=reason,
        data={
            "from": timezone.localtime(old).isoformat(),
            "to": timezone.localtime(new_starts_at).isoformat(),
        },
    )


@transaction.atomic
def session_hold(*, actor: User, session: Session, at: dt.datetime | None = None) -> Session:
    at = _now(at)
    session = _begin(rules.SESSION, "hold", actor=actor, obj=session)
    if timezone.localtime(session.starts_at).date() > _today(at):
        raise ServiceError({"status": [_("Chưa đến ngày tiếp: chỉ ghi nhận đã tiếp từ ngày tiếp trở đi.")]})
    return _apply(rules.SESSION, session, "hold", actor=actor, at=at)


@transaction.atomic
def session_cancel(*, actor: User, session: Session, reason: str, at: dt.datetime | None = None) -> Session:
    at = _now(at)
    session = _begin(rules.SESSION, "cancel", actor=actor, obj=session)
    reason = nfc_text(reason)[:2000]
    if not reason:
        raise ServiceError({"reason": [_("Vui lòng nêu lý do hủy.")]})
    session.reason = reason
    return _apply(rules.SESSION, session, "cancel", actor=actor, at=at, fields=("reason",), note=reason)


@dataclass
class TaskData:
    content: str
    owner: str
    days: int


@transaction.atomic
def conclusion_issue(
    *,
    actor: User,
    session: Session,
    text: str,
    tasks: list[TaskData],
    number: str = "",
    at: dt.datetime | None = None,
) -> Conclusion:
    """The leader's notice of conclusions of a held session, with its follow-up tasks (deadlines in working days
    from the day it is issued)."""
    at = _now(at)
    session = _begin(rules.SESSION, "conclude", actor=actor, obj=session)
    errors: dict[str, list] = {}
    text = nfc_text(text)[:CONTENT_MAX]
    if not text:
        errors["text"] = [_("Vui lòng nhập nội dung kết luận.")]
    if Conclusion.objects.filter(session=session).exists():
        errors["text"] = [_("Buổi tiếp này đã có thông báo kết luận.")]
    for i, t in enumerate(tasks):
        if not nfc(t.content) or not nfc(t.owner):
            errors["tasks"] = [
                _("Việc giao thứ %(n)s: cần nội dung và cơ quan, người thực hiện.") % {"n": i + 1}
            ]
        elif not 1 <= t.days <= 90:
            errors["tasks"] = [_("Việc giao thứ %(n)s: thời hạn từ 1 đến 90 ngày làm việc.") % {"n": i + 1}]
    if errors:
        raise ServiceError(errors)
    today = _today(at)
    calendar = _calendar(session.unit)
    conclusion = Conclusion.objects.create(
        session=session, number=nfc(number)[:40], issued_on=today, text=text, issued_by=actor
    )
    for t in tasks:
        Task.objects.create(
            conclusion=conclusion,
            content=nfc_text(t.content)[:CONTENT_MAX],
            owner=nfc(t.owner)[:300],
            days=t.days,
            due_on=rules.task_due(calendar, today, t.days),
        )
    _apply(rules.SESSION, session, "conclude", actor=actor, at=at, data={"tasks": len(tasks)})
    return conclusion


@transaction.atomic
def task_complete(*, actor: User, task: Task, result: str, at: dt.datetime | None = None) -> Task:
    at = _now(at)
    session = _begin(rules.SESSION, "complete_task", actor=actor, obj=task.conclusion.session)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise TransitionNotAllowed(_("Việc này đã được ghi nhận hoàn thành."))
    result = nfc_text(result)[:CONTENT_MAX]
    if not result:
        raise ServiceError({"result": [_("Vui lòng nhập kết quả thực hiện.")]})
    task.status, task.done_on, task.result = TaskStatus.DONE, _today(at), result
    task.save(update_fields=["status", "done_on", "result", "updated_at"])
    _apply(rules.SESSION, session, "complete_task", actor=actor, at=at, data={"task": task.pk})
    return task


# --- visits ------------------------------------------------------------------------------------------------


@dataclass
class VisitData:
    person_name: str
    content: str
    kind: str
    address: str = ""
    id_number: str = ""
    phone: str = ""
    people: int = 1
    is_group: bool = False
    representatives: str = ""
    handled_before_by: str = ""
    within_competence: bool = True
    guidance: str = ""
    accepting_body: str = ""
    follow_up: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)


def _clean_visit(data: VisitData, errors: dict, today: dt.date) -> dict:
    out = {
        "person_name": nfc(data.person_name)[:200],
        "address": nfc(data.address)[:300],
        "content": nfc_text(data.content)[:CONTENT_MAX],
        "kind": data.kind,
        "people": data.people,
        "is_group": bool(data.is_group),
        "representatives": nfc_text(data.representatives)[:2000],
        "handled_before_by": nfc(data.handled_before_by)[:300],
        "within_competence": bool(data.within_competence),
        "guidance": nfc_text(data.guidance)[:2000],
        "accepting_body": nfc(data.accepting_body)[:300],
        "follow_up": nfc_text(data.follow_up)[:2000],
        "note": nfc_text(data.note)[:2000],
    }
    if not out["person_name"]:
        errors["person_name"] = [_("Vui lòng nhập họ tên người đến.")]
    if not out["content"]:
        errors["content"] = [_("Vui lòng tóm tắt nội dung vụ việc.")]
    if data.kind not in VisitKind.values:
        errors["kind"] = [_("Chọn loại đơn: khiếu nại, tố cáo, kiến nghị hoặc phản ánh.")]
    id_number = normalise_id_number(nfc(data.id_number))
    if id_number:
        # a 12-digit citizen ID is checked; a passport (letters and digits) is taken as typed
        if id_number.isdigit() and (problem := id_number_problem(id_number, today=today)):
            errors["id_number"] = [problem]
        elif not id_number.isalnum() or len(id_number) > 20:
            errors["id_number"] = [_("Số giấy tờ chỉ gồm chữ và số (CCCD 12 chữ số hoặc số hộ chiếu).")]
    out["id_number"] = id_number
    phone = normalise_phone(nfc(data.phone)) if data.phone else ""
    if phone and (problem := phone_problem(phone)):
        errors["phone"] = [problem]
    out["phone"] = phone
    if not isinstance(data.people, int) or not 1 <= data.people <= 1000:
        errors["people"] = [_("Số người từ 1 đến 1000.")]
    elif data.is_group and data.people < 5:
        errors["people"] = [_("Đoàn đông người là từ 5 người trở lên cùng nội dung.")]
    if data.is_group and not out["representatives"]:
        errors["representatives"] = [_("Đoàn đông người cần cử người đại diện: ghi họ tên người đại diện.")]
    if not out["within_competence"] and not out["guidance"]:
        errors["guidance"] = [
            _("Không thuộc thẩm quyền: ghi cơ quan có thẩm quyền đã hướng dẫn công dân đến.")
        ]
    return out


def _next_number(unit: Unit, year: int) -> int:
    """The next row of the unit's register this year (the unit row lock serialises concurrent desks)."""
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    last = Visit.objects.filter(unit=unit, year=year).aggregate(n=Max("number"))["n"] or 0
    return last + 1


@transaction.atomic
def visit_record(
    *,
    actor: User,
    unit: Unit,
    data: VisitData,
    session: Session | None = None,
    received_on: dt.date | None = None,
    refusal_ground: str = "",
    at: dt.datetime | None = None,
) -> Visit:
    """A new row of the register. With a refusal ground the visit is recorded as refused (the notice of Mẫu
    01/TCD is then due within 3 working days for the grounds that need it); otherwise the 10-working-day answer
    clock starts on the day of the visit."""
    at = _now(at)
    action = "refuse" if refusal_ground else "record"
    _require(actor, unit, rules.VISIT, action)
    today = _today(at)
    received_on = received_on or today
    errors: dict[str, list] = {}
    values = _clean_visit(data, errors, today)
    if refusal_ground and refusal_ground not in RefusalGround.values:
        errors["refusal_ground"] = [_("Chọn lý do từ chối trong danh sách.")]
    if received_on > today:
        errors["received_on"] = [_("Ngày tiếp không được ở tương lai.")]
    elif received_on < today - dt.timedelta(
        days=31
    ):  # not a deadline: how far back the register may be typed in
        errors["received_on"] = [_("Chỉ ghi sổ cho các lượt tiếp trong 31 ngày gần đây.")]
    if session is not None and session.unit_id != unit.pk:
        errors["session"] = [_("Buổi tiếp này không thuộc đơn vị.")]
    if errors:
        raise ServiceError(errors)
    calendar = _calendar(unit)
    visit = Visit(
        unit=unit,
        year=received_on.year,
        number=_next_number(unit, received_on.year),
        session=session,
        received_on=received_on,
        received_by=actor,
        answer_due_on=rules.answer_due(calendar, received_on),
        **values,
    )
    if refusal_ground:
        visit.status = VisitStatus.REFUSED
        visit.refusal_ground = refusal_ground
        if rules.notice_required(refusal_ground):
            visit.refusal_notice_due_on = rules.refusal_notice_due(calendar, received_on)
    visit.save(force_insert=True)
    _record(rules.VISIT, visit, action, actor=actor, at=at, before="", data={"ground": refusal_ground})
    return visit


@transaction.atomic
def visit_refusal_notice(*, actor: User, visit: Visit, at: dt.datetime | None = None) -> Visit:
    """Record that the written refusal notice (Mẫu 01/TCD) was issued today."""
    at = _now(at)
    visit = _begin(rules.VISIT, "refusal_notice", actor=actor, obj=visit)
    if not rules.notice_required(visit.refusal_ground):
        raise ServiceError(
            {
                "refusal_ground": [
                    _("Lý do từ chối này được giải thích trực tiếp, không cần thông báo Mẫu 01/TCD.")
                ]
            }
        )
    if visit.refusal_notice_on:
        raise TransitionNotAllowed(_("Thông báo từ chối đã được gửi."))
    visit.refusal_notice_on = _today(at)
    return _apply(rules.VISIT, visit, "refusal_notice", actor=actor, at=at, fields=("refusal_notice_on",))


@dataclass
class DocumentData:
    name: str
    pages: int = 1
    condition: str = ""


@transaction.atomic
def visit_receive_documents(
    *,
    actor: User,
    visit: Visit,
    documents: list[DocumentData],
    copies: int = 2,
    at: dt.datetime | None = None,
) -> Visit:
    """The information and documents the person hands over, listed for the receipt (Mẫu 02/TCD)."""
    at = _now(at)
    visit = _begin(rules.VISIT, "receive_documents", actor=actor, obj=visit)
    rows = [
        {"name": nfc(d.name)[:300], "pages": d.pages, "condition": nfc(d.condition)[:200]}
        for d in documents
        if nfc(d.name)
    ]
    errors: dict[str, list] = {}
    if not rows:
        errors["documents"] = [_("Vui lòng ghi ít nhất một tài liệu (tên, số trang, tình trạng).")]
    elif any(not isinstance(r["pages"], int) or not 1 <= r["pages"] <= 10000 for r in rows):
        errors["documents"] = [_("Số trang của mỗi tài liệu từ 1 đến 10000.")]
    if not 1 <= copies <= 10:
        errors["copies"] = [_("Số bản biên nhận từ 1 đến 10.")]
    if errors:
        raise ServiceError(errors)
    visit.documents, visit.documents_copies, visit.documents_received_at = rows, copies, at
    return _apply(
        rules.VISIT,
        visit,
        "receive_documents",
        actor=actor,
        at=at,
        fields=("documents", "documents_copies", "documents_received_at"),
        data={"documents": len(rows)},
    )


@transaction.atomic
def visit_answer(
    *,
    actor: User | None,
    visit: Visit,
    kind: str,
    answer: str,
    answered_on: dt.date | None = None,
    accepting_body: str = "",
    at: dt.datetime | None = None,
) -> Visit:
    """Tell the person what becomes of their matter (Art. 28): accepted, more time needed, refused, forwarded."""
    at = _now(at)
    visit = _begin(rules.VISIT, "answer", actor=actor, obj=visit)
    today = _today(at)
    answered_on = answered_on or today
    answer = nfc_text(answer)[:CONTENT_MAX]
    errors: dict[str, list] = {}
    if kind not in AnswerKind.values:
        errors["answer_kind"] = [_("Chọn hình thức trả lời.")]
    if not answer:
        errors["answer"] = [_("Vui lòng nhập nội dung đã trả lời công dân.")]
    if answered_on > today or answered_on < visit.received_on:
        errors["answered_on"] = [_("Ngày trả lời phải từ ngày tiếp đến hôm nay.")]
    if errors:
        raise ServiceError(errors)
    visit.answer_kind, visit.answer, visit.answered_on = kind, answer, answered_on
    visit.on_time = rules.answered_on_time(visit.answer_due_on, answered_on)
    fields = ["answer_kind", "answer", "answered_on", "on_time"]
    if accepting_body:
        visit.accepting_body = nfc(accepting_body)[:300]
        fields.append("accepting_body")
    return _apply(rules.VISIT, visit, "answer", actor=actor, at=at, fields=tuple(fields))


@transaction.atomic
def visit_follow_up(
    *, actor: User, visit: Visit, follow_up: str, note: str = "", accepting_body: str = "", at=None
) -> Visit:
    """Columns 11–13 of the register as the matter moves on: the accepting body, the result, notes."""
    at = _now(at)
    visit = _begin(rules.VISIT, "follow_up", actor=actor, obj=visit)
    follow_up = nfc_text(follow_up)[:2000]
    if not follow_up:
        raise ServiceError({"follow_up": [_("Vui lòng ghi kết quả giải quyết đã theo dõi được.")]})
    visit.follow_up, visit.note = follow_up, nfc_text(note)[:2000] or visit.note
    visit.accepting_body = nfc(accepting_body)[:300] or visit.accepting_body
    return _apply(
        rules.VISIT, visit, "follow_up", actor=actor, at=at, fields=("follow_up", "note", "accepting_body")
    )


@transaction.atomic
def visit_to_feedback(*, actor: User, visit: Visit, at: dt.datetime | None = None) -> Visit:
    """Open a feedback item (kiến nghị, phản ánh) from the visit, with one click, and keep its code."""
    at = _now(at)
    visit = _begin(rules.VISIT, "to_feedback", actor=actor, obj=visit)
    if visit.feedback_code or visit.case_code:
        raise TransitionNotAllowed(_("Lượt tiếp này đã được chuyển xử lý."))
    if visit.kind not in FEEDBACK_KINDS:
        raise ServiceError(
            {
                "kind": [
                    _("Khiếu nại, tố cáo được chuyển thành vụ việc khiếu nại, tố cáo, không phải phản ánh.")
                ]
            }
        )
    received_at = max(
        dt.datetime.combine(visit.received_on, dt.time(8, 0), tzinfo=timezone.get_current_timezone()),
        at - dt.timedelta(days=29),
    )
    item = feedback.feedback_submit(
        unit=visit.unit,
        kind=FEEDBACK_KINDS[visit.kind],
        content=visit.content
        if len(visit.content) >= feedback.CONTENT_MIN
        else f"{visit.content} — {visit.note}",
        # the inbox has no in-person channel: a petition handed over at the desk is a written letter
        channel=FeedbackChannel.PAPER_BOX,
        sender=feedback.SenderData(name=visit.person_name, phone=visit.phone, address=visit.address),
        subject=_("Tiếp công dân ngày %(d)s, số %(n)s")
        % {"d": f"{visit.received_on:%d/%m/%Y}", "n": visit.number},
        actor=actor,
        received_at=min(received_at, at),
        at=at,
    )
    visit.feedback_code = item.code
    return _apply(
        rules.VISIT,
        visit,
        "to_feedback",
        actor=actor,
        at=at,
        fields=("feedback_code",),
        data={"feedback_code": item.code},
    )


CASE_KINDS = {
    VisitKind.COMPLAINT: "complaint",
    VisitKind.DENUNCIATION: "denunciation",
    VisitKind.PETITION: "petition",
}


@transaction.atomic
def visit_to_case(*, actor: User, visit: Visit, at: dt.datetime | None = None) -> Visit:
    """Open a complaint, denunciation or petition case from the visit, with one click, in the visit's
    transaction (ADR 0021), and keep its code; the visitor's data goes to the case's sealed record."""
    at = _now(at)
    visit = _begin(rules.VISIT, "to_case", actor=actor, obj=visit)
    if visit.feedback_code or visit.case_code:
        raise TransitionNotAllowed(_("Lượt tiếp này đã được chuyển xử lý."))
    if visit.kind not in CASE_KINDS:
        raise ServiceError(
            {"kind": [_("Phản ánh được chuyển thành phản ánh, kiến nghị, không phải vụ việc.")]}
        )
    case = complaints.case_receive(
        actor=actor,
        unit=visit.unit,
        kind=CASE_KINDS[visit.kind],
        received_on=visit.received_on,
        channel=CaseChannel.IN_PERSON,
        person={
            "full_name": visit.person_name,
            "id_number": visit.id_number,
            "address": visit.address,
            "phone": visit.phone,
        },
        content=visit.content,
        source=CaseSource.RECEPTION_VISIT,
        source_ref=str(visit.pk),
        at=at,
    )
    visit.case_code = case.code
    fields = ["case_code"]
    if case.sealed:
        # the register row would show the denouncer beside the case's code: the data now lives in the case's
        # sealed record, which only its handler opens (Luật Tố cáo Art. 56)
        visit.person_name = str(_("(Người tố cáo — thông tin được giữ bí mật trong hồ sơ đơn)"))
        visit.address = visit.id_number = visit.phone = ""
        visit.content = case.content
        visit.representatives = ""
        fields += ["person_name", "address", "id_number", "phone", "content", "representatives"]
    return _apply(
        rules.VISIT,
        visit,
        "to_case",
        actor=actor,
        at=at,
        fields=tuple(fields),
        data={"case_code": case.code},
    )


# what a case's first decision tells the visitor (Art. 28), recorded when the complaints app reports it
CASE_ANSWERS = {"accept": AnswerKind.ACCEPTED, "refuse": AnswerKind.REFUSED, "transfer": AnswerKind.FORWARDED}


@transaction.atomic
def visit_answer_from_case(*, visit_id: int, action: str, case_code: str, at: dt.datetime) -> Visit | None:
    """The platform records the visit's answer from its case's acceptance, refusal or transfer (idempotent: a
    visit already answered is left as it is)."""
    visit = Visit.objects.filter(pk=visit_id, case_code=case_code).first()
    if visit is None or visit.status != VisitStatus.OPEN or action not in CASE_ANSWERS:
        return None
    labels = {
        "accept": _("Đã thụ lý đơn %(c)s."),
        "refuse": _("Không thụ lý đơn %(c)s."),
        "transfer": _("Đã chuyển đơn %(c)s đến cơ quan có thẩm quyền."),
    }
    visit = _begin(rules.VISIT, "answer", actor=None, obj=visit)
    answered_on = max(_today(at), visit.received_on)
    visit.answer_kind, visit.answered_on = CASE_ANSWERS[action], answered_on
    visit.answer = labels[action] % {"c": case_code}
    visit.on_time = rules.answered_on_time(visit.answer_due_on, answered_on)
    return _apply(
        rules.VISIT,
        visit,
        "answer",
        actor=None,
        at=at,
        fields=("answer_kind", "answer", "answered_on", "on_time"),
    )
