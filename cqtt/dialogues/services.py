"""Writes of the dialogues app. Every change of a dialogue, a question or a commitment goes through one runner
(`_begin`: the row locked, the actor's scope checked — 404 — and the transitions table — 403 for a role, 409 for
a state; `_apply`: the table's target, the version, the event row, the audit row and the outbox event of stream
"dialogues")."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.permissions import user_roles_in, user_scope
from cqtt.core import outbox
from cqtt.core.audit import audit_changes, audit_record, audit_snapshot
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.process import Process, Refusal
from cqtt.core.text import nfc, nfc_text
from cqtt.dossiers.rules import normalise_phone, phone_problem
from cqtt.feedback import rules as feedback_rules
from cqtt.feedback import selectors as feedback_selectors
from cqtt.units.models import Unit, UnitLevel
from cqtt.workdays.rules import OutOfCalendar
from cqtt.workdays.selectors import calendar_for

from . import rules
from .models import (
    Commitment,
    Dialogue,
    DialogueEvent,
    Kind,
    Question,
    QuestionSource,
    QuestionStatus,
    Status,
)

TEXT_MIN, TEXT_MAX = 10, 2000
LONG_MAX = 10000
DIALOGUE_LEVELS = (UnitLevel.COMMUNE,)
NOT_FOUND = "dialogue"


# --- the runner --------------------------------------------------------------------------------------------


def _roles(actor, unit: Unit) -> set[str]:
    return {rules.SYSTEM} if actor is None else user_roles_in(actor, unit)


def _check(process: Process, action: str, state: str, roles: set[str], what: str) -> None:
    try:
        process.check(action, state, roles)
    except Refusal as refusal:
        if refusal.conflict:
            raise TransitionNotAllowed(
                _("Không thể “%(a)s” khi %(w)s đang ở trạng thái “%(s)s”.")
                % {"a": process[action].label, "w": what, "s": process.state_label(state)}
            ) from None
        raise PermissionDenied(str(refusal)) from None


def _begin(process: Process, obj, action: str, *, actor, expected_version: int | None = None):
    """Re-read `obj` (a dialogue, question or commitment) under a row lock; 404 when the actor does not reach its
    unit; 409 for a stale version or a state the table refuses; 403 for a role it refuses."""
    model = type(obj)
    related = "unit" if model is Dialogue else "dialogue__unit"
    locked = model.objects.select_for_update(of=("self",)).select_related(related).filter(pk=obj.pk).first()
    dialogue = locked if model is Dialogue else getattr(locked, "dialogue", None)
    if locked is None or (actor is not None and not user_scope(actor).reaches(dialogue.unit)):
        raise NotInScope(NOT_FOUND)
    if expected_version is not None and locked.version != expected_version:
        raise TransitionNotAllowed(_("Dữ liệu vừa được người khác cập nhật. Vui lòng tải lại trang."))
    _allowed(process, locked, dialogue, action, actor=actor)
    locked._before = audit_snapshot(locked)
    return locked


def _allowed(process: Process, obj, dialogue: Dialogue, action: str, *, actor) -> None:
    what = {Dialogue: _("buổi đối thoại"), Question: _("câu hỏi"), Commitment: _("cam kết")}[type(obj)]
    _check(process, action, obj.status, _roles(actor, dialogue.unit), str(what))
    if isinstance(obj, Question) and dialogue.status not in rules.QUESTION_OPEN_FOR[action]:
        raise TransitionNotAllowed(
            _("Không thể “%(a)s” khi buổi đối thoại đang ở trạng thái “%(s)s”.")
            % {"a": process[action].label, "s": Status(dialogue.status).label}
        )


PROCESSES = {Dialogue: rules.DIALOGUE, Question: rules.QUESTION, Commitment: rules.COMMITMENT}


def action_check(obj, action: str, *, actor) -> None:
    """Raise as the action's service would for the actor's role and the object's state (403 / 409), writing
    nothing: for a page whose form came back invalid, so a refused role still gets 403, not its form's errors."""
    process = PROCESSES[type(obj)]
    if action not in process:
        raise TransitionNotAllowed(_("Thao tác không tồn tại."))
    dialogue = obj if isinstance(obj, Dialogue) else obj.dialogue
    _allowed(process, obj, dialogue, action, actor=actor)


