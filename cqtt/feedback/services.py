"""Writes of the feedback inbox. Every change of state goes through one runner (`_begin`: lock, scope, the
transitions table; `_apply`: the table's target, version, the item's event, the audit row and the outbox event of
stream "feedback") and tells the sender through the notices app when they left a phone or an e-mail."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import require_role, user_roles_in, user_scope
from cqtt.core import outbox
from cqtt.core.audit import audit_changes, audit_record, audit_snapshot
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.process import Refusal
from cqtt.core.text import nfc, nfc_text
from cqtt.dossiers.rules import normalise_phone, phone_problem
from cqtt.letters import services as letters
from cqtt.letters.models import LetterKind
from cqtt.notifications import rules as notice_rules
from cqtt.notifications import services as notices
from cqtt.units.models import Unit, UnitLevel
from cqtt.workdays.selectors import due_for

from . import rules, selectors
from .models import (
    LEGAL_TRACK_KINDS,
    OFFICIAL_KINDS,
    PUBLIC_KINDS,
    Box,
    BoxOpening,
    Channel,
    FeedbackEvent,
    FeedbackItem,
    FeedbackSettings,
    Kind,
    Mailbox,
    Reaction,
    Status,
)

log = logging.getLogger(__name__)
CONTENT_MIN, CONTENT_MAX = 10, 5000
REASON_MAX = 2000
INBOX_LEVELS = (UnitLevel.COMMUNE, UnitLevel.PROVINCE)
SETTINGS_ROLES = (Role.LEADER, Role.UNIT_ADMIN)


# --- settings and clocks -----------------------------------------------------------------------------------


def unit_settings(unit: Unit) -> FeedbackSettings:
    """The unit's feedback settings (the DVCQG defaults when it has none saved)."""
    return FeedbackSettings.objects.filter(unit=unit).first() or FeedbackSettings(unit=unit)


def _after(at: dt.datetime, days: int, unit: Unit) -> dt.datetime:
    """`days` working days after `at`, by the unit's calendar and office hours (never a calendar timedelta)."""
    return due_for(at, days, "working_days", unit, explain=False).due_at


def _start_clocks(item: FeedbackItem, at: dt.datetime, config: FeedbackSettings) -> None:
    item.received_at = at
    item.refuse_by = _after(at, config.refuse_days, item.unit)
    item.supplement_by = _after(at, config.supplement_days, item.unit)
    item.transfer_by = _after(at, config.transfer_days, item.unit)
    item.due_at = _after(at, config.handle_days, item.unit)


CLOCK_FIELDS = ("received_at", "refuse_by", "supplement_by", "transfer_by", "due_at")


# --- intake ------------------------------------------------------------------------------------------------


@dataclass
class SenderData:
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    external_id: str = ""  # a Zalo user id or a Facebook page-scoped id


def _clean_sender(sender: SenderData, errors: dict) -> SenderData:
    name, address = nfc(sender.name)[:200], nfc(sender.address)[:300]
    phone = normalise_phone(nfc(sender.phone)) if sender.phone else ""
    if phone and phone_problem(phone):
        errors["phone"] = [phone_problem(phone)]
    email = nfc(sender.email).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Địa chỉ thư điện tử không hợp lệ, ví dụ: ten@example.vn.")]
    return SenderData(name, phone, email[:254], address, nfc(sender.external_id)[:64])


def _inbox_unit_problem(unit: Unit | None) -> str:
    if unit is None or not unit.is_active or unit.level not in INBOX_LEVELS:
        return _("Không tìm thấy xã, phường nhận phản ánh. Hãy chọn lại đơn vị.")
    return ""


def content_problems(content: str) -> list[str]:
    if not content:
        return [_("Vui lòng nhập nội dung phản ánh, kiến nghị.")]
    if len(content) < CONTENT_MIN:
        return [_("Nội dung quá ngắn: hãy viết rõ sự việc (ít nhất %(n)s ký tự).") % {"n": CONTENT_MIN}]
    if len(content) > CONTENT_MAX:
        return [_("Nội dung tối đa %(n)s ký tự.") % {"n": CONTENT_MAX}]
    return []


def received_at_problem(received_at: dt.datetime, now: dt.datetime) -> str:
    """Why a received time typed by staff (a hotline call, a paper letter) cannot be taken: in the future, or more
    than 30 days ago ('' when it can)."""
    if received_at > now + rules.RECEIVED_AHEAD:
        return _("Thời điểm nhận không được ở tương lai.")
    if received_at < now - dt.timedelta(days=rules.RECEIVED_BACK_DAYS):
        return _(
            "Thời điểm nhận không được trước quá %(n)s ngày (sớm nhất %(d)s). Thư, cuộc gọi cũ hơn hãy ghi ngày "
            "nhận thực tế trong nội dung."
        ) % {
            "n": rules.RECEIVED_BACK_DAYS,
            "d": timezone.localtime(now - dt.timedelta(days=rules.RECEIVED_BACK_DAYS)).strftime(
                "%d/%m/%Y %H:%M"
            ),
        }
    return ""


def _find_duplicate(item: FeedbackItem, config: FeedbackSettings) -> FeedbackItem | None:
    """An earlier item of the same sender at the same unit, within the window, whose text is alike (the newest
    one). Another unit's items never count: a unit's inbox must not point at (nor reveal) an item it cannot
    open."""
    if not item.sender_key:
        return None
    since = item.received_at - dt.timedelta(days=config.duplicate_window_days)
    earlier = (
        FeedbackItem.objects.filter(sender_key=item.sender_key, unit=item.unit, received_at__gte=since)
        .order_by("-received_at")
        .only("pk", "code", "content", "duplicate_of_id")[:20]
    )
    for other in earlier:
        if rules.is_similar(item.content, other.content):
            if other.duplicate_of_id:  # point at the first of the series
                first = FeedbackItem.objects.only("pk", "code").filter(
                    pk=other.duplicate_of_id, unit=item.unit
                )
                return first.first() or other
            return other
    return None


