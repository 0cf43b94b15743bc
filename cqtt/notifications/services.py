"""Writes of the notices: messages made from a domain event (in the consumer's transaction, once per key), the
outcome of a send, receipts, a retry by hand, opt-outs, a unit's templates and settings."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings as django_settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cqtt.accounts.permissions import require_admin_of, require_role
from cqtt.core.audit import audit_record
from cqtt.core.errors import ServiceError, TransitionNotAllowed
from cqtt.core.text import nfc, nfc_text
from cqtt.units.models import Unit
from cqtt.units.selectors import office_of

from . import adapters, rules
from .defaults import default_text
from .models import (
    FAILED,
    ChannelKind,
    Message,
    MessageStatus,
    NoticeSettings,
    NoticeTemplate,
    Recipient,
    Suppression,
)

log = logging.getLogger(__name__)
S = MessageStatus


# --- messages from events ----------------------------------------------------------------------------------


def recipient_from_contacts(*, stream: str, aggregate_id: int, contacts: dict, at: dt.datetime) -> Recipient:
    """The aggregate's recipient from the contacts its creating event carried (numbers parsed to `84…`)."""
    sms = rules.sms_number(contacts.get("sms", "")) if contacts.get("sms") else ""
    zalo = rules.sms_number(contacts.get("zalo", "")) if contacts.get("zalo") else ""
    recipient, _created = Recipient.objects.get_or_create(
        stream=stream,
        aggregate_id=aggregate_id,
        defaults={
            "name": nfc(contacts.get("name", ""))[:200],
            # an unparseable number is kept as given: its message fails permanently, with the reason, visibly
            "sms": (sms or contacts.get("sms", ""))[:20],
            "email": (contacts.get("email") or "")[:254],
            "zalo": (zalo or "")[:20],
            "created_at": at,
        },
    )
    return recipient


def _templates(unit: Unit, event: str) -> dict[str, NoticeTemplate]:
    return {t.channel: t for t in NoticeTemplate.objects.filter(unit=unit, event=event)}


def unit_settings(unit: Unit) -> NoticeSettings:
    return NoticeSettings.objects.filter(unit=unit).first() or NoticeSettings(unit=unit)


def _date(value: str | None) -> str:
    if not value:
        return ""
    return formats.date_format(timezone.localtime(dt.datetime.fromisoformat(value)), "d/m/Y")


def dossier_values(payload: dict, *, unit: Unit, receiving: Unit, recipient: Recipient, config) -> dict:
    """The placeholders' values for a dossier event (`rules.placeholders_of`)."""
    data = payload.get("data") or {}
    office = office_of(unit=receiving)
    where = office.name if office else receiving.full_name
    if office and office.address:
        where = f"{where}, {office.address}"
    base = django_settings.NOTIFY.get("PUBLIC_BASE_URL", "").rstrip("/")
    token = payload.get("lookup_token") or ""
    status_label = payload.get("status_label") or payload.get("status", "")
    return {
        "ma_ho_so": payload.get("code", ""),
        "thu_tuc": payload.get("procedure_name", ""),
        "don_vi": unit.full_name,
        "duong_day_nong": config.hotline or (office.phone if office and office.phone else unit.phone),
        "tra_cuu": base
        + (reverse("portal:lookup_token", args=[token]) if token else reverse("portal:lookup")),
        "nguoi_nop": recipient.name,
        "noi_nhan": where,
        "ngay_hen": _date(payload.get("due_at")),
        "ngay_hen_moi": _date(data.get("new_due_at")),
        "can_bo_sung": "; ".join(data.get("items") or []),
        "ly_do": data.get("reason", ""),
        "trang_thai": status_label,
        # the ratings app's page for this dossier (one rating per dossier; the link carries its token)
        "danh_gia": base + reverse("ratings:link", args=[token]) if token else "",
    }


def _sms_text(text: str, config: NoticeSettings) -> str:
    text = " ".join(text.split())  # one line: an SMS has no layout
    return rules.without_diacritics(text) if config.sms_without_diacritics else text