def _apply(process: Process, obj, action: str, *, actor, at, fields=(), note: str = "", data=None):
    before = obj.status
    obj.status = process[action].target_from(before)
    obj.version += 1
    obj.save(update_fields=sorted({"status", "version", "updated_at", *fields}))
    _record(process, obj, action, actor=actor, at=at, before=before, note=note, data=data)
    return obj


def _record(process: Process, obj, action: str, *, actor, at, before: str, note: str = "", data=None) -> None:
    """The event row, the audit row with the changed fields and the outbox event (stream "dialogues")."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    dialogue = obj if isinstance(obj, Dialogue) else obj.dialogue
    target = {Dialogue: "dialogue", Question: "question", Commitment: "commitment"}[type(obj)]
    DialogueEvent.objects.create(
        dialogue=dialogue,
        target=target,
        target_id=obj.pk,
        at=at,
        action=action,
        from_status=before,
        to_status=obj.status,
        actor=user,
        note=note[:2000],
    )
    audit_record(
        actor=user,
        action=f"dialogues.{target}.{action}",
        obj=obj,
        unit_code=dialogue.unit.code,
        summary=f"{process[action].label} {dialogue.code}",
        changes=audit_changes(obj, getattr(obj, "_before", {})),
        data=data or {},
    )
    payload = {
        "code": dialogue.code,
        "unit_id": dialogue.unit_id,
        "target": target,
        "target_id": obj.pk,
        "from_status": before,
        "status": obj.status,
        "version": obj.version,
        "actor_id": user.pk if user else None,
        "data": data or {},
    }
    if isinstance(obj, Commitment):
        payload.update(
            due_date=obj.due_date.isoformat(),
            done_on=obj.done_on.isoformat() if obj.done_on else None,
            kept_on_time=rules.kept_on_time(status=obj.status, due_date=obj.due_date, done_on=obj.done_on),
            owner_id=obj.owner_id,
        )
    outbox.emit(
        stream="dialogues", aggregate_id=dialogue.pk, action=f"{target}_{action}", at=at, payload=payload
    )


def _text_problem(value: str, *, label: str, minimum: int = 1, maximum: int = TEXT_MAX) -> str:
    if not value:
        return _("Vui lòng nhập %(f)s.") % {"f": label}
    if len(value) < minimum:
        return _("%(f)s quá ngắn (ít nhất %(n)s ký tự).") % {"f": label.capitalize(), "n": minimum}
    if len(value) > maximum:
        return _("%(f)s tối đa %(n)s ký tự.") % {"f": label.capitalize(), "n": maximum}
    return ""


# --- dialogues ---------------------------------------------------------------------------------------------


def _dialogue_fields(values: dict, errors: dict) -> dict:
    out = {}
    kind = values.get("kind")
    if kind not in Kind.values:
        errors["kind"] = [_("Hãy chọn hình thức đối thoại.")]
    out["kind"] = kind
    for name, label, maximum, required in (
        ("topic", _("chủ đề"), 300, True),
        ("place", _("địa điểm"), 300, True),
        ("chair", _("người chủ trì"), 200, True),
        ("co_organiser", _("đơn vị phối hợp"), 200, False),
    ):
        value = nfc(values.get(name) or "")
        if required and (problem := _text_problem(value, label=str(label), maximum=maximum)):
            errors[name] = [problem]
        elif len(value) > maximum:
            errors[name] = [_("Tối đa %(n)s ký tự.") % {"n": maximum}]
        out[name] = value
    starts_at = values.get("starts_at")
    if not isinstance(starts_at, dt.datetime) or timezone.is_naive(starts_at):
        errors["starts_at"] = [_("Nhập ngày giờ đối thoại, ví dụ 15/03/2027 08:00.")]
    else:
        calendar = calendar_for(None)
        if not calendar.covers(timezone.localtime(starts_at).date()):
            errors["starts_at"] = [_("Ngày đối thoại nằm ngoài lịch làm việc của hệ thống.")]
    out["starts_at"] = starts_at
    if kind == Kind.ANNUAL_FRONT and not out.get("co_organiser"):
        errors["co_organiser"] = [
            _("Đối thoại hằng năm được tổ chức cùng Ủy ban Mặt trận Tổ quốc: hãy ghi đơn vị phối hợp.")
        ]
    return out


@transaction.atomic
def dialogue_plan(*, actor, unit: Unit, at: dt.datetime | None = None, **values) -> Dialogue:
    """A new dialogue of the unit, planned (not yet on the portal)."""
    at = at or timezone.now()
    if not user_scope(actor).reaches(unit):
        raise NotInScope(NOT_FOUND)
    _check(rules.DIALOGUE, "plan", "", _roles(actor, unit), str(_("buổi đối thoại")))
    if unit.level not in DIALOGUE_LEVELS:
        raise ServiceError({"unit": [_("Chỉ xã, phường tổ chức đối thoại trên hệ thống này.")]})
    errors: dict[str, list] = {}
    fields = _dialogue_fields(values, errors)
    if errors:
        raise ServiceError(errors)
    dialogue = Dialogue(unit=unit, created_by=actor, **fields)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                dialogue.save(force_insert=True)
            break
        except IntegrityError:
            dialogue.code = Dialogue._meta.get_field("code").default()
    _record(rules.DIALOGUE, dialogue, "plan", actor=actor, at=at, before="")
    return dialogue


@transaction.atomic
def dialogue_edit(*, actor, dialogue: Dialogue, at=None, expected_version=None, **values) -> Dialogue:
    at = at or timezone.now()
    dialogue = _begin(rules.DIALOGUE, dialogue, "edit", actor=actor, expected_version=expected_version)
    errors: dict[str, list] = {}
    fields = _dialogue_fields(values, errors)
    if errors:
        raise ServiceError(errors)
    for name, value in fields.items():
        setattr(dialogue, name, value)
    return _apply(rules.DIALOGUE, dialogue, "edit", actor=actor, at=at, fields=tuple(fields))


@transaction.atomic
def dialogue_announce(*, actor, dialogue: Dialogue, at=None, expected_version=None) -> Dialogue:
    """Published on the portal: the public can read it and send questions."""
    at = at or timezone.now()
    dialogue = _begin(rules.DIALOGUE, dialogue, "announce", actor=actor, expected_version=expected_version)
    dialogue.announced_at = at
    return _apply(rules.DIALOGUE, dialogue, "announce", actor=actor, at=at, fields=("announced_at",))


def _attendees_problem(attendees) -> str:
    if attendees is None or not 0 < int(attendees) <= 100000:
        return _("Ghi số người tham dự (từ 1 đến 100.000).")
    return ""


@transaction.atomic
def dialogue_hold(*, actor, dialogue: Dialogue, attendees: int | None = None, at=None, expected_version=None):
    """The dialogue took place (not before its time): questions can now be answered and commitments recorded."""
    at = at or timezone.now()
    dialogue = _begin(rules.DIALOGUE, dialogue, "hold", actor=actor, expected_version=expected_version)
    if dialogue.starts_at > at:
        raise ServiceError({"attendees": [_("Chưa đến giờ đối thoại: chỉ ghi nhận sau khi đã tổ chức.")]})
    if attendees is not None:
        if problem := _attendees_problem(attendees):
            raise ServiceError({"attendees": [problem]})
        dialogue.attendees = int(attendees)
    return _apply(rules.DIALOGUE, dialogue, "hold", actor=actor, at=at, fields=("attendees",))


@transaction.atomic
def dialogue_publish_minutes(
    *, actor, dialogue: Dialogue, attendees, summary: str, at=None, expected_version=None
) -> Dialogue:
    """The minutes (biên bản): attendance and summary, published with the answers on the report-back page."""
    at = at or timezone.now()
    dialogue = _begin(
        rules.DIALOGUE, dialogue, "publish_minutes", actor=actor, expected_version=expected_version
    )
    summary = nfc_text(summary)
    errors = {}
    if problem := _attendees_problem(attendees):
        errors["attendees"] = [problem]
    if problem := _text_problem(
        summary, label=str(_("tóm tắt biên bản")), minimum=TEXT_MIN, maximum=LONG_MAX
    ):
        errors["summary"] = [problem]
    if errors:
        raise ServiceError(errors)
    dialogue.attendees, dialogue.summary, dialogue.minutes_published_at = int(attendees), summary, at
    return _apply(
        rules.DIALOGUE,
        dialogue,
        "publish_minutes",
        actor=actor,
        at=at,
        fields=("attendees", "summary", "minutes_published_at"),
    )


@transaction.atomic
def dialogue_cancel(*, actor, dialogue: Dialogue, reason: str, at=None, expected_version=None) -> Dialogue:
    at = at or timezone.now()
    dialogue = _begin(rules.DIALOGUE, dialogue, "cancel", actor=actor, expected_version=expected_version)
    reason = nfc_text(reason)
    if problem := _text_problem(reason, label=str(_("lý do hủy"))):
        raise ServiceError({"reason": [problem]})
    dialogue.cancel_reason = reason
    return _apply(
        rules.DIALOGUE, dialogue, "cancel", actor=actor, at=at, fields=("cancel_reason",), note=reason
    )


DIALOGUE_ACTIONS = {
    "announce": dialogue_announce,
    "hold": dialogue_hold,
    "publish_minutes": dialogue_publish_minutes,
    "cancel": dialogue_cancel,
}


def dialogue_act(action: str, *, actor, dialogue: Dialogue, **kwargs) -> Dialogue:
    service = DIALOGUE_ACTIONS.get(action)
    if service is None:
        raise TransitionNotAllowed(_("Thao tác không tồn tại."))
    return service(actor=actor, dialogue=dialogue, **kwargs)


# --- questions ---------------------------------------------------------------------------------------------


def _new_question(dialogue: Dialogue, *, actor, at, **fields) -> Question:
    question = Question.objects.create(dialogue=dialogue, received_at=at, **fields)
    _record(rules.QUESTION, question, "ask", actor=actor, at=at, before="", data={"source": question.source})
    return question


def _open_dialogue(dialogue: Dialogue, *, actor, public: bool) -> Dialogue:
    locked = Dialogue.objects.select_for_update().select_related("unit").filter(pk=dialogue.pk).first()
    if locked is None or (actor is not None and not user_scope(actor).reaches(locked.unit)):
        raise NotInScope(NOT_FOUND)
    _check(rules.QUESTION, "ask", "", _roles(actor, locked.unit), str(_("câu hỏi")))
    allowed = rules.PUBLIC_ASK_FOR if public else rules.QUESTION_OPEN_FOR["ask"]
    if locked.status not in allowed:
        raise TransitionNotAllowed(
            _("Buổi đối thoại này không còn nhận câu hỏi (trạng thái “%(s)s”).")
            % {"s": Status(locked.status).label}
        )
    return locked


@transaction.atomic
def question_ask(
    *, dialogue: Dialogue, text: str, name: str = "", phone: str = "", actor=None, at=None
) -> Question:
    """A citizen's question through the portal (`actor=None`, an announced dialogue only), or one raised at the
    meeting and typed in by staff. Name and phone are optional."""
    at = at or timezone.now()
    text, name = nfc_text(text), nfc(name)
    phone = normalise_phone(nfc(phone)) if phone else ""
    errors = {}
    if problem := _text_problem(text, label=str(_("câu hỏi")), minimum=TEXT_MIN):
        errors["text"] = [problem]
    if len(name) > 200:
        errors["name"] = [_("Họ và tên tối đa 200 ký tự.")]
    if phone and phone_problem(phone):
        errors["phone"] = [phone_problem(phone)]
    if errors:
        raise ServiceError(errors)
    dialogue = _open_dialogue(dialogue, actor=actor, public=actor is None)
    source = QuestionSource.WEB if actor is None else QuestionSource.FLOOR
    return _new_question(
        dialogue, actor=actor, at=at, source=source, text=text, asker_name=name, asker_phone=phone
    )


@transaction.atomic
def question_from_feedback(*, actor, dialogue: Dialogue, feedback_code: str, at=None) -> Question:
    """An item of the unit's feedback inbox becomes a question of its dialogue, linked by the item's code; its
    text is taken without the sender's personal data (the sender stays in the inbox)."""
    at = at or timezone.now()
    dialogue = _open_dialogue(dialogue, actor=actor, public=False)
    code = nfc(feedback_code).upper()
    try:
        item = feedback_selectors.access_feedback(user=actor, code=code)
    except NotInScope:
        item = None
    if item is None or item.unit_id != dialogue.unit_id:
        raise ServiceError(
            {
                "feedback_code": [
                    _("Không tìm thấy phản ánh %(c)s trong hộp phản ánh của đơn vị.") % {"c": code}
                ]
            }
        )
    if Question.objects.filter(dialogue=dialogue, feedback_code=item.code).exists():
        raise ServiceError(
            {"feedback_code": [_("Phản ánh %(c)s đã có trong danh sách câu hỏi.") % {"c": item.code}]}
        )
    text = feedback_rules.redact(item.content, item.sender_name, item.sender_address)
    return _new_question(
        dialogue,
        actor=actor,
        at=at,
        source=QuestionSource.FEEDBACK,
        text=text[:LONG_MAX],
        feedback_code=item.code,
    )