@transaction.atomic
def feedback_submit(
    *,
    unit: Unit | None,
    kind: str,
    content: str,
    channel: str,
    sender: SenderData | None = None,
    publish_consent: bool = False,
    subject: str = "",
    actor: User | None = None,
    client_address: str = "",
    external_id: str = "",
    box_opening: BoxOpening | None = None,
    scan=None,
    received_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> FeedbackItem:
    """A new item in the unit's inbox, from any channel. A staff member typing in a paper letter or a call needs a
    role at the unit; the public form, the mail reader and the webhooks come in as the platform (`actor=None`).
    An item from a channel with its own message id (`external_id`) is made once: sent again, the first one is
    returned. A similar text from the same sender within the window is kept and flagged as its duplicate."""
    at = at or timezone.now()
    errors: dict[str, list] = {}
    sender = _clean_sender(sender or SenderData(), errors)
    content = nfc_text(content)
    if problem := _inbox_unit_problem(unit):
        errors["unit_code"] = [problem]
    allowed = Kind.values if actor is not None else [str(k) for k in PUBLIC_KINDS]
    if kind not in allowed:
        errors["kind"] = [_("Hãy chọn loại: phản ánh, kiến nghị, góp ý, khen, về cán bộ hoặc về quy định.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Kênh tiếp nhận không hợp lệ.")]
    if problems := content_problems(content):
        errors["content"] = problems
    if actor is not None and received_at is not None:
        if problem := received_at_problem(received_at, at):
            errors["received_at"] = [problem]
    if errors:
        raise ServiceError(errors)
    if actor is not None:
        require_role(actor, unit, rules.INTAKE)
    if box_opening is not None and box_opening.box.unit_id != unit.pk:
        raise ServiceError({"box_opening": [_("Lần mở hòm thư này không thuộc đơn vị.")]})
    if external_id:
        existing = FeedbackItem.objects.filter(channel=channel, external_id=external_id).first()
        if existing is not None:
            return existing
    config = unit_settings(unit)
    item = FeedbackItem(
        unit=unit,
        kind=kind,
        channel=channel,
        subject=nfc(subject)[:200],
        content=content,
        sender_name=sender.name,
        sender_phone=sender.phone,
        sender_email=sender.email,
        sender_address=sender.address,
        sender_external_id=sender.external_id,
        publish_consent=bool(publish_consent),
        external_id=external_id[:200],
        box_opening=box_opening,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    item.sender_key = rules.sender_key(
        settings.SECRET_KEY,
        phone=sender.phone,
        email=sender.email,
        external=f"{channel}:{sender.external_id}" if sender.external_id else "",
        address=client_address,
    )
    # the clocks start when the item was received: what staff typed (checked above), else what a channel says,
    # kept within the last 30 days and never after now
    _start_clocks(item, rules.received_within(received_at, at), config)
    item.duplicate_of = _find_duplicate(item, config)
    if scan is not None:
        item.scan = scan
    for _attempt in range(5):
        try:
            with transaction.atomic():
                item.save(force_insert=True)
            break
        except IntegrityError:
            if external_id and FeedbackItem.objects.filter(channel=channel, external_id=external_id).exists():
                return FeedbackItem.objects.get(channel=channel, external_id=external_id)
            item.code = type(item)._meta.get_field("code").default()  # a code already taken: draw again
    else:  # pragma: no cover - 50 random bits five times over
        raise TransitionNotAllowed(_("Không tạo được mã phản ánh, vui lòng gửi lại."))
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Trùng với %(c)s") % {"c": item.duplicate_of.code} if item.duplicate_of_id else ""
    _record(item, "receive", actor=actor, at=at, before="", note=note)
    _notify(item, "receive", at=at)
    return item


# --- the runner --------------------------------------------------------------------------------------------


def _roles(actor, item: FeedbackItem) -> set[str]:
    if actor is None:
        return {rules.SYSTEM}
    return user_roles_in(actor, item.unit)


def _begin(action: str, *, actor, item: FeedbackItem, expected_version: int | None = None) -> FeedbackItem:
    """Re-read the item under a row lock, check the actor reaches its unit (404 otherwise) and the table."""
    locked = (
        FeedbackItem.objects.select_for_update(of=("self",)).select_related("unit").filter(pk=item.pk).first()
    )
    if locked is None or (actor is not None and not user_scope(actor).reaches(locked.unit)):
        raise NotInScope(_("Không tìm thấy phản ánh hoặc bạn không có quyền xem."))
    if expected_version is not None and locked.version != expected_version:
        raise TransitionNotAllowed(
            _("Phản ánh %(c)s vừa được người khác cập nhật. Vui lòng tải lại trang.") % {"c": locked.code}
        )
    try:
        rules.FEEDBACK.check(action, locked.status, _roles(actor, locked))
    except Refusal as refusal:
        if refusal.conflict:
            t = rules.FEEDBACK.transitions.get(action)
            raise TransitionNotAllowed(
                _("Không thể “%(a)s” khi phản ánh đang ở trạng thái “%(s)s”.")
                % {"a": t.label if t else action, "s": Status(locked.status).label}
            ) from None
        raise PermissionDenied(str(refusal)) from None
    locked._before = audit_snapshot(locked)
    return locked


def _apply(
    item: FeedbackItem,
    action: str,
    *,
    actor,
    at: dt.datetime,
    fields: tuple[str, ...] = (),
    note: str = "",
    public: bool = True,
    data: dict | None = None,
) -> FeedbackItem:
    before = item.status
    t = rules.FEEDBACK[action]
    item.status = t.target_from(before)
    item.version += 1
    item.save(update_fields=sorted({"status", "version", "updated_at", *fields}))
    _record(item, action, actor=actor, at=at, before=before, note=note, public=public, data=data)
    return item


def _record(
    item: FeedbackItem,
    action: str,
    *,
    actor,
    at: dt.datetime,
    before: str,
    note: str = "",
    public: bool = True,
    data: dict | None = None,
) -> None:
    """The item's event (timeline), the audit row with the changed fields and the outbox event."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    FeedbackEvent.objects.create(
        item=item,
        at=at,
        action=action,
        from_status=before,
        to_status=item.status,
        actor=user,
        note=note[:2000],
        public=public,
    )
    changes = audit_changes(item, getattr(item, "_before", {}))
    label = rules.FEEDBACK[action].label
    audit_record(
        actor=user,
        action=f"feedback.{action}",
        obj=item,
        unit_code=item.unit.code,
        summary=f"{label} {item.code}",
        changes=changes,
        data=data or {},
    )
    outbox.emit(
        stream="feedback",
        aggregate_id=item.pk,
        action=action,
        at=at,
        payload={
            "code": item.code,
            "unit_id": item.unit_id,
            "kind": item.kind,
            "channel": item.channel,
            "from_status": before,
            "status": item.status,
            "version": item.version,
            "due_at": item.due_at.isoformat() if item.due_at else None,
            "on_time": item.on_time,
            "official_id": item.official_id,
            "duplicate_of": item.duplicate_of_id,
            "actor_id": user.pk if user else None,
            "data": data or {},
        },
    )


# --- notices to the sender ---------------------------------------------------------------------------------


def lookup_url(item: FeedbackItem) -> str:
    base = settings.NOTIFY.get("PUBLIC_BASE_URL", "").rstrip("/")
    return base + reverse("feedback:status", args=[item.code])


def _notice_text(item: FeedbackItem, action: str) -> str | None:
    values = {
        "u": item.unit.full_name,
        "c": item.code,
        "r": item.reason,
        "url": lookup_url(item),
        "d": timezone.localtime(item.due_at).strftime("%d/%m/%Y"),
    }
    texts = {
        "receive": _(
            "%(u)s đã nhận phản ánh, kiến nghị của Ông/Bà, mã %(c)s, hạn trả lời %(d)s. Tra cứu: %(url)s"
        ),
        "request_supplement": _(
            "%(u)s đề nghị Ông/Bà bổ sung thông tin cho phản ánh %(c)s: %(r)s. Tra cứu: %(url)s"
        ),
        "answer": _("%(u)s đã trả lời phản ánh %(c)s của Ông/Bà. Xem trả lời: %(url)s"),
        "publish": _(
            "%(u)s đã công khai phản ánh %(c)s và câu trả lời trên cổng thông tin (không kèm thông tin cá nhân "
            "của Ông/Bà). Xem: %(url)s"
        ),
        "refuse": _("%(u)s không tiếp nhận phản ánh %(c)s: %(r)s. Tra cứu: %(url)s"),
        "transfer": _(
            "Phản ánh %(c)s của Ông/Bà đã được chuyển đến %(u)s để giải quyết theo thẩm quyền, hạn trả lời %(d)s. "
            "Tra cứu: %(url)s"
        ),
        "move_to_complaints": _(
            "Nội dung Ông/Bà gửi (mã %(c)s) là khiếu nại hoặc tố cáo nên được %(u)s chuyển sang giải quyết theo "
            "Luật Khiếu nại, Luật Tố cáo; Ông/Bà sẽ được thông báo kết quả. Tra cứu: %(url)s"
        ),
        "reopen": _(
            "Phản ánh %(c)s của Ông/Bà được %(u)s mở lại để xử lý tiếp, hạn mới %(d)s. Tra cứu: %(url)s"
        ),
    }
    text = texts.get(action)
    return str(text) % values if text is not None else None


def _notify(item: FeedbackItem, action: str, *, at: dt.datetime) -> int:
    """Queue the notice of `action` to the sender's phone (SMS, after the unit's quiet hours) and e-mail,
    once per item, action and version. Anonymous senders get nothing: there is no reply channel."""
    if item.is_anonymous:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        text = _notice_text(item, action)
        subject = _("Phản ánh, kiến nghị %(c)s") % {"c": item.code}
    if text is None:
        return 0
    made = 0
    targets = []
    if item.sender_phone and notice_rules.sms_number(item.sender_phone):
        targets.append(("sms", item.sender_phone))
    if item.sender_email:
        targets.append(("email", item.sender_email))
    config = notices.unit_settings(item.unit)
    for channel, to in targets:
        not_before = (
            notice_rules.after_quiet_hours(at, config.quiet_start, config.quiet_end)
            if channel == "sms"
            else at
        )
        message = notices.message_enqueue(
            key=f"feedback-{item.pk}-{action}-{item.version}:{channel}",
            unit=item.unit,
            channel=channel,
            to=to,
            subject=subject if channel == "email" else "",
            text=text,
            event=f"feedback_{action}",
            subject_code=item.code,
            stream="feedback",
            aggregate_id=item.pk,
            at=at,
            not_before=not_before,
        )
        made += message is not None
    return made


# --- actions -----------------------------------------------------------------------------------------------


def _reason(value: str, field: str, message) -> str:
    text = nfc_text(value)
    if not text:
        raise ServiceError({field: [message]})
    if len(text) > REASON_MAX:
        raise ServiceError({field: [_("Tối đa %(n)s ký tự.") % {"n": REASON_MAX}]})
    return text


@transaction.atomic
def feedback_classify(*, actor, item, kind: str, at=None, expected_version=None) -> FeedbackItem:
    at = at or timezone.now()
    if kind not in Kind.values:
        raise ServiceError({"kind": [_("Loại phản ánh không hợp lệ.")]})
    item = _begin("classify", actor=actor, item=item, expected_version=expected_version)
    item.kind = kind
    return _apply(item, "classify", actor=actor, at=at, fields=("kind",), public=False)


@transaction.atomic
def feedback_assign(
    *,
    actor,
    item,
    department: Unit | None = None,
    assignee: User | None = None,
    note: str = "",
    at=None,
    expected_version=None,
) -> FeedbackItem:
    """Route to a department of the unit and/or an officer who works there."""
    at = at or timezone.now()
    item = _begin("assign", actor=actor, item=item, expected_version=expected_version)
    if department is None and assignee is None:
        raise ServiceError({"department": [_("Chọn phòng, ban hoặc cán bộ xử lý.")]})
    if department is not None and (
        department.pk == item.unit_id or not department.path.startswith(item.unit.path)
    ):
        raise ServiceError(
            {"department": [_("Phòng, ban này không thuộc %(u)s.") % {"u": item.unit.full_name}]}
        )
    if (
        assignee is not None
        and not selectors.assignable_officers(unit=item.unit).filter(pk=assignee.pk).exists()
    ):
        raise ServiceError(
            {"assignee": [_("Cán bộ này không làm việc tại %(u)s.") % {"u": item.unit.full_name}]}
        )
    item.department, item.assignee = department, assignee
    who = ", ".join(str(x) for x in (department, assignee) if x is not None)
    return _apply(
        item,
        "assign",
        actor=actor,
        at=at,
        fields=("department", "assignee"),
        note=nfc(note) or who,
        public=False,
        data={"department_id": getattr(department, "pk", None), "assignee_id": getattr(assignee, "pk", None)},
    )


@transaction.atomic
def feedback_request_supplement(*, actor, item, reason: str, at=None, expected_version=None) -> FeedbackItem:
    at = at or timezone.now()
    item = _begin("request_supplement", actor=actor, item=item, expected_version=expected_version)
    if item.is_anonymous:
        raise ServiceError(
            {
                "reason": [
                    _(
                        "Người gửi ẩn danh, không có cách liên hệ để đề nghị bổ sung. Hãy xử lý theo nội dung đã có."
                    )
                ]
            }
        )
    item.reason = _reason(reason, "reason", _("Ghi rõ thông tin cần bổ sung."))
    item = _apply(item, "request_supplement", actor=actor, at=at, fields=("reason",), note=item.reason)
    _notify(item, "request_supplement", at=at)
    return item


@transaction.atomic
def feedback_supplement(*, actor, item, content: str, at=None, expected_version=None) -> FeedbackItem:
    """What the sender added: appended to the content; the handling clock starts again from now."""
    at = at or timezone.now()
    item = _begin("supplement", actor=actor, item=item, expected_version=expected_version)
    added = _reason(content, "content", _("Nhập thông tin người gửi đã bổ sung."))
    stamp = timezone.localtime(at).strftime("%d/%m/%Y")
    # stored text: in the platform's language, not in the one the officer reads the pages in
    with translation.override(settings.LANGUAGE_CODE):
        heading = _("Bổ sung ngày %(d)s:") % {"d": stamp}
    item.content = f"{item.content}\n\n{heading}\n{added}"[: CONTENT_MAX * 2]
    item.due_at = _after(at, unit_settings(item.unit).handle_days, item.unit)
    return _apply(item, "supplement", actor=actor, at=at, fields=("content", "due_at"))


@transaction.atomic
def feedback_answer(
    *, actor, item, answer: str, publish: bool = False, at=None, expected_version=None
) -> FeedbackItem:
    """The unit's answer; `publish` also publishes it at once (only with the sender's consent)."""
    at = at or timezone.now()
    item = _begin("answer", actor=actor, item=item, expected_version=expected_version)
    item.answer = _reason(answer, "answer", _("Nhập nội dung trả lời."))
    if publish and not item.publish_consent:
        raise ServiceError(
            {"publish": [_("Người gửi không đồng ý công khai, nên chỉ trả lời riêng cho người gửi.")]}
        )
    item.answered_at = at
    item.on_time = at <= item.due_at
    item.publish_by = (
        _after(at, unit_settings(item.unit).publish_days, item.unit) if item.publish_consent else None
    )
    item = _apply(
        item, "answer", actor=actor, at=at, fields=("answer", "answered_at", "on_time", "publish_by")
    )
    _notify(item, "answer", at=at)  # one "answered" notice per answer
    if publish:  # published at once: the answer's notice says it all, no second one
        return feedback_publish(actor=actor, item=item, at=at, notify=False)
    return item


@transaction.atomic
def feedback_publish(
    *,
    actor,
    item,
    public_content: str | None = None,
    public_answer: str | None = None,
    at=None,
    expected_version=None,
    notify: bool = True,
) -> FeedbackItem:
    """Publish the answer on the portal, only with the sender's consent, without personal data: the texts staff
    give, else the content and answer with e-mails, long digit runs and the sender's name taken out. The sender
    already had the "answered" notice: a later publication sends its own "published" notice (none when the
    answer is published at once, `notify=False`)."""
    at = at or timezone.now()
    item = _begin("publish", actor=actor, item=item, expected_version=expected_version)
    if not item.publish_consent:
        raise ServiceError({"publish": [_("Người gửi không đồng ý công khai phản ánh này.")]})
    names = (item.sender_name, item.sender_address)
    item.public_content = rules.redact(nfc_text(public_content) if public_content else item.content, *names)
    item.public_answer = rules.redact(nfc_text(public_answer) if public_answer else item.answer, *names)
    item.published_at = at
    item = _apply(
        item, "publish", actor=actor, at=at, fields=("public_content", "public_answer", "published_at")
    )
    if notify:
        _notify(item, "publish", at=at)
    return item


def _target_unit(code: str) -> Unit | None:
    code = (code or "").strip()
    if not code or len(code) > 32 or "\x00" in code:
        return None
    return Unit.objects.filter(code=code).first()


@transaction.atomic
def feedback_transfer(
    *, actor, item, unit_code: str, reason: str = "", at=None, expected_version=None
) -> FeedbackItem:
    """Outside the unit's competence: moved to the competent unit (ND 20/2008 Art. 9: within 5 working days),
    where the clocks start again."""
    at = at or timezone.now()
    item = _begin("transfer", actor=actor, item=item, expected_version=expected_version)
    target = _target_unit(unit_code)
    if problem := _inbox_unit_problem(target):
        raise ServiceError({"unit_code": [problem]})
    if target.pk == item.unit_id:
        raise ServiceError({"unit_code": [_("Phản ánh đã ở đơn vị này; hãy chọn đơn vị khác.")]})
    old = item.unit
    late = at > item.transfer_by
    item.transferred_from, item.unit = old, target
    item.department = item.assignee = None
    item.reason = nfc_text(reason)[:REASON_MAX]
    _start_clocks(item, at, unit_settings(target))
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Chuyển từ %(a)s đến %(b)s") % {"a": old.full_name, "b": target.full_name}
    item = _apply(
        item,
        "transfer",
        actor=actor,
        at=at,
        fields=("unit", "transferred_from", "department", "assignee", "reason", *CLOCK_FIELDS),
        note=note + (f": {item.reason}" if item.reason else ""),
        data={"from_unit_id": old.pk, "to_unit_id": target.pk, "late": late},
    )
    _notify(item, "transfer", at=at)
    return item


@transaction.atomic
def feedback_refuse(*, actor, item, reason: str, at=None, expected_version=None) -> FeedbackItem:
    at = at or timezone.now()
    item = _begin("refuse", actor=actor, item=item, expected_version=expected_version)
    item.reason = _reason(reason, "reason", _("Ghi lý do không tiếp nhận."))
    item.on_time = at <= item.refuse_by
    item = _apply(item, "refuse", actor=actor, at=at, fields=("reason", "on_time"), note=item.reason)
    _notify(item, "refuse", at=at)
    return item


@transaction.atomic
def feedback_move_to_complaints(
    *, actor, item, track: str, reason: str = "", at=None, expected_version=None
) -> FeedbackItem:
    """A complaint or denunciation that came in here: marked moved to its legal track, the sender told."""
    at = at or timezone.now()
    if track not in LEGAL_TRACK_KINDS:
        raise ServiceError({"track": [_("Chọn khiếu nại hoặc tố cáo.")]})
    item = _begin("move_to_complaints", actor=actor, item=item, expected_version=expected_version)
    item.kind = track
    item.reason = nfc_text(reason)[:REASON_MAX]
    item = _apply(
        item,
        "move_to_complaints",
        actor=actor,
        at=at,
        fields=("kind", "reason"),
        note=item.reason,
        data={"track": track},
    )
    _notify(item, "move_to_complaints", at=at)
    return item


@transaction.atomic
def feedback_reopen(*, actor, item, reason: str, at=None, expected_version=None) -> FeedbackItem:
    """The answer did not settle it (or the refusal was wrong): handled again, with a new handling clock."""
    at = at or timezone.now()
    item = _begin("reopen", actor=actor, item=item, expected_version=expected_version)
    item.reason = _reason(reason, "reason", _("Ghi lý do mở lại."))
    item.reopen_count += 1
    item.due_at = _after(at, unit_settings(item.unit).handle_days, item.unit)
    item.on_time = None
    item = _apply(
        item,
        "reopen",
        actor=actor,
        at=at,
        fields=("reason", "reopen_count", "due_at", "on_time"),
        note=item.reason,
    )
    _notify(item, "reopen", at=at)
    return item


@transaction.atomic
def feedback_link_official(
    *, actor, item, official: User | None, at=None, expected_version=None
) -> FeedbackItem:
    """A commendation or a report about an official goes to that official's record."""
    at = at or timezone.now()
    item = _begin("link_official", actor=actor, item=item, expected_version=expected_version)
    if item.kind not in OFFICIAL_KINDS:
        raise ServiceError({"official": [_("Chỉ lời khen hoặc phản ánh về cán bộ mới gắn với cán bộ.")]})
    if (
        official is not None
        and not selectors.linkable_officials(unit=item.unit).filter(pk=official.pk).exists()
    ):
        raise ServiceError(
            {"official": [_("Cán bộ này không làm việc tại %(u)s.") % {"u": item.unit.full_name}]}
        )
    item.official = official
    return _apply(
        item,
        "link_official",
        actor=actor,
        at=at,
        fields=("official",),
        public=False,
        note=str(official or ""),
        data={"official_id": getattr(official, "pk", None)},
    )


