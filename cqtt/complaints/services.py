"""Writes of complaints, denunciations and petitions. Every change of state goes through one runner (`_begin`:
row lock, scope, the kind's transitions table; `_apply`: the table's target, version, the case's event, the audit
row and the outbox event of stream "complaints"). The person's identity is written once at intake into its own
record and read back only by `identity_reveal`, which logs the opening."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import require_role, user_roles_in, user_scope
from cqtt.core import outbox
from cqtt.core.audit import audit_changes, audit_record, audit_snapshot
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.process import Refusal
from cqtt.core.text import nfc, nfc_text
from cqtt.dossiers.rules import id_number_problem, normalise_phone, phone_problem
from cqtt.notifications import rules as notice_rules
from cqtt.notifications import services as notices
from cqtt.units.models import FootageRequest, FootageSource, Unit, UnitLevel
from cqtt.units.services import footage_request_open
from cqtt.workdays.rules import OutOfCalendar, format_day
from cqtt.workdays.selectors import calendar_for

from . import rules, selectors
from .models import (
    CODE_PREFIX,
    Case,
    CaseEvent,
    CaseSequence,
    Channel,
    ComplaintSettings,
    Counting,
    Identity,
    IdentityAccess,
    Kind,
    Source,
    Status,
)

CONTENT_MIN, CONTENT_MAX = 10, 20000
REASON_MIN, REASON_MAX = 10, 2000
CASE_LEVELS = (UnitLevel.COMMUNE, UnitLevel.PROVINCE)
SETTINGS_ROLES = (Role.LEADER, Role.UNIT_ADMIN)
OLDEST_RECEIPT_DAYS = 3660  # a letter typed in late is bounded to ten years back (calendar coverage)


def unit_settings(unit: Unit) -> ComplaintSettings:
    return ComplaintSettings.objects.filter(unit=unit).first() or ComplaintSettings(unit=unit)


def _today(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def _user(actor) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- intake ------------------------------------------------------------------------------------------------


@dataclass
class Person:
    full_name: str = ""
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""

    @classmethod
    def of(cls, data: dict | None) -> Person:
        data = data or {}
        return cls(
            **{k: str(data.get(k) or "") for k in ("full_name", "id_number", "address", "phone", "email")}
        )


def _clean_person(person: Person, errors: dict, *, today: dt.date) -> Person:
    full_name, address = nfc(person.full_name)[:200], nfc(person.address)[:300]
    id_number = nfc(person.id_number).replace(" ", "")
    if id_number and (problem := id_number_problem(id_number, today=today)):
        errors["person.id_number"] = [problem]
    phone = normalise_phone(nfc(person.phone)) if person.phone else ""
    if phone and (problem := phone_problem(phone)):
        errors["person.phone"] = [problem]
    email = nfc(person.email).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["person.email"] = [_("Địa chỉ thư điện tử không hợp lệ, ví dụ: ten@example.vn.")]
    return Person(full_name, id_number[:12], address, phone[:20], email[:254])


def _redacted(text: str, person: Person) -> str:
    return rules.redact(text, names=[person.full_name], others=[person.address, person.phone, person.email])


def _scrub(case: Case, text: str) -> str:
    """A free text of a sealed case (a reason, a note, an outcome) with the person's data removed: it is shown
    to verifiers and printed."""
    if not case.sealed or not text:
        return text
    identity = Identity.objects.filter(case=case).first()
    if identity is None:
        return text
    person = Person(identity.full_name, identity.id_number, identity.address, identity.phone, identity.email)
    return _redacted(text, person)


def _next_code(unit: Unit, kind: str, year: int) -> str:
    CaseSequence.objects.get_or_create(unit=unit, kind=kind, year=year)
    CaseSequence.objects.filter(unit=unit, kind=kind, year=year).update(last=F("last") + 1)
    last = CaseSequence.objects.values_list("last", flat=True).get(unit=unit, kind=kind, year=year)
    return f"{CODE_PREFIX[kind]}-{unit.code}-{year % 100:02d}{last:05d}"


def _deadline(unit: Unit, start: dt.date, period: rules.Period, **kwargs) -> rules.Deadline:
    try:
        return rules.deadline(start, period, calendar_for(unit.province_code), **kwargs)
    except OutOfCalendar as exc:
        raise ServiceError({"received_on": [str(exc)]}) from None


def intake_problems(*, unit, kind, channel, received_on, content, today, decision_known_on=None) -> dict:
    errors: dict[str, list] = {}
    if unit is None or unit.level not in CASE_LEVELS or not unit.is_active:
        errors["unit_code"] = [_("Không tìm thấy xã, phường hoặc tỉnh nhận đơn.")]
    if kind not in Kind.values:
        errors["kind"] = [_("Chọn loại đơn: khiếu nại, tố cáo hoặc kiến nghị, phản ánh.")]
    if channel not in Channel.values:
        errors["channel"] = [
            _("Hình thức tiếp nhận phải là trực tiếp, bưu chính, trực tuyến hoặc được chuyển đến.")
        ]
    if not isinstance(received_on, dt.date):
        errors["received_on"] = [_("Ngày nhận đơn không hợp lệ, ví dụ: 2026-12-01.")]
    elif received_on > today:
        errors["received_on"] = [_("Ngày nhận đơn không được sau hôm nay.")]
    elif (today - received_on).days > OLDEST_RECEIPT_DAYS:
        errors["received_on"] = [_("Ngày nhận đơn quá xa trong quá khứ.")]
    if decision_known_on is not None and isinstance(received_on, dt.date) and decision_known_on > received_on:
        errors["decision_known_on"] = [
            _("Ngày biết quyết định, hành vi bị khiếu nại không được sau ngày nhận đơn.")
        ]
    if len(content) < CONTENT_MIN:
        errors["content"] = [_("Nội dung đơn quá ngắn: ghi rõ việc gì, ai, ở đâu, khi nào.")]
    elif len(content) > CONTENT_MAX:
        errors["content"] = [_("Nội dung đơn quá dài (tối đa %(n)s ký tự).") % {"n": CONTENT_MAX}]
    return errors


@transaction.atomic
def case_receive(
    *,
    actor,
    unit: Unit | None,
    kind: str,
    received_on: dt.date,
    channel: str,
    person: dict | Person | None,
    content: str,
    remote_area: bool = False,
    complex: bool = False,
    several_places: bool = False,
    anonymous: bool = False,
    instance: int = 1,
    decision_known_on: dt.date | None = None,
    source: str = "",
    source_ref: str = "",
    split_from: Case | None = None,
    sealed: bool = False,
    at: dt.datetime | None = None,
) -> Case:
    """A new case in the unit's book, with its first deadline. The person's data goes to the sealed record; the
    case keeps a copy of the content with that data removed. A denunciation without a name (or flagged
    pseudonymous) is kept as anonymous: it is not handled as a denunciation (Luật Tố cáo Art. 25)."""
    at = at or timezone.now()
    today = _today(at)
    person = person if isinstance(person, Person) else Person.of(person)
    content = nfc_text(content)
    errors = intake_problems(
        unit=unit,
        kind=kind,
        channel=channel,
        received_on=received_on,
        content=content,
        today=today,
        decision_known_on=decision_known_on,
    )
    person = _clean_person(person, errors, today=today)
    if source not in Source.values:
        errors["source"] = [_("Nguồn đơn không hợp lệ.")]
    if instance not in (1, 2) or (instance == 2 and kind != Kind.COMPLAINT):
        errors["instance"] = [_("Chỉ khiếu nại mới có lần giải quyết thứ hai.")]
    anonymous = bool(anonymous) or (kind == Kind.DENUNCIATION and not person.full_name)
    if kind == Kind.COMPLAINT and not person.full_name:
        errors["person.full_name"] = [_("Ghi họ và tên người gửi đơn.")]
    if errors:
        raise ServiceError(errors)
    require_role(actor, unit, rules.INTAKE)
    acceptance = _deadline(unit, received_on, rules.acceptance_period(kind, several_places=several_places))
    case = Case(
        code=_next_code(unit, kind, received_on.year),
        unit=unit,
        kind=kind,
        channel=channel,
        source=source,
        source_ref=nfc(source_ref)[:64],
        split_from=split_from,
        instance=instance,
        remote_area=bool(remote_area),
        complex=bool(complex),
        several_places=bool(several_places),
        anonymous=anonymous,
        identity_sealed=bool(sealed) or kind == Kind.DENUNCIATION,
        content=_redacted(content, person),
        received_on=received_on,
        decision_known_on=decision_known_on,
        acceptance_due_on=acceptance.due_on,
    )
    if kind == Kind.DENUNCIATION:
        case.forward_due_on = _deadline(unit, received_on, rules.PERIODS["denunciation_forward"]).due_on
    # the designated handler: the leader who received it, else the leader who accepts it
    if Role.LEADER in user_roles_in(actor, unit):
        case.handler = actor
    case.save(force_insert=True)
    Identity.objects.create(case=case, original_content=content, **person.__dict__)
    note = ""
    if kind == Kind.COMPLAINT:
        try:
            note = rules.limitation_problem(received_on, decision_known_on, calendar_for(unit.province_code))
        except OutOfCalendar as exc:
            raise ServiceError({"decision_known_on": [str(exc)]}) from None
    _record(
        case, "receive", actor=actor, at=at, before="", note=note, data={"deadline": acceptance.as_dict()}
    )
    return case


def case_explanation(case: Case) -> rules.Deadline:
    """The case's current deadline with its rule and days (acceptance while received, else resolution)."""
    if case.status == Status.RECEIVED or case.accepted_on is None:
        return _deadline(
            case.unit,
            case.received_on,
            rules.acceptance_period(case.kind, several_places=case.several_places),
        )
    period = rules.resolution_period(
        case.kind, instance=case.instance, remote_area=case.remote_area, complex=case.complex
    )
    amount = unit_settings(case.unit).petition_days if case.kind == Kind.PETITION else None
    base = _deadline(case.unit, case.accepted_on, period, counting=case.resolution_counting, amount=amount)
    if case.resolution_due_on and case.resolution_due_on != base.due_on:
        days = [*base.explanation]
        days.append(
            {
                "date": case.resolution_due_on.isoformat(),
                "reason": _("Hạn sau gia hạn hoặc tạm đình chỉ (xem lịch sử đơn)"),
            }
        )
        return rules.Deadline(case.resolution_due_on, period, base.amount, base.counting, days)
    return base