@transaction.atomic
def question_accept(*, actor, question: Question, at=None, expected_version=None) -> Question:
    at = at or timezone.now()
    question = _begin(rules.QUESTION, question, "accept", actor=actor, expected_version=expected_version)
    question.reason, question.merged_into = "", None
    return _apply(rules.QUESTION, question, "accept", actor=actor, at=at, fields=("reason", "merged_into"))


@transaction.atomic
def question_merge(*, actor, question: Question, into: Question | None, at=None, expected_version=None):
    """A question that repeats another of the same dialogue: answered with it."""
    at = at or timezone.now()
    question = _begin(rules.QUESTION, question, "merge", actor=actor, expected_version=expected_version)
    if (
        into is None
        or into.pk == question.pk
        or into.dialogue_id != question.dialogue_id
        or into.status in (QuestionStatus.MERGED, QuestionStatus.REJECTED)
    ):
        raise ServiceError(
            {"into": [_("Chọn một câu hỏi khác của buổi đối thoại này (chưa bị gộp, không bị loại).")]}
        )
    question.merged_into = into
    return _apply(
        rules.QUESTION, question, "merge", actor=actor, at=at, fields=("merged_into",), data={"into": into.pk}
    )


@transaction.atomic
def question_reject(*, actor, question: Question, reason: str, at=None, expected_version=None) -> Question:
    at = at or timezone.now()
    question = _begin(rules.QUESTION, question, "reject", actor=actor, expected_version=expected_version)
    reason = nfc_text(reason)
    if problem := _text_problem(reason, label=str(_("lý do"))):
        raise ServiceError({"reason": [problem]})
    question.reason = reason
    return _apply(rules.QUESTION, question, "reject", actor=actor, at=at, fields=("reason",), note=reason)