@transaction.atomic
def feedback_draft_thanks(*, actor, item, at=None) -> FeedbackItem:
    """A thank-you letter to the citizen who commended an official, drafted through the letters app."""
    at = at or timezone.now()
    item = _begin("draft_thanks", actor=actor, item=item)
    if item.kind != Kind.COMMENDATION:
        raise ServiceError({"kind": [_("Chỉ lập thư cảm ơn cho lời khen, biểu dương.")]})
    if item.thanks_letter_id:
        raise TransitionNotAllowed(_("Lời khen này đã có thư cảm ơn."))
    if not item.sender_name:
        raise ServiceError(
            {"sender_name": [_("Người gửi không để lại họ tên nên không gửi thư cảm ơn được.")]}
        )
    about = _(" dành cho %(o)s") % {"o": item.official.get_full_name()} if item.official_id else ""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Ông/Bà đã gửi lời khen%(about)s (mã %(c)s)") % {"about": about, "c": item.code}
    letter = letters.letter_draft(
        actor=actor,
        kind=LetterKind.THANKS,
        unit=item.unit,
        recipient_name=item.sender_name,
        recipient_address=item.sender_address,
        reason=reason,
        source="feedback",
        at=at,
    )
    item.thanks_letter = letter
    return _apply(
        item,
        "draft_thanks",
        actor=actor,
        at=at,
        fields=("thanks_letter",),
        public=False,
        data={"letter_id": letter.pk if letter else None},
    )