# --- the runner --------------------------------------------------------------------------------------------


def _roles(actor, case: Case) -> set[str]:
    return user_roles_in(actor, case.unit)


def _begin(action: str, *, actor, case: Case, expected_version: int | None = None) -> Case:
    locked = Case.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=case.pk).first()
    if locked is None or not user_scope(actor).reaches(locked.unit):
        raise NotInScope(_("Không tìm thấy đơn hoặc bạn không có quyền xem."))
    if not (user_roles_in(actor, locked.unit) & rules.READERS):
        raise NotInScope(_("Không tìm thấy đơn hoặc bạn không có quyền xem."))
    if expected_version is not None and locked.version != expected_version:
        raise TransitionNotAllowed(
            _("Đơn %(c)s vừa được người khác cập nhật. Vui lòng tải lại trang.") % {"c": locked.code}
        )
    process = rules.PROCESSES[locked.kind]
    try:
        process.check(action, locked.status, _roles(actor, locked))
    except Refusal as refusal:
        if refusal.conflict:
            t = process.transitions.get(action)
            raise TransitionNotAllowed(
                _("Không thể “%(a)s” khi đơn đang ở trạng thái “%(s)s”.")
                % {"a": t.label if t else action, "s": Status(locked.status).label}
            ) from None
        raise PermissionDenied(str(refusal)) from None
    locked._before = audit_snapshot(locked)
    return locked