@transaction.atomic
def question_answer(
    *, actor, question: Question, answer: str, answered_by: str = "", at=None, expected_version=None
) -> Question:
    """The answer given at the dialogue (recorded once it was held; may be corrected)."""
    at = at or timezone.now()
    question = _begin(rules.QUESTION, question, "answer", actor=actor, expected_version=expected_version)
    answer, answered_by = nfc_text(answer), nfc(answered_by)
    errors = {}
    if problem := _text_problem(answer, label=str(_("câu trả lời")), maximum=LONG_MAX):
        errors["answer"] = [problem]
    if len(answered_by) > 200:
        errors["answered_by"] = [_("Tối đa 200 ký tự.")]
    if errors:
        raise ServiceError(errors)
    question.answer, question.answered_by = answer, answered_by
    return _apply(rules.QUESTION, question, "answer", actor=actor, at=at, fields=("answer", "answered_by"))


QUESTION_ACTIONS = {
    "accept": question_accept,
    "merge": question_merge,
    "reject": question_reject,
    "answer": question_answer,
}


def question_act(action: str, *, actor, question: Question, **kwargs) -> Question:
    service = QUESTION_ACTIONS.get(action)
    if service is None:
        raise TransitionNotAllowed(_("Thao tác không tồn tại."))
    return service(actor=actor, question=question, **kwargs)