def messages_for_event(
    *,
    key_prefix: str,
    unit: Unit,
    recipient: Recipient,
    event: str,
    values: dict,
    subject_code: str,
    at: dt.datetime,
) -> list[Message]:
    """The messages of one notice to one recipient, on each channel it chose: Zalo (when enabled and the unit
    has an approved ZNS template for it) else SMS, and e-mail. Created once per key; an address that opted out
    gets nothing; an invalid number gets a message that fails permanently at once, with its reason."""
    config = unit_settings(unit)
    templates = _templates(unit, event)
    made: list[Message] = []

    def make(channel: str, to: str, subject: str, text: str, **extra) -> None:
        not_before = (
            rules.after_quiet_hours(at, config.quiet_start, config.quiet_end) if channel != "email" else at
        )
        message = message_enqueue(
            key=f"{key_prefix}:{event}:{channel}",
            unit=unit,
            channel=channel,
            to=to,
            subject=subject,
            text=text,
            event=event,
            subject_code=subject_code,
            stream=recipient.stream,
            aggregate_id=recipient.aggregate_id,
            at=at,
            not_before=not_before,
            **extra,
        )
        if message is not None:
            made.append(message)

    def wording(channel: str) -> tuple[str, str] | None:
        own = templates.get(channel)
        if own is not None:
            return (own.subject, own.body) if own.is_active else None
        return default_text(event, channel)

    phone_channel = None
    if recipient.zalo and adapters.zalo_enabled():
        zalo = templates.get(ChannelKind.ZALO)
        if zalo is not None and zalo.is_active and zalo.zalo_template_id:
            phone_channel = ChannelKind.ZALO
    sms_words = wording(ChannelKind.SMS)
    if phone_channel == ChannelKind.ZALO and sms_words is not None:
        make(
            ChannelKind.ZALO,
            recipient.zalo,
            "",
            _sms_text(rules.render(sms_words[1], values), config),
            template_id=templates[ChannelKind.ZALO].zalo_template_id,
            template_data={k: v for k, v in values.items() if v},
        )
    elif (recipient.sms or recipient.zalo) and sms_words is not None:
        make(
            ChannelKind.SMS,
            recipient.sms or recipient.zalo,
            "",
            _sms_text(rules.render(sms_words[1], values), config),
        )
    email_words = wording(ChannelKind.EMAIL)
    if recipient.email and email_words is not None:
        make(
            ChannelKind.EMAIL,
            recipient.email,
            " ".join(rules.render(email_words[0], values).split()),
            rules.render(email_words[1], values),
        )
    return made


def message_enqueue(
    *,
    key: str,
    unit: Unit,
    channel: str,
    to: str,
    text: str,
    event: str,
    at: dt.datetime,
    subject: str = "",
    subject_code: str = "",
    stream: str = "dossier",
    aggregate_id: int | None = None,
    not_before: dt.datetime | None = None,
    **extra,
) -> Message | None:
    """One message for the worker, in the caller's transaction (any app sends through this), once per `key`:
    None when it was already made or the address opted out. A number that is not a Vietnamese mobile gets a
    message that fails permanently at once, with its reason (visible to staff, never sent)."""
    number = rules.sms_number(to) if channel != ChannelKind.EMAIL else None
    if number:
        to = number
    if Suppression.objects.filter(channel=_opt_out_channel(channel), address=to).exists():
        return None
    message = Message(
        key=key,
        unit=unit,
        stream=stream,
        aggregate_id=aggregate_id,
        subject_code=subject_code,
        event=event,
        channel=channel,
        to=to,
        subject=subject[:200],
        text=text,
        created_at=at,
        next_attempt_at=not_before or at,
        **extra,
    )
    if channel != ChannelKind.EMAIL and number is None:
        message.status = S.PERMANENT_FAILURE
        message.failure = _("Số điện thoại không phải số di động Việt Nam hợp lệ.")
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        return None  # made already (the cause was handled twice)
    return message


def _opt_out_channel(channel: str) -> str:
    """Zalo and SMS go to the same number: an opt-out by SMS reply stops both."""
    return ChannelKind.SMS if channel == ChannelKind.ZALO else channel


# --- outcomes ----------------------------------------------------------------------------------------------


def apply_outcome(
    message: Message, outcome: adapters.Outcome, *, provider: str, at: dt.datetime
) -> list[str]:
    """Set the message's state from a send's outcome (the caller saves it); returns the fields changed. A
    temporary failure waits `rules.retry_delay`; past the last attempt it becomes a technical failure."""
    message.provider = provider
    message.sending_since = None
    message.claim = ""
    fields = ["status", "provider", "sending_since", "claim", "failure", "updated_at"]
    message.failure = outcome.reason[:300]
    if outcome.result == adapters.ACCEPTED:
        message.status = S.SENT
        message.sent_at = at
        message.provider_id = outcome.provider_id
        message.failure = ""
        fields += ["sent_at", "provider_id"]
    elif outcome.result == adapters.TEMPORARY:
        delay = rules.retry_delay(message.attempts)
        if delay is None:
            message.status = S.TECHNICAL_FAILURE
            message.failure = (
                _("Đã thử %(n)s lần không được: %(r)s") % {"n": message.attempts, "r": outcome.reason}
            )[:300]
        else:
            message.status = S.TEMPORARY_FAILURE
            message.next_attempt_at = at + delay
            fields.append("next_attempt_at")
    elif outcome.result == adapters.PERMANENT:
        message.status = S.PERMANENT_FAILURE
    else:
        message.status = S.TECHNICAL_FAILURE
    return fields