def _apply(
    case: Case, action: str, *, actor, at, fields=(), note: str = "", data: dict | None = None
) -> Case:
    before = case.status
    case.status = rules.PROCESSES[case.kind][action].target_from(before)
    case.version += 1
    case.save(update_fields=sorted({"status", "version", "updated_at", *fields}))
    _record(case, action, actor=actor, at=at, before=before, note=note, data=data)
    _notify(case, action, at=at)
    return case


def _record(case: Case, action: str, *, actor, at, before: str, note: str = "", data: dict | None = None):
    """The case's event, the audit row with the changed fields, and the outbox event — none with personal data."""
    user = _user(actor)
    CaseEvent.objects.create(
        case=case,
        at=at,
        action=action,
        from_status=before,
        to_status=case.status,
        actor=user,
        note=note[:4000],
        data=data or {},
    )
    label = rules.PROCESSES[case.kind][action].label
    audit_record(
        actor=user,
        action=f"complaints.{action}",
        obj=case,
        unit_code=case.unit.code,
        summary=f"{label} {case.code}",
        changes=audit_changes(case, getattr(case, "_before", {})),
        data={k: v for k, v in (data or {}).items() if k != "deadline"},
    )
    outbox.emit(
        stream="complaints",
        aggregate_id=case.pk,
        action=action,
        at=at,
        payload={
            "code": case.code,
            "unit_id": case.unit_id,
            "kind": case.kind,
            "from_status": before,
            "status": case.status,
            "version": case.version,
            "source": case.source,
            "source_ref": case.source_ref,
            "on_time": case.on_time,
            "actor_id": user.pk if user else None,
        },
    )


def _text(value: str, field: str, message, *, minimum: int = REASON_MIN) -> str:
    text = nfc_text(value)
    if len(text) < minimum:
        raise ServiceError({field: [message]})
    return text[:REASON_MAX]


def _on_or_today(value: dt.date | None, at: dt.datetime, case: Case, field: str) -> dt.date:
    """The day an act took place: the given date (not in the future, not before the case was received)."""
    today = _today(at)
    value = value or today
    if value > today:
        raise ServiceError({field: [_("Ngày không được sau hôm nay.")]})
    if value < case.received_on:
        raise ServiceError(
            {field: [_("Ngày không được trước ngày nhận đơn %(d)s.") % {"d": format_day(case.received_on)}]}
        )
    return value


def _close(case: Case, on: dt.date, due: dt.date | None) -> None:
    case.closed_on = on
    case.on_time = None if due is None else on <= due


# --- actions -----------------------------------------------------------------------------------------------