# --- commitments -------------------------------------------------------------------------------------------


def dialogue_day(dialogue: Dialogue) -> dt.date:
    return timezone.localtime(dialogue.starts_at).date()


def due_from(dialogue: Dialogue, *, days: int | None, due_date: dt.date | None) -> tuple[int | None, dt.date]:
    """The due date from a number of working days after the dialogue's day, or a date typed in (a working day
    after the dialogue); `ServiceError` on the field at fault."""
    calendar = calendar_for(dialogue.unit.province_code)
    start = dialogue_day(dialogue)
    if days is not None:
        if not 1 <= days <= rules.MAX_DUE_DAYS:
            raise ServiceError(
                {"due_days": [_("Số ngày làm việc từ 1 đến %(n)s.") % {"n": rules.MAX_DUE_DAYS}]}
            )
        try:
            return days, rules.commitment_due(calendar, start, days)
        except OutOfCalendar as error:
            raise ServiceError({"due_days": [str(error)]}) from None
    if due_date is None:
        raise ServiceError({"due_days": [_("Nhập số ngày làm việc hoặc chọn ngày hạn thực hiện.")]})
    if due_date <= start:
        raise ServiceError({"due_date": [_("Hạn thực hiện phải sau ngày đối thoại.")]})
    if not calendar.covers(due_date):
        raise ServiceError({"due_date": [_("Ngày này nằm ngoài lịch làm việc của hệ thống.")]})
    if not calendar.is_working_day(due_date):
        raise ServiceError(
            {
                "due_date": [
                    _("Ngày %(d)s không phải ngày làm việc (%(r)s): hãy chọn ngày làm việc.")
                    % {"d": due_date.strftime("%d/%m/%Y"), "r": calendar.day_reason(due_date)}
                ]
            }
        )
    return None, due_date