ACTIONS = {
    "classify": feedback_classify,
    "assign": feedback_assign,
    "request_supplement": feedback_request_supplement,
    "supplement": feedback_supplement,
    "answer": feedback_answer,
    "publish": feedback_publish,
    "transfer": feedback_transfer,
    "refuse": feedback_refuse,
    "move_to_complaints": feedback_move_to_complaints,
    "reopen": feedback_reopen,
    "link_official": feedback_link_official,
}


def feedback_act(action: str, *, actor, item, **kwargs) -> FeedbackItem:
    """One dispatch for the pages and the API."""
    service = ACTIONS.get(action)
    if service is None:
        raise TransitionNotAllowed(_("Thao tác không tồn tại."))
    return service(actor=actor, item=item, **kwargs)


# --- likes and dislikes of published answers (QĐ 766 indicator 5.3) -----------------------------------------


@transaction.atomic
def feedback_react(*, item: FeedbackItem, voter: str, value: int, at=None) -> FeedbackItem:
    """One reader's like (1) or dislike (-1) of a published answer; a second vote of the same reader changes it."""
    at = at or timezone.now()
    if value not in (1, -1):
        raise ServiceError({"value": [_("Chọn hài lòng hoặc không hài lòng.")]})
    if item.status != Status.PUBLISHED:
        raise TransitionNotAllowed(_("Chỉ đánh giá được câu trả lời đã công khai."))
    old = Reaction.objects.select_for_update().filter(item=item, voter=voter).first()
    if old is None:
        try:
            # a savepoint: the reader's first vote may race another of its requests
            with transaction.atomic():
                Reaction.objects.create(item=item, voter=voter, value=value, at=at)
        except IntegrityError:  # that other request inserted it first: this vote changes it instead
            old = Reaction.objects.select_for_update().get(item=item, voter=voter)
    previous = old.value if old is not None else 0
    if previous == value:
        return item
    like = int(value == 1) - int(previous == 1)
    dislike = int(value == -1) - int(previous == -1)
    if old is not None:
        old.value, old.at = value, at
        old.save(update_fields=["value", "at"])
    counts = {"likes": F("likes") + like, "dislikes": F("dislikes") + dislike}
    FeedbackItem.objects.filter(pk=item.pk).update(**counts)
    item.refresh_from_db(fields=["likes", "dislikes"])
    audit_record(
        actor=None,
        action="feedback.react",
        obj=item,
        unit_code=item.unit.code,
        summary=f"{'+1' if value == 1 else '-1'} {item.code}",
        data={"value": value, "changed": old is not None},
    )
    outbox.emit(
        stream="feedback",
        aggregate_id=item.pk,
        action="react",
        at=at,
        payload={"code": item.code, "unit_id": item.unit_id, "value": value, "changed": old is not None},
    )
    return item