@transaction.atomic
def case_accept(*, actor, case: Case, accepted_on=None, at=None, expected_version=None) -> Case:
    """Accepted for resolution (thụ lý): the resolution period starts, counted as the unit chose where the law
    says only "days"; the accepting leader becomes the identity's handler when none was designated."""
    at = at or timezone.now()
    case = _begin("accept", actor=actor, case=case, expected_version=expected_version)
    case.accepted_on = _on_or_today(accepted_on, at, case, "accepted_on")
    config = unit_settings(case.unit)
    case.resolution_counting = config.resolution_counting
    period = rules.resolution_period(
        case.kind, instance=case.instance, remote_area=case.remote_area, complex=case.complex
    )
    amount = config.petition_days if case.kind == Kind.PETITION else None
    due = _deadline(case.unit, case.accepted_on, period, counting=case.resolution_counting, amount=amount)
    case.resolution_due_on = due.due_on
    case.on_time = case.accepted_on <= case.acceptance_due_on
    if case.handler_id is None:
        case.handler = actor
    return _apply(
        case,
        "accept",
        actor=actor,
        at=at,
        fields=("accepted_on", "resolution_counting", "resolution_due_on", "on_time", "handler"),
        data={"deadline": due.as_dict()},
    )


@transaction.atomic
def case_refuse(*, actor, case: Case, reason: str, at=None, expected_version=None) -> Case:
    at = at or timezone.now()
    case = _begin("refuse", actor=actor, case=case, expected_version=expected_version)
    case.reason = _scrub(case, _text(reason, "reason", _("Ghi lý do không thụ lý (ít nhất 10 ký tự).")))
    _close(case, _today(at), case.acceptance_due_on)
    return _apply(
        case, "refuse", actor=actor, at=at, fields=("reason", "closed_on", "on_time"), note=case.reason
    )


@transaction.atomic
def case_transfer(
    *, actor, case: Case, target_body: str, reason: str = "", at=None, expected_version=None
) -> Case:
    """Not within competence: forwarded (a denunciation within 5 working days, Art. 24(2)); the person told."""
    at = at or timezone.now()
    case = _begin("transfer", actor=actor, case=case, expected_version=expected_version)
    body = _text(target_body, "target_body", _("Ghi cơ quan có thẩm quyền nhận đơn."), minimum=3)
    case.target_body = _scrub(case, body)[:300]
    case.reason = _scrub(case, nfc_text(reason)[:REASON_MAX])
    _close(case, _today(at), case.forward_due_on or case.acceptance_due_on)
    return _apply(
        case,
        "transfer",
        actor=actor,
        at=at,
        fields=("target_body", "reason", "closed_on", "on_time"),
        note=case.target_body,
    )


def _staff_of(unit: Unit, username: str, roles: set[str], field: str) -> User:
    user = User.objects.filter(username=nfc(username), is_active=True).first()
    if user is None or not (user_roles_in(user, unit) & roles):
        raise ServiceError({field: [_("Không tìm thấy cán bộ này với vai trò phù hợp tại đơn vị.")]})
    return user


@transaction.atomic
def case_assign(
    *, actor, case: Case, assignee: str = "", handler: str = "", at=None, expected_version=None
) -> Case:
    """The verifier (who works on the redacted copy), and/or a new handler of the identity (a leader)."""
    at = at or timezone.now()
    case = _begin("assign", actor=actor, case=case, expected_version=expected_version)
    if not assignee and not handler:
        raise ServiceError({"assignee": [_("Chọn người xác minh hoặc người quản lý thông tin người gửi.")]})
    fields, data = [], {}
    if assignee:
        case.assignee = _staff_of(case.unit, assignee, {Role.SPECIALIST, Role.LEADER}, "assignee")
        fields.append("assignee")
        data["assignee"] = case.assignee.username
    if handler:
        if case.sealed and _handler_in_office(case) and case.handler_id != actor.pk:
            raise PermissionDenied(
                _("Chỉ người đang quản lý thông tin người tố cáo mới được giao lại việc này.")
            )
        case.handler = _staff_of(case.unit, handler, {Role.LEADER}, "handler")
        fields.append("handler")
        data["handler"] = case.handler.username
    return _apply(case, "assign", actor=actor, at=at, fields=tuple(fields), data=data)


def _handler_in_office(case: Case) -> bool:
    """Whether the case has a handler who is still active and still a leader of its unit (one who left or lost
    the role is replaced by a leader of the unit, and the change is logged like any assignment)."""
    if case.handler_id is None:
        return False
    handler = User.objects.filter(pk=case.handler_id, is_active=True).first()
    return handler is not None and Role.LEADER in user_roles_in(handler, case.unit)