@transaction.atomic
def commitment_add(
    *,
    actor,
    dialogue: Dialogue,
    text: str,
    owner,
    days: int | None = None,
    due_date: dt.date | None = None,
    question: Question | None = None,
    at=None,
) -> Commitment:
    """A commitment made at a held dialogue, with its owner (staff of the unit) and its due date."""
    at = at or timezone.now()
    locked = Dialogue.objects.select_for_update().select_related("unit").filter(pk=dialogue.pk).first()
    if locked is None or not user_scope(actor).reaches(locked.unit):
        raise NotInScope(NOT_FOUND)
    _check(rules.COMMITMENT, "commit", "", _roles(actor, locked.unit), str(_("cam kết")))
    if not locked.was_held:
        raise TransitionNotAllowed(_("Chỉ ghi cam kết sau khi buổi đối thoại đã tổ chức."))
    text = nfc_text(text)
    errors = {}
    if problem := _text_problem(text, label=str(_("nội dung cam kết")), minimum=TEXT_MIN):
        errors["text"] = [problem]
    owners = feedback_selectors.staff_reaching(unit=locked.unit, roles=rules.OWNER_ROLES)
    if owner is None or not owners.filter(pk=owner.pk).exists():
        errors["owner"] = [_("Chọn cán bộ của %(u)s chịu trách nhiệm.") % {"u": locked.unit.full_name}]
    if question is not None and question.dialogue_id != locked.pk:
        errors["question"] = [_("Câu hỏi không thuộc buổi đối thoại này.")]
    try:
        due_days, due = due_from(locked, days=days, due_date=due_date)
    except ServiceError as error:
        errors.update(error.message_dict)
    if errors:
        raise ServiceError(errors)
    commitment = Commitment.objects.create(
        dialogue=locked, question=question, text=text, owner=owner, due_days=due_days, due_date=due
    )
    _record(rules.COMMITMENT, commitment, "commit", actor=actor, at=at, before="")
    return commitment