def sms_fallback(message: Message, *, at: dt.datetime) -> Message | None:
    """A Zalo message the citizen cannot receive goes again by SMS, same text, same cause (created once)."""
    if message.channel != ChannelKind.ZALO or message.status != S.PERMANENT_FAILURE:
        return None
    fallback = Message(
        key=f"{message.key}:sms",
        unit_id=message.unit_id,
        stream=message.stream,
        aggregate_id=message.aggregate_id,
        subject_code=message.subject_code,
        event=message.event,
        channel=ChannelKind.SMS,
        to=message.to,
        text=message.text,
        created_at=at,
        next_attempt_at=at,
        fallback_of=message,
    )
    try:
        with transaction.atomic():
            fallback.save(force_insert=True)
    except IntegrityError:
        return None
    return fallback


RECEIPT_STATUSES = {"delivered": S.DELIVERED, "failed": S.PERMANENT_FAILURE}


@transaction.atomic
def receipt_record(
    *, provider: str, status: str, provider_id: str = "", reference: str = "", reason: str = ""
) -> bool:
    """A provider's delivery receipt: `delivered` or `failed`, for the message it names by our reference or by
    its own id. False when no sent message matches (unknown, or already final)."""
    target = RECEIPT_STATUSES.get(status)
    if target is None:
        raise ServiceError({"status": [_("Trạng thái không hợp lệ: dùng delivered hoặc failed.")]})
    qs = Message.objects.select_for_update().filter(provider=provider, status=S.SENT)
    if reference:
        try:
            qs = qs.filter(pk=reference)
        except (ValueError, TypeError, ValidationError):  # not a message id: Django refuses it at filter()
            return False
    elif provider_id:
        qs = qs.filter(provider_id=provider_id)
    else:
        return False
    try:
        message = qs.first()
    except (ValueError, TypeError):  # a reference that is not a message id
        return False
    if message is None:
        return False
    message.status = target
    fields = ["status", "updated_at"]
    if target == S.DELIVERED:
        message.delivered_at = timezone.now()
        fields.append("delivered_at")
    else:
        message.failure = (reason or _("Nhà mạng báo không đến được máy người nhận."))[:300]
        fields.append("failure")
    message.save(update_fields=fields)
    return True


# --- by hand -----------------------------------------------------------------------------------------------


RETRY_ROLES = ("counter_officer", "leader", "unit_admin")


@transaction.atomic
def message_retry(*, actor, message: Message, at: dt.datetime | None = None) -> Message:
    """Send a failed message again (counter officer, leader or administrator of its unit). An invalid number
    stays refused: fix the number, not the message."""
    at = at or timezone.now()
    message = Message.objects.select_for_update().select_related("unit").get(pk=message.pk)
    require_role(actor, message.unit, RETRY_ROLES)
    if message.status not in FAILED and message.status != S.TEMPORARY_FAILURE:
        raise TransitionNotAllowed(_("Chỉ gửi lại được tin đang lỗi."))
    if message.channel != ChannelKind.EMAIL and rules.sms_number(message.to) is None:
        raise TransitionNotAllowed(_("Số điện thoại không hợp lệ: gửi lại cũng không đến được."))
    before = message.status
    message.status = S.CREATED
    message.next_attempt_at = at
    message.attempts = 0
    message.failure = ""
    message.save(update_fields=["status", "next_attempt_at", "attempts", "failure", "updated_at"])
    audit_record(
        actor=actor,
        action="notifications.message.retry",
        obj=message,
        unit_code=message.unit.code,
        summary=_("Gửi lại tin %(c)s") % {"c": message.subject_code},
        changes={"status": [before, S.CREATED]},
    )
    return message


# --- opting out --------------------------------------------------------------------------------------------

_SALT = "cqtt.notifications.unsubscribe"