@transaction.atomic
def case_extend(
    *, actor, case: Case, decision_number: str = "", reason: str = "", at=None, expected_version=None
):
    """A denunciation: extended by 30 days with a written decision, at most twice (Art. 30). A complaint: the
    period of a complex case applies (Luật Khiếu nại Arts. 28, 37), once."""
    at = at or timezone.now()
    case = _begin("extend", actor=actor, case=case, expected_version=expected_version)
    reason = _scrub(case, _text(reason, "reason", _("Ghi lý do gia hạn (ít nhất 10 ký tự).")))
    if case.kind == Kind.DENUNCIATION:
        if case.extension_count >= rules.MAX_EXTENSIONS:
            raise TransitionNotAllowed(_("Tố cáo chỉ được gia hạn tối đa hai lần (Luật Tố cáo, Điều 30)."))
        number = nfc(decision_number).strip()
        if not number:
            raise ServiceError(
                {"decision_number": [_("Ghi số quyết định gia hạn (gia hạn phải bằng văn bản).")]}
            )
        due = _deadline(
            case.unit,
            case.resolution_due_on,
            rules.PERIODS["denunciation_extension"],
            counting=case.resolution_counting,
        )
        case.decision_number = number[:64]
    else:
        if case.complex:
            raise TransitionNotAllowed(_("Đơn đã áp dụng thời hạn vụ việc phức tạp."))
        case.complex = True
        period = rules.resolution_period(
            case.kind, instance=case.instance, remote_area=case.remote_area, complex=True
        )
        due = _deadline(case.unit, case.accepted_on, period, counting=case.resolution_counting)
    case.extension_count += 1
    case.resolution_due_on = due.due_on
    return _apply(
        case,
        "extend",
        actor=actor,
        at=at,
        fields=("extension_count", "resolution_due_on", "complex", "decision_number"),
        note=reason,
        data={"deadline": due.as_dict(), "decision_number": case.decision_number},
    )


@transaction.atomic
def case_conclude(
    *,
    actor,
    case: Case,
    outcome: str,
    decision_number: str = "",
    concluded_on=None,
    at=None,
    expected_version=None,
) -> Case:
    at = at or timezone.now()
    case = _begin("conclude", actor=actor, case=case, expected_version=expected_version)
    outcome_text = nfc_text(outcome)
    if len(outcome_text) < REASON_MIN:
        raise ServiceError(
            {"outcome": [_("Ghi nội dung quyết định, kết luận hoặc trả lời (ít nhất 10 ký tự).")]}
        )
    case.outcome = _scrub(case, outcome_text[:CONTENT_MAX])
    number = nfc(decision_number).strip()
    if case.kind != Kind.PETITION and not number:
        raise ServiceError({"decision_number": [_("Ghi số quyết định giải quyết hoặc số kết luận.")]})
    case.decision_number = number[:64]
    _close(case, _on_or_today(concluded_on, at, case, "concluded_on"), case.resolution_due_on)
    return _apply(
        case,
        "conclude",
        actor=actor,
        at=at,
        fields=("outcome", "decision_number", "closed_on", "on_time"),
        note=case.outcome,
        data={"decision_number": case.decision_number},
    )


@transaction.atomic
def case_withdraw(*, actor, case: Case, reason: str = "", at=None, expected_version=None) -> Case:
    """The person withdrew in a signed letter: resolution stops (đình chỉ), the person told in writing."""
    at = at or timezone.now()
    case = _begin("withdraw", actor=actor, case=case, expected_version=expected_version)
    case.reason = _scrub(
        case, _text(reason, "reason", _("Ghi ngày nhận và nội dung đơn rút (ít nhất 10 ký tự)."))
    )
    case.closed_on = _today(at)
    case.on_time = None
    return _apply(
        case, "withdraw", actor=actor, at=at, fields=("reason", "closed_on", "on_time"), note=case.reason
    )


@transaction.atomic
def case_suspend(*, actor, case: Case, reason: str, at=None, expected_version=None) -> Case:
    at = at or timezone.now()
    case = _begin("suspend", actor=actor, case=case, expected_version=expected_version)
    case.reason = _scrub(case, _text(reason, "reason", _("Ghi căn cứ tạm đình chỉ (ít nhất 10 ký tự).")))
    return _apply(
        case,
        "suspend",
        actor=actor,
        at=at,
        fields=("reason",),
        note=case.reason,
        data={"on": _today(at).isoformat()},
    )


@transaction.atomic
def case_resume(*, actor, case: Case, at=None, expected_version=None) -> Case:
    """Resolution goes on; the days it was suspended are added to the deadline (not counted in the period)."""
    at = at or timezone.now()
    case = _begin("resume", actor=actor, case=case, expected_version=expected_version)
    since = (
        CaseEvent.objects.filter(case=case, action="suspend")
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )
    paused = max(0, (_today(at) - _today(since)).days) if since else 0
    if paused and case.resolution_due_on:
        last, due = calendar_for(case.unit.province_code).add_calendar_days(case.resolution_due_on, paused)
        case.resolution_due_on = due
    return _apply(
        case, "resume", actor=actor, at=at, fields=("resolution_due_on",), data={"paused_days": paused}
    )