# --- paper boxes -------------------------------------------------------------------------------------------


@transaction.atomic
def box_save(
    *, actor, unit: Unit, name: str, place: str, is_active: bool = True, box: Box | None = None
) -> Box:
    require_role(actor, unit, (Role.LEADER, Role.UNIT_ADMIN, Role.COUNTER_OFFICER))
    name, place = nfc(name)[:120], nfc(place)[:300]
    errors = {}
    if not name:
        errors["name"] = [_("Đặt tên cho hòm thư.")]
    if not place:
        errors["place"] = [_("Ghi nơi đặt hòm thư.")]
    if name and Box.objects.filter(unit=unit, name=name).exclude(pk=getattr(box, "pk", None)).exists():
        errors["name"] = [_("Đơn vị đã có hòm thư tên này.")]
    if errors:
        raise ServiceError(errors)
    box = box or Box(unit=unit)
    created = box.pk is None
    before = audit_snapshot(box)
    box.name, box.place, box.is_active = name, place, is_active
    box.save()
    changes = audit_changes(box, before)
    audit_record(
        actor=actor,
        action="feedback.box.save",
        obj=box,
        unit_code=unit.code,
        summary=_("Hòm thư %(n)s") % {"n": name},
        changes=changes,
    )
    outbox.emit(
        stream="feedback",
        aggregate_id=box.pk,
        action="box_save",
        payload={
            "box_id": box.pk,
            "unit_id": unit.pk,
            "created": created,
            "is_active": box.is_active,
            "changed": sorted(changes),
            "actor_id": getattr(actor, "pk", None),
        },
    )
    return box