def unsubscribe_url(message: Message) -> str:
    token = signing.dumps({"c": _opt_out_channel(message.channel), "a": message.to}, salt=_SALT)
    base = django_settings.NOTIFY.get("PUBLIC_BASE_URL", "").rstrip("/")
    return base + reverse("notifications:unsubscribe", args=[token])


def unsubscribe_target(token: str) -> tuple[str, str] | None:
    """(channel, address) of an unsubscribe link, or None when the link is not ours."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return data.get("c", ""), data.get("a", "")


@transaction.atomic
def suppress(*, channel: str, address: str, reason: str, at: dt.datetime | None = None) -> bool:
    """Stop every message to this address on this channel; messages waiting for it are cancelled. True when
    it was not already stopped."""
    at = at or timezone.now()
    channel = _opt_out_channel(channel)
    if channel == ChannelKind.SMS:
        address = rules.sms_number(address) or address
    _row, created = Suppression.objects.get_or_create(
        channel=channel, address=address, defaults={"reason": reason[:100], "created_at": at}
    )
    waiting = Message.objects.filter(
        to=address,
        channel__in=[ChannelKind.SMS, ChannelKind.ZALO] if channel == ChannelKind.SMS else [channel],
        status__in=[S.CREATED, S.TEMPORARY_FAILURE],
    )
    waiting.update(status=S.PERMANENT_FAILURE, failure=_("Người nhận đã từ chối nhận tin."), updated_at=at)
    if created:
        audit_record(
            actor=None,
            action="notifications.suppression.create",
            obj=_row,
            summary=_("Ngừng gửi tin tới %(a)s (%(r)s)") % {"a": rules.mask(channel, address), "r": reason},
        )
    return created


def inbound_sms(*, sender: str, text: str) -> bool:
    """A citizen's SMS reply through the gateway: an opt-out word ('TC', 'HUY', 'STOP', …) stops messages.
    True when it stopped them now (False: not an opt-out, or stopped already)."""
    if rules.is_opt_out(text):
        return suppress(channel=ChannelKind.SMS, address=sender, reason=_("trả lời tin nhắn"))
    return False


# --- a unit's templates and settings -----------------------------------------------------------------------


@transaction.atomic
def template_save(
    *,
    actor,
    unit: Unit,
    event: str,
    channel: str,
    body: str,
    subject: str = "",
    zalo_template_id: str = "",
    is_active: bool = True,
) -> NoticeTemplate:
    """A unit's own wording of a notice (unit administrator or leader). Placeholders the notice lacks are
    refused, naming the ones it has."""
    require_role(actor, unit, ("unit_admin", "leader"))
    body, subject, zalo_template_id = (
        nfc_text(body),
        nfc(subject).strip(),
        (zalo_template_id or "").strip(),
    )
    errors: dict[str, list[str]] = {}
    if event not in rules.NoticeEvent.values:
        errors["event"] = [_("Sự kiện không hợp lệ.")]
    if channel not in ChannelKind.values:
        errors["channel"] = [_("Kênh không hợp lệ.")]
    if not body and is_active:
        errors["body"] = [_("Nhập nội dung thông báo.")]
    if channel == ChannelKind.EMAIL and is_active and not subject:
        errors["subject"] = [_("Nhập tiêu đề thư.")]
    if channel == ChannelKind.ZALO and is_active and not zalo_template_id:
        errors["zalo_template_id"] = [_("Nhập mã mẫu ZNS đã được Zalo duyệt.")]
    if not errors:
        problems = rules.template_problems(event, body, subject)
        if problems:
            errors["body"] = problems
    if errors:
        raise ServiceError(errors)
    template = (
        NoticeTemplate.objects.select_for_update().filter(unit=unit, event=event, channel=channel).first()
    )
    before = (
        {"body": template.body, "subject": template.subject, "is_active": template.is_active}
        if template
        else {}
    )
    if template is None:
        template = NoticeTemplate(unit=unit, event=event, channel=channel)
    template.body, template.subject = body, subject
    template.zalo_template_id, template.is_active = zalo_template_id, is_active
    template.save()
    after = {"body": body, "subject": subject, "is_active": is_active}
    audit_record(
        actor=actor,
        action="notifications.template.save",
        obj=template,
        unit_code=unit.code,
        summary=_("Sửa mẫu thông báo “%(e)s” (%(c)s)") % {"e": template.get_event_display(), "c": channel},
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
    )
    return template


@transaction.atomic
def template_reset(*, actor, unit: Unit, event: str, channel: str) -> bool:
    """Back to the built-in wording."""
    require_role(actor, unit, ("unit_admin", "leader"))
    template = NoticeTemplate.objects.filter(unit=unit, event=event, channel=channel).first()
    if template is None:
        return False
    audit_record(
        actor=actor,
        action="notifications.template.reset",
        obj=template,
        unit_code=unit.code,
        summary=_("Dùng lại mẫu mặc định “%(e)s” (%(c)s)")
        % {"e": template.get_event_display(), "c": channel},
    )
    template.delete()
    return True


def _held_for_quiet_hours(unit: Unit, now: dt.datetime):
    """The unit's SMS and Zalo messages waiting for the end of its quiet hours: never tried and due later than
    `now`, within a day. Quiet hours are the only delay a new message is given (`messages_for_event`, the
    letters' delivery, both through `rules.after_quiet_hours`); a retry's wait is after an attempt."""
    return Message.objects.filter(
        unit=unit,
        channel__in=[ChannelKind.SMS, ChannelKind.ZALO],
        status=S.CREATED,
        attempts=0,
        next_attempt_at__gt=now,
        next_attempt_at__lte=now + dt.timedelta(days=1),
    )


@transaction.atomic
def settings_save(
    *,
    actor,
    unit: Unit,
    sms_without_diacritics: bool,
    hotline: str = "",
    quiet_start: dt.time | None = None,
    quiet_end: dt.time | None = None,
    at: dt.datetime | None = None,
) -> NoticeSettings:
    """A unit's notice settings. Quiet hours cleared or ended earlier release the messages they were holding:
    each is due at the end of the new quiet hours if it is inside them now, else at once (later hours do not
    hold back messages already waiting)."""
    at = at or timezone.now()
    require_admin_of(actor, unit)
    if (quiet_start is None) != (quiet_end is None):
        raise ServiceError({"quiet_end": [_("Nhập cả giờ bắt đầu và giờ kết thúc, hoặc bỏ trống cả hai.")]})
    config = NoticeSettings.objects.select_for_update().filter(unit=unit).first() or NoticeSettings(unit=unit)
    before = {
        "sms_without_diacritics": config.sms_without_diacritics,
        "hotline": config.hotline,
        "quiet_start": str(config.quiet_start or ""),
        "quiet_end": str(config.quiet_end or ""),
    }
    config.sms_without_diacritics = sms_without_diacritics
    config.hotline = nfc(hotline).strip()[:32]
    config.quiet_start, config.quiet_end = quiet_start, quiet_end
    config.save()
    release_at = rules.after_quiet_hours(at, quiet_start, quiet_end)
    released = (
        _held_for_quiet_hours(unit, at)
        .filter(next_attempt_at__gt=release_at)
        .update(next_attempt_at=release_at, updated_at=at)
    )
    after = {
        "sms_without_diacritics": sms_without_diacritics,
        "hotline": config.hotline,
        "quiet_start": str(quiet_start or ""),
        "quiet_end": str(quiet_end or ""),
    }
    audit_record(
        actor=actor,
        action="notifications.settings.save",
        obj=config,
        unit_code=unit.code,
        summary=(
            _("Sửa cài đặt thông báo; %(n)s tin đang chờ hết giờ yên tĩnh được gửi sớm hơn") % {"n": released}
            if released
            else _("Sửa cài đặt thông báo")
        ),
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
    )
    return config


@transaction.atomic
def messages_unlink(*, stream: str, aggregate_id: int, code: str, unit: Unit) -> int:
    """Cut the messages of one subject off from it: no subject code or id any more, the code gone from the text.
    For a feedback item that turned out to be a denunciation: its messages would put the denouncer's (masked)
    number beside the code that leads to the case (Luật Tố cáo Art. 56). The messages themselves stay, so a
    sent one is never sent again and a queued one still goes."""
    rows = list(
        Message.objects.select_for_update().filter(stream=stream, aggregate_id=aggregate_id, unit=unit)
    )
    for m in rows:
        m.subject_code = ""
        m.aggregate_id = None
        if code:
            m.text = m.text.replace(code, "…")
            m.subject = m.subject.replace(code, "…")
        m.save(update_fields=["subject_code", "aggregate_id", "text", "subject", "updated_at"])
    if rows:
        audit_record(
            actor=None,
            action="notifications.unlinked",
            obj=rows[0],
            unit_code=unit.code,
            summary=f"{stream}#{aggregate_id}: {len(rows)}",
        )
    return len(rows)