@transaction.atomic
def case_treat_as_information(*, actor, case: Case, reason: str, at=None, expected_version=None) -> Case:
    """Anonymous, pseudonymous or not in the form the law asks: not a denunciation, but checked as information
    when its content is concrete (Art. 25)."""
    at = at or timezone.now()
    case = _begin("treat_as_information", actor=actor, case=case, expected_version=expected_version)
    case.reason = _scrub(
        case, _text(reason, "reason", _("Ghi căn cứ (giấu tên, mạo danh, nội dung cụ thể…)."))
    )
    case.on_time = _today(at) <= case.acceptance_due_on
    return _apply(
        case, "treat_as_information", actor=actor, at=at, fields=("reason", "on_time"), note=case.reason
    )


@transaction.atomic
def case_note(*, actor, case: Case, note: str, action: str = "note", at=None, expected_version=None) -> Case:
    """A progress note or verification report; `dialogue` records a complaint's dialogue (Arts. 30, 39)."""
    if action not in ("note", "dialogue"):
        raise ServiceError({"action": [_("Thao tác không hợp lệ.")]})
    at = at or timezone.now()
    case = _begin(action, actor=actor, case=case, expected_version=expected_version)
    text = _scrub(case, _text(note, "note", _("Ghi nội dung (ít nhất 10 ký tự).")))
    return _apply(case, action, actor=actor, at=at, note=text)


@transaction.atomic
def case_redact(*, actor, case: Case, content: str, at=None, expected_version=None) -> Case:
    """The handler corrects the redacted copy; a copy still naming the person is refused."""
    at = at or timezone.now()
    case = _begin("redact", actor=actor, case=case, expected_version=expected_version)
    if case.sealed and actor.pk != case.handler_id:
        raise PermissionDenied(_("Chỉ người quản lý thông tin người tố cáo mới sửa được bản che."))
    text = nfc_text(content)
    if len(text) < CONTENT_MIN:
        raise ServiceError({"content": [_("Nội dung đơn quá ngắn: ghi rõ việc gì, ai, ở đâu, khi nào.")]})
    identity = Identity.objects.get(case=case)
    for value in (identity.full_name, identity.id_number, identity.phone, identity.email):
        if value and rules.mentions(text, value):
            raise ServiceError(
                {"content": [_("Bản che vẫn còn họ tên, số định danh, số điện thoại hoặc thư điện tử.")]}
            )
    case.content = text[:CONTENT_MAX]
    return _apply(case, "redact", actor=actor, at=at, fields=("content",))


@transaction.atomic
def case_split(*, actor, case: Case, parts: list[dict], at=None, expected_version=None) -> list[Case]:
    """A letter mixing complaint, denunciation and petition contents: each part becomes its own case, linked to
    this one, with the same person (copied into each record), the same receipt day and the same handler. When
    the letter or any part is a denunciation, every one of them keeps the person sealed (Art. 56): a part split
    into a petition does not unseal the denouncer. A sealed letter is split by its handler only."""
    at = at or timezone.now()
    case = _begin("split", actor=actor, case=case, expected_version=expected_version)
    if not parts:
        raise ServiceError({"parts": [_("Thêm ít nhất một nội dung cần tách.")]})
    if case.sealed and _handler_in_office(case) and case.handler_id != actor.pk:
        raise PermissionDenied(_("Chỉ người đang quản lý thông tin người tố cáo mới được tách đơn này."))
    sealed = case.sealed or any(p.get("kind") == Kind.DENUNCIATION for p in parts)
    identity = Identity.objects.get(case=case)
    person = Person(identity.full_name, identity.id_number, identity.address, identity.phone, identity.email)
    made = []
    for i, part in enumerate(parts):
        try:
            made.append(
                case_receive(
                    actor=actor,
                    unit=case.unit,
                    kind=part.get("kind", ""),
                    received_on=case.received_on,
                    channel=case.channel,
                    person=person,
                    content=part.get("content", ""),
                    remote_area=case.remote_area,
                    anonymous=case.anonymous,
                    source=Source.SPLIT,
                    source_ref=case.code,
                    split_from=case,
                    sealed=sealed,
                    at=at,
                )
            )
        except ServiceError as exc:
            raise ServiceError({f"parts.{i}.{k}": v for k, v in exc.message_dict.items()}) from None
    Case.objects.filter(pk__in=[c.pk for c in made]).update(handler_id=case.handler_id)
    for c in made:
        c.handler_id = case.handler_id
    if sealed and not case.identity_sealed:
        case.identity_sealed = True
        case.save(update_fields=["identity_sealed", "updated_at"])
    _apply(
        case,
        "split",
        actor=actor,
        at=at,
        data={"cases": [c.code for c in made]},
        note=", ".join(c.code for c in made),
    )
    return made