@transaction.atomic
def box_open(
    *, actor, box: Box, opened_at: dt.datetime, witnesses: str, letter_count: int, note: str = ""
) -> BoxOpening:
    """Record an opening of a box: date, who opened it, the witnesses, how many letters were inside."""
    require_role(actor, box.unit, rules.INTAKE)
    witnesses, note = nfc(witnesses)[:500], nfc(note)[:500]
    errors = {}
    if not witnesses:
        errors["witnesses"] = [_("Ghi tên người chứng kiến việc mở hòm thư.")]
    if letter_count is None or letter_count < 0 or letter_count > 1000:
        errors["letter_count"] = [_("Số thư phải từ 0 đến 1000.")]
    if opened_at > timezone.now() + dt.timedelta(minutes=5):
        errors["opened_at"] = [_("Ngày mở hòm thư không được ở tương lai.")]
    if errors:
        raise ServiceError(errors)
    opening = BoxOpening.objects.create(
        box=box,
        opened_at=opened_at,
        opened_by=actor,
        witnesses=witnesses,
        letter_count=letter_count,
        note=note,
    )
    audit_record(
        actor=actor,
        action="feedback.box.open",
        obj=opening,
        unit_code=box.unit.code,
        summary=_("Mở hòm thư %(n)s: %(c)s thư") % {"n": box.name, "c": letter_count},
    )
    outbox.emit(
        stream="feedback",
        aggregate_id=opening.pk,
        action="box_open",
        at=opened_at,
        payload={"box_id": box.pk, "unit_id": box.unit_id, "letter_count": letter_count},
    )
    return opening