@transaction.atomic
def commitment_complete(
    *, actor, commitment: Commitment, done_on: dt.date | None, evidence: str, at=None, expected_version=None
) -> Commitment:
    """Done on `done_on` (not after today, not before the dialogue), with a note of what was done."""
    at = at or timezone.now()
    commitment = _begin(
        rules.COMMITMENT, commitment, "complete", actor=actor, expected_version=expected_version
    )
    evidence = nfc_text(evidence)
    errors = {}
    today = timezone.localtime(at).date()
    if done_on is None:
        errors["done_on"] = [_("Nhập ngày hoàn thành.")]
    elif done_on > today:
        errors["done_on"] = [_("Ngày hoàn thành không được ở tương lai.")]
    elif done_on < dialogue_day(commitment.dialogue):
        errors["done_on"] = [_("Ngày hoàn thành không được trước ngày đối thoại.")]
    if problem := _text_problem(evidence, label=str(_("kết quả, minh chứng")), maximum=LONG_MAX):
        errors["evidence"] = [problem]
    if errors:
        raise ServiceError(errors)
    commitment.done_on, commitment.evidence = done_on, evidence
    return _apply(
        rules.COMMITMENT,
        commitment,
        "complete",
        actor=actor,
        at=at,
        fields=("done_on", "evidence"),
        data={"on_time": done_on <= commitment.due_date},
    )


@transaction.atomic
def commitment_drop(
    *, actor, commitment: Commitment, reason: str, at=None, expected_version=None
) -> Commitment:
    """Not carried out, with the reason (shown on the report-back page)."""
    at = at or timezone.now()
    commitment = _begin(rules.COMMITMENT, commitment, "drop", actor=actor, expected_version=expected_version)
    reason = nfc_text(reason)
    if problem := _text_problem(reason, label=str(_("lý do"))):
        raise ServiceError({"reason": [problem]})
    commitment.reason = reason
    return _apply(rules.COMMITMENT, commitment, "drop", actor=actor, at=at, fields=("reason",), note=reason)


COMMITMENT_ACTIONS = {"complete": commitment_complete, "drop": commitment_drop}


def commitment_act(action: str, *, actor, commitment: Commitment, **kwargs) -> Commitment:
    service = COMMITMENT_ACTIONS.get(action)
    if service is None:
        raise TransitionNotAllowed(_("Thao tác không tồn tại."))
    return service(actor=actor, commitment=commitment, **kwargs)


def action_check_ask(dialogue: Dialogue, *, actor) -> None:
    """As `question_ask` by staff would refuse for the role and the dialogue's state (writes nothing)."""
    _check(rules.QUESTION, "ask", "", _roles(actor, dialogue.unit), str(_("câu hỏi")))
    if dialogue.status not in rules.QUESTION_OPEN_FOR["ask"]:
        raise TransitionNotAllowed(
            _("Buổi đối thoại này không còn nhận câu hỏi (trạng thái “%(s)s”).")
            % {"s": Status(dialogue.status).label}
        )


def action_check_commit(dialogue: Dialogue, *, actor) -> None:
    """As `commitment_add` would refuse for the role and the dialogue's state (writes nothing)."""
    _check(rules.COMMITMENT, "commit", "", _roles(actor, dialogue.unit), str(_("cam kết")))
    if not dialogue.was_held:
        raise TransitionNotAllowed(_("Chỉ ghi cam kết sau khi buổi đối thoại đã tổ chức."))