@transaction.atomic
def case_footage(
    *, actor, case: Case, counter, happened_at: dt.datetime, officer=None, at=None, expected_version=None
) -> Case:
    """A complaint about an officer at a counter: record the time window around the moment the person names and
    the counter's cameras, so the footage is pulled before the recorders overwrite it (units.FootageRequest,
    once per case, counter and moment). The request names the case's code only, never the person."""
    at = at or timezone.now()
    case = _begin("footage", actor=actor, case=case, expected_version=expected_version)
    problems = {}
    if counter is None or not counter.office.unit.path.startswith(case.unit.path):
        problems["counter"] = [_("Chọn một quầy của đơn vị giải quyết đơn.")]
    if happened_at is None or timezone.is_naive(happened_at):
        problems["happened_at"] = [_("Nhập thời điểm xảy ra sự việc.")]
    elif happened_at > at:
        problems["happened_at"] = [_("Thời điểm xảy ra sự việc không thể ở tương lai.")]
    if officer is not None and not selectors.case_staff(case).filter(pk=officer.pk).exists():
        problems["officer"] = [_("Cán bộ không thuộc đơn vị giải quyết đơn.")]
    if problems:
        raise ServiceError(problems)
    moment = timezone.localtime(happened_at)
    ref = f"case:{case.pk}:{counter.pk}:{moment:%Y%m%d%H%M}"
    if FootageRequest.objects.filter(source=FootageSource.COMPLAINT, source_ref=ref).exists():
        raise ServiceError(
            {"happened_at": [_("Đã ghi yêu cầu trích xuất camera cho quầy và thời điểm này.")]}
        )
    kept = selectors.counter_retention_days(counter)
    if kept and happened_at + rules.FOOTAGE_AROUND + dt.timedelta(days=max(kept)) < at:
        raise ServiceError(
            {
                "happened_at": [
                    _("Camera của quầy chỉ lưu hình %(n)s ngày: hình ảnh lúc đó đã bị ghi đè.")
                    % {"n": max(kept)}
                ]
            }
        )
    request = footage_request_open(
        counter=counter,
        starts_at=happened_at - rules.FOOTAGE_AROUND,
        ends_at=happened_at + rules.FOOTAGE_AROUND,
        reason=_("Đơn %(code)s phản ánh việc tại quầy lúc %(t)s.")
        % {"code": case.code, "t": f"{moment:%H:%M %d/%m/%Y}"},
        source=FootageSource.COMPLAINT,
        source_ref=ref,
        actor=actor,
        officer_id=officer.pk if officer else None,
    )
    note = _("Yêu cầu trích xuất camera quầy %(n)s, %(a)s – %(b)s.") % {
        "n": counter.number,
        "a": f"{timezone.localtime(request.starts_at):%H:%M %d/%m/%Y}",
        "b": f"{timezone.localtime(request.ends_at):%H:%M}",
    }
    return _apply(case, "footage", actor=actor, at=at, note=note, data={"footage_request": request.pk})


ACTIONS = {
    "accept": case_accept,
    "refuse": case_refuse,
    "transfer": case_transfer,
    "assign": case_assign,
    "extend": case_extend,
    "conclude": case_conclude,
    "withdraw": case_withdraw,
    "suspend": case_suspend,
    "resume": case_resume,
    "treat_as_information": case_treat_as_information,
    "footage": case_footage,
}


def case_act(action: str, *, actor, case: Case, **kwargs):
    if action in ("note", "dialogue"):
        return case_note(actor=actor, case=case, action=action, **kwargs)
    if action not in ACTIONS:
        raise TransitionNotAllowed(_("Thao tác không tồn tại."))
    return ACTIONS[action](actor=actor, case=case, **kwargs)


# --- the sealed identity -----------------------------------------------------------------------------------