# --- a unit's settings and mailbox ---------------------------------------------------------------------------


DAY_FIELDS = (
    "refuse_days",
    "supplement_days",
    "handle_days",
    "publish_days",
    "transfer_days",
    "duplicate_window_days",
)


def _env_suffix(unit: Unit) -> str:
    return re.sub(r"[^A-Z0-9_]", "_", unit.code.upper())[:60] or "DONVI"


def password_env_for(unit: Unit) -> str:
    """The environment variable a new mailbox of the unit is offered (its administrator may name another)."""
    return f"FEEDBACK_IMAP_PASSWORD_{_env_suffix(unit)}"


CHANNEL_ID_FIELDS = ("zalo_oa_id", "facebook_page_id")
CHANNEL_ID_TAKEN = {
    "zalo_oa_id": gettext_lazy(
        "Mã Zalo OA này đã được một đơn vị khác khai báo. Hãy kiểm tra lại mã của đơn vị mình."
    ),
    "facebook_page_id": gettext_lazy(
        "Mã trang Facebook này đã được một đơn vị khác khai báo. Hãy kiểm tra lại mã của đơn vị mình."
    ),
}


@transaction.atomic
def settings_save(*, actor, unit: Unit, **values) -> FeedbackSettings:
    """The unit's deadlines (its leader or administrator) and the ids of its Zalo OA and Facebook page (its
    administrator only; an id is one unit's: the messages sent to it reach that unit's inbox)."""
    require_role(actor, unit, SETTINGS_ROLES)
    config = FeedbackSettings.objects.select_for_update().filter(unit=unit).first() or FeedbackSettings(
        unit=unit
    )
    before = audit_snapshot(config)
    errors = {}
    for name in DAY_FIELDS:
        if name in values:
            value = values[name]
            if value is None or not 1 <= int(value) <= 90:
                errors[name] = [_("Số ngày từ 1 đến 90.")]
            else:
                setattr(config, name, int(value))
    for name in CHANNEL_ID_FIELDS:
        if name not in values:
            continue
        value = nfc(values[name] or "").strip()[:40]
        if value == getattr(config, name):
            continue
        if Role.UNIT_ADMIN not in user_roles_in(actor, unit):
            raise PermissionDenied(_("Chỉ quản trị đơn vị được khai báo mã Zalo OA và mã trang Facebook."))
        if value and FeedbackSettings.objects.filter(**{name: value}).exclude(unit=unit).exists():
            errors[name] = [str(CHANNEL_ID_TAKEN[name])]
        setattr(config, name, value)
    if errors:
        raise ServiceError(errors)
    try:
        with transaction.atomic():
            config.save()
    except IntegrityError:  # another unit took it a moment ago
        taken = [n for n in CHANNEL_ID_FIELDS if getattr(config, n)]
        raise ServiceError({n: [str(CHANNEL_ID_TAKEN[n])] for n in taken}) from None
    changes = audit_changes(config, before)
    audit_record(
        actor=actor,
        action="feedback.settings.save",
        obj=config,
        unit_code=unit.code,
        summary=_("Cài đặt phản ánh, kiến nghị"),
        changes=changes,
    )
    outbox.emit(
        stream="feedback",
        aggregate_id=config.pk,
        action="settings_save",
        payload={"unit_id": unit.pk, "changed": sorted(changes), "actor_id": getattr(actor, "pk", None)},
    )
    return config


@transaction.atomic
def mailbox_save(*, actor, unit: Unit, mailbox: Mailbox | None = None, **values) -> Mailbox:
    """A unit's mailbox, declared by its administrator only (not the leader): the server reads it with a password
    from the environment, so what it may name is narrow — an environment variable `FEEDBACK_IMAP_PASSWORD_…`,
    SSL/TLS to any host but this machine's own. Host and folder are compared as IMAP does (host in lower case
    without a trailing dot; INBOX in any case)."""
    if Role.UNIT_ADMIN not in user_roles_in(actor, unit):
        raise PermissionDenied(_("Chỉ quản trị đơn vị được khai báo hộp thư."))
    mailbox = mailbox or Mailbox(unit=unit)
    before = audit_snapshot(mailbox)
    for name in ("host", "username", "password_env", "folder"):
        setattr(mailbox, name, nfc(values.get(name, getattr(mailbox, name))).strip())
    mailbox.host = rules.normal_host(mailbox.host)
    mailbox.folder = rules.normal_folder(mailbox.folder)
    mailbox.port = values.get("port", mailbox.port)
    mailbox.use_ssl = bool(values.get("use_ssl", mailbox.use_ssl))
    mailbox.is_active = bool(values.get("is_active", mailbox.is_active))
    errors = {}
    if not mailbox.host:
        errors["host"] = [_("Nhập máy chủ IMAP.")]
    elif not rules.host_valid(mailbox.host):
        errors["host"] = [
            _("Nhập tên máy chủ IMAP, ví dụ imap.example.vn (không kèm https://, cổng hay dấu cách).")
        ]
    elif not mailbox.use_ssl and rules.tls_required(mailbox.host):
        errors["use_ssl"] = [
            _("Hộp thư phải đọc qua SSL/TLS (thường là cổng 993): mật khẩu không được gửi đi không mã hóa.")
        ]
    if not mailbox.username:
        errors["username"] = [_("Nhập tên đăng nhập hộp thư.")]
    if not mailbox.folder:
        errors["folder"] = [_("Nhập thư mục, ví dụ INBOX.")]
    if not rules.password_env_allowed(mailbox.password_env):
        errors["password_env"] = [
            _(
                "Tên biến môi trường phải bắt đầu bằng FEEDBACK_IMAP_PASSWORD_ và chỉ gồm chữ in hoa không dấu, số "
                "và dấu gạch dưới, ví dụ FEEDBACK_IMAP_PASSWORD_%(code)s."
            )
            % {"code": _env_suffix(unit)}
        ]
    if not mailbox.port or not 1 <= int(mailbox.port) <= 65535:
        errors["port"] = [_("Cổng từ 1 đến 65535.")]
    taken = _("Hộp thư này (máy chủ, tên đăng nhập, thư mục) đã được khai báo.")
    if not errors and (
        Mailbox.objects.filter(host=mailbox.host, username=mailbox.username, folder=mailbox.folder)
        .exclude(pk=mailbox.pk)
        .exists()
    ):
        errors["username"] = [taken]
    if errors:
        raise ServiceError(errors)
    try:
        with transaction.atomic():
            mailbox.save()
    except IntegrityError:
        raise ServiceError({"username": [taken]}) from None
    changes = audit_changes(mailbox, before)
    audit_record(
        actor=actor,
        action="feedback.mailbox.save",
        obj=mailbox,
        unit_code=unit.code,
        summary=_("Hộp thư góp ý %(m)s") % {"m": mailbox},
        changes=changes,
    )
    outbox.emit(
        stream="feedback",
        aggregate_id=mailbox.pk,
        action="mailbox_save",
        payload={
            "mailbox_id": mailbox.pk,
            "unit_id": unit.pk,
            "is_active": mailbox.is_active,
            "changed": sorted(changes),
            "actor_id": getattr(actor, "pk", None),
        },
    )
    return mailbox


# --- handed to the complaints track ------------------------------------------------------------------------


@dataclass
class HandedOver:
    """What the complaints app takes of an item moved to its track: the content, the sender, the scan's name."""

    code: str
    unit: Unit
    kind: str
    channel: str
    content: str
    received_at: dt.datetime
    sender: SenderData
    scan_name: str


def feedback_hand_over(*, pk: int, seal: bool, redact=None, at=None) -> HandedOver | None:
    """The moved item's data for its case. `seal` (a denunciation): the sender's data, the scan of the letter
    (its handwriting), the original text and anything typed about it leave the inbox, which keeps the texts as
    `redact` (a function of the complaints app) returns them, and the item's messages are cut off from its code,
    so the inbox's staff no longer see who denounced (Luật Tố cáo Art. 56). Inside the case's transaction."""
    item = (
        FeedbackItem.objects.select_for_update()
        .select_related("unit")
        .filter(pk=pk, status=Status.MOVED)
        .first()
    )
    if item is None:
        return None
    out = HandedOver(
        item.code,
        item.unit,
        item.kind,
        item.channel,
        item.content,
        item.received_at,
        SenderData(item.sender_name, item.sender_phone, item.sender_email, item.sender_address),
        item.scan.name if item.scan else "",
    )
    if seal:
        scrub = redact or (lambda text: text)
        before = audit_snapshot(item)
        item.sender_name = item.sender_phone = item.sender_email = item.sender_address = ""
        item.sender_external_id = item.sender_key = ""
        item.content = scrub(item.content)
        item.subject = scrub(item.subject)[:200]
        item.reason = scrub(item.reason)
        item.publish_consent = False
        item.scan = ""
        item.save(
            update_fields=[
                "sender_name",
                "sender_phone",
                "sender_email",
                "sender_address",
                "sender_external_id",
                "sender_key",
                "content",
                "subject",
                "reason",
                "publish_consent",
                "scan",
                "updated_at",
            ]
        )
        for event in FeedbackEvent.objects.filter(item=item).exclude(note=""):
            event.note = scrub(event.note)
            event.save(update_fields=["note"])
        FeedbackItem.objects.filter(duplicate_of=item).update(duplicate_of=None)
        notices.messages_unlink(stream="feedback", aggregate_id=item.pk, code=item.code, unit=item.unit)
        audit_record(
            actor=None,
            action="feedback.seal_sender",
            obj=item,
            unit_code=item.unit.code,
            summary=_("Chuyển thông tin người tố cáo của %(c)s sang hồ sơ mật") % {"c": item.code},
            # which fields changed, never what they held: the old subject or reason may name the denouncer
            changes={k: ["••••", "••••"] for k in audit_changes(item, before)},
        )
    return out