def may_reveal(user, case: Case) -> bool:
    """A denouncer's identity: the designated handler only. A complainant's or petitioner's: the handler and the
    verifier. Either way every opening is logged."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not user_scope(user).reaches(case.unit):
        return False
    roles = user_roles_in(user, case.unit)
    if user.pk == case.handler_id and Role.LEADER in roles:
        return True
    return not case.sealed and user.pk == case.assignee_id and bool(roles & {Role.SPECIALIST, Role.LEADER})


@transaction.atomic
def identity_reveal(*, actor, case: Case, reason: str, via: str = "page", at=None) -> Identity:
    """The identity, for the one allowed to open it, with the reason logged (who, when, why, which way)."""
    at = at or timezone.now()
    case = Case.objects.select_related("unit").get(pk=case.pk)  # the handler as it is now, not as it was read
    if not user_scope(actor).reaches(case.unit) or not (user_roles_in(actor, case.unit) & rules.READERS):
        raise NotInScope(_("Không tìm thấy đơn hoặc bạn không có quyền xem."))
    if not may_reveal(actor, case):
        raise PermissionDenied(
            _(
                "Chỉ người được giao quản lý thông tin người tố cáo mới được mở thông tin này (Luật Tố cáo, Điều 56)."
            )
            if case.sealed
            else _("Chỉ người giải quyết hoặc người xác minh được giao mới được mở thông tin người gửi đơn.")
        )
    text = nfc_text(reason)
    if len(text) < REASON_MIN:
        raise ServiceError({"reason": [_("Ghi lý do mở thông tin người gửi đơn (ít nhất 10 ký tự).")]})
    IdentityAccess.objects.create(case=case, user=actor, at=at, reason=text[:500], via=via[:16])
    audit_record(
        actor=actor,
        action="complaints.identity_reveal",
        obj=case,
        unit_code=case.unit.code,
        summary=_("Mở thông tin người gửi đơn %(c)s") % {"c": case.code},
        data={"via": via, "reason": text[:500]},
    )
    return Identity.objects.get(case=case)


# --- notices to the person ---------------------------------------------------------------------------------


def _notice_text(case: Case, action: str) -> str | None:
    values = {
        "u": case.unit.full_name,
        "c": case.code,
        "k": Kind(case.kind).label.lower(),
        "d": format_day(case.resolution_due_on) if case.resolution_due_on else "",
        "t": case.target_body,
    }
    texts = {
        "accept": _("%(u)s đã thụ lý đơn %(k)s %(c)s của Ông/Bà, hạn giải quyết %(d)s."),
        "refuse": _("%(u)s không thụ lý đơn %(k)s %(c)s của Ông/Bà; thông báo bằng văn bản nêu rõ lý do."),
        "transfer": _(
            "Đơn %(k)s %(c)s của Ông/Bà đã được %(u)s chuyển đến %(t)s để giải quyết theo thẩm quyền."
        ),
        "extend": _("%(u)s gia hạn giải quyết đơn %(c)s đến %(d)s."),
        "conclude": _("%(u)s đã giải quyết đơn %(k)s %(c)s của Ông/Bà; văn bản được gửi đến Ông/Bà."),
        "withdraw": _("%(u)s đã đình chỉ giải quyết đơn %(c)s theo đơn rút của Ông/Bà."),
    }
    text = texts.get(action)
    return str(text) % values if text is not None else None


def _notify(case: Case, action: str, *, at: dt.datetime) -> int:
    """A complainant or petitioner with a phone or an e-mail gets a short notice; the written one is printed.
    A denouncer gets the written notice only, sent by the handler: a text message would put the denouncer's
    number next to the case code in the unit's message list (Luật Tố cáo Art. 56)."""
    if case.sealed or action not in rules.NOTICE_ACTIONS:
        return 0
    identity = Identity.objects.filter(case=case).only("phone", "email").first()
    if identity is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        text = _notice_text(case, action)
        subject = _("Đơn %(c)s") % {"c": case.code}
    if text is None:
        return 0
    targets = []
    if identity.phone and notice_rules.sms_number(identity.phone):
        targets.append(("sms", identity.phone))
    if identity.email:
        targets.append(("email", identity.email))
    config = notices.unit_settings(case.unit)
    made = 0
    for channel, to in targets:
        not_before = (
            notice_rules.after_quiet_hours(at, config.quiet_start, config.quiet_end)
            if channel == "sms"
            else at
        )
        message = notices.message_enqueue(
            key=f"case-{case.pk}-{action}-{case.version}:{channel}",
            unit=case.unit,
            channel=channel,
            to=to,
            subject=subject if channel == "email" else "",
            text=text,
            event=f"case_{action}",
            subject_code=case.code,
            stream="complaints",
            aggregate_id=case.pk,
            at=at,
            not_before=not_before,
        )
        made += message is not None
    return made


# --- settings ----------------------------------------------------------------------------------------------


@transaction.atomic
def settings_save(*, actor, unit: Unit, resolution_counting: str, petition_days) -> ComplaintSettings:
    require_role(actor, unit, SETTINGS_ROLES)
    errors = {}
    if resolution_counting not in Counting.values:
        errors["resolution_counting"] = [_("Chọn ngày theo lịch hoặc ngày làm việc.")]
    try:
        days = int(petition_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 90:
        errors["petition_days"] = [_("Số ngày làm việc từ 1 đến 90.")]
    if errors:
        raise ServiceError(errors)
    config = ComplaintSettings.objects.select_for_update().filter(unit=unit).first() or ComplaintSettings(
        unit=unit
    )
    before = audit_snapshot(config)
    config.resolution_counting, config.petition_days = resolution_counting, days
    config.save()
    audit_record(
        actor=actor,
        action="complaints.settings",
        obj=config,
        unit_code=unit.code,
        summary=_("Cài đặt giải quyết khiếu nại, tố cáo"),
        changes=audit_changes(config, before),
    )
    return config
