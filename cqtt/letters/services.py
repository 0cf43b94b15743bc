"""Writes of the letters: drafts (by the apology sweep, from dossier events, by hand), signing (which performs
the dossier's one extension for an apology and issues the number), signing many, cancelling with a reason,
marking sent, and a unit's wording. Every change leaves an audit event."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import require_role, user_roles_in
from cqtt.core import outbox
from cqtt.core.audit import audit_record
from cqtt.core.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.text import nfc, nfc_text
from cqtt.dossiers import rules as dossier_rules
from cqtt.dossiers import services as dossier_services
from cqtt.dossiers.models import FINAL_STATUSES, Dossier, Status
from cqtt.dossiers.printouts.printing import commune_of, fmt_date
from cqtt.dossiers.selectors import procedure_plan
from cqtt.notifications import rules as notice_rules
from cqtt.notifications import services as notices
from cqtt.units.models import Unit
from cqtt.workdays.selectors import calendar_for, schedule_for

from . import rules, selectors, signing
from .defaults import NOTICE, default_wording
from .models import DeliveryChannel, Letter, LetterKind, LetterSequence, LetterStatus, LetterTemplate

K, St = LetterKind, LetterStatus
EDIT_ROLES = {Role.LEADER, Role.COUNTER_OFFICER, Role.SPECIALIST}  # draft, edit, cancel, mark sent
TEMPLATE_ROLES = selectors.TEMPLATE_ROLES  # a unit's wording and its own kinds of letter
CONDOLENCE_QUIET = (dt.time(21, 0), dt.time(7, 0))  # never at night, whatever the unit's own quiet hours


def _wording(
    unit: Unit, kind: str, title: str = "", template: LetterTemplate | None = None
) -> tuple[str, str, str, LetterTemplate | None]:
    """The wording a new letter starts from (subject, body, the kind's name, the unit's own kind it follows), in
    the platform's language (an official letter is Vietnamese, whatever the language of the officer's screen)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _wording_in(unit, kind, title, template)


def _wording_in(
    unit: Unit, kind: str, title: str, template: LetterTemplate | None
) -> tuple[str, str, str, LetterTemplate | None]:
    if kind != K.CUSTOM:
        own = LetterTemplate.objects.filter(unit=unit, kind=kind).first()
    elif template is not None:
        if template.unit_id != unit.pk or template.kind != K.CUSTOM or template.archived_at is not None:
            raise ServiceError({"kind": [_("Loại thư này không dùng được ở %(u)s.") % {"u": unit.full_name}]})
        own = template
    else:  # "another kind" with a name typed in: the unit's own kind of that name, if it has one in use
        own = LetterTemplate.objects.filter(
            unit=unit, kind=kind, title=title, archived_at__isnull=True
        ).first()
    if own is not None:
        return own.subject, own.body, own.title or title, own if kind == K.CUSTOM else None
    subject, body = default_wording(kind)
    return subject, body, title, None


def _office_phone(unit: Unit) -> str:
    from cqtt.units.selectors import office_of

    office = office_of(unit=unit)
    return office.phone if office else ""


def values(letter: Letter) -> dict[str, str]:
    """The placeholders' values of a letter, now (a draft's dates follow what the leader sets)."""
    d = letter.dossier
    config = notices.unit_settings(letter.unit)
    out = {
        "nguoi_nhan": letter.recipient_name,
        "don_vi": letter.unit.full_name,
        "duong_day_nong": config.hotline or _office_phone(letter.unit) or letter.unit.phone,
        "ly_do": letter.reason,
        "ngay_hen": fmt_date(letter.old_due_at),
        "ngay_hen_moi": fmt_date(letter.proposed_due_at),
    }
    if d is not None:
        out |= {
            "ma_ho_so": d.code,
            "thu_tuc": d.procedure.name,
            "ngay_nop": fmt_date(d.received_at or d.submitted_at),
            "su_kien": str(rules.LIFE_EVENT_WORDS.get(d.procedure.life_event, "")),
        }
        if not letter.old_due_at:
            out["ngay_hen"] = fmt_date(d.due_at)
    return out


def blanks(letter: Letter) -> list[str]:
    """Placeholders the letter names that have no value yet (a reason not given, no hotline set): a letter with
    a hole is not signed. An empty body is one big hole."""
    if not (letter.body or "").strip():
        return ["noi_dung"]
    v = values(letter)
    return [n for n in rules.placeholder_names(letter.subject, letter.body) if not str(v.get(n, "")).strip()]


def rendered(letter: Letter) -> tuple[str, list[str]]:
    """(subject, paragraphs) with the placeholders filled."""
    v = values(letter)
    body = rules.render(letter.body, v)
    return " ".join(rules.render(letter.subject, v).split()), [
        p.strip() for p in body.split("\n\n") if p.strip()
    ]


def _issuer(dossier: Dossier | None, unit: Unit | None) -> Unit:
    return commune_of(unit) if unit is not None else selectors.issuer_of(dossier=dossier)


STREAM = "letter"


def _audit(actor, action: str, letter: Letter, summary: str, changes: dict | None = None) -> None:
    """The audit event of a letter's change, and its outbox event (`letter.<action>`) for the apps that count
    letters (the evaluation's read model counts them by unit, kind and month made). A letter's id is a random
    text, so the event's aggregate is the issuing unit and the letter is named in the payload."""
    audit_record(
        actor=actor,
        action=f"letters.{action}",
        obj=letter,
        unit_code=letter.unit.code,
        summary=summary,
        changes=changes,
    )
    outbox.emit(
        stream=STREAM,
        aggregate_id=letter.unit_id,
        action=action,
        payload={
            "letter": letter.pk,
            "unit_id": letter.unit_id,
            "kind": letter.kind,
            "status": letter.status,
            "created_at": letter.created_at.isoformat(),
        },
    )


def letter_draft(
    *,
    actor: User | None,
    kind: str,
    dossier: Dossier | None = None,
    unit: Unit | None = None,
    recipient_name: str = "",
    recipient_address: str = "",
    reason: str = "",
    proposed_due_at: dt.datetime | None = None,
    late: bool = False,
    source: str = "manual",
    title: str = "",
    template: LetterTemplate | None = None,
    at: dt.datetime | None = None,
) -> Letter | None:
    """A draft letter in the caller's transaction; None when the dossier already has one of this kind (one apology
    per dossier: the law allows one new date; one life-event letter). A custom letter follows `template`, one of
    the issuing unit's own kinds still in use, or the unit's kind named `title` if it has one."""
    at = at or timezone.now()
    if kind not in K.values:
        raise ServiceError({"kind": [_("Loại thư không hợp lệ.")]})
    unit = _issuer(dossier, unit)
    if actor is not None and not (user_roles_in(actor, unit) & EDIT_ROLES):
        raise PermissionDenied(_("Bạn không lập thư được cho %(u)s.") % {"u": unit.full_name})
    recipient_name = nfc(recipient_name or (dossier.applicant_name if dossier else "")).strip()
    if not recipient_name:
        raise ServiceError({"recipient_name": [_("Ghi tên người nhận thư.")]})
    subject, body, title, template = _wording(unit, kind, nfc(title).strip(), template)
    letter = Letter(
        unit=unit,
        kind=kind,
        title=title,
        template=template,
        dossier=dossier,
        source=source,
        recipient_name=recipient_name[:200],
        recipient_address=nfc(recipient_address or (dossier.applicant_address if dossier else ""))[:300],
        recipient_phone=(dossier.applicant_phone if dossier and dossier.notify_sms else "")[:20],
        recipient_email=(dossier.applicant_email if dossier and dossier.notify_email else "")[:254],
        subject=subject,
        body=body,
        reason=nfc(reason).strip(),
        old_due_at=dossier.due_at if dossier is not None and kind == K.APOLOGY else None,
        proposed_due_at=proposed_due_at,
        late=late,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            letter.save(force_insert=True)
    except IntegrityError:
        return None
    _audit(actor, "draft", letter, _("Lập dự thảo %(k)s") % {"k": letter.get_kind_display()})
    return letter


# --- the apology sweep -------------------------------------------------------------------------------------

OPEN = [s for s in Status.values if s not in FINAL_STATUSES]


def apology_due(dossier: Dossier, now: dt.datetime) -> tuple[bool, dt.datetime | None]:
    """Whether the dossier needs its apology drafted now (it comes to risk within a working day, or is late) and
    the new date to propose."""
    if dossier.due_at is None or dossier.extended_at is not None or dossier.status in FINAL_STATUSES:
        return False, None
    if dossier.status == Status.READY:
        return False, None  # the result is there: no new date needed
    unit = dossier.handling_unit
    cal, sched = calendar_for(unit.province_code), schedule_for(unit)
    late = now > dossier.due_at
    if not late:
        if dossier.risk_at is None or now < rules.draft_from(dossier.risk_at, cal, sched):
            return False, None
    role = dossier_rules.risk_role(dossier.status) or "specialist"
    remaining = dossier_rules.remaining_days(procedure_plan(dossier.procedure), role)
    return True, rules.proposed_due(now, dossier.due_at, remaining, cal, sched)


def apology_check(*, dossier: Dossier, now: dt.datetime | None = None) -> Letter | None:
    now = now or timezone.now()
    needed, proposed = apology_due(dossier, now)
    if not needed:
        return None
    if Letter.objects.filter(dossier=dossier, kind=K.APOLOGY).exclude(status=St.CANCELLED).exists():
        return None
    return letter_draft(
        actor=None,
        kind=K.APOLOGY,
        dossier=dossier,
        proposed_due_at=proposed,
        late=now > dossier.due_at,
        source="sweep",
        at=now,
    )


def apology_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Draft the apology of every open, not yet extended dossier that comes to risk within a working day or is
    already late (`make run` runs it every few minutes; dossier events run it for their dossier)."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(
        days=5
    )  # a working day of office time is at most this far, weekends and Tết aside
    drafted = 0
    candidates = (
        Dossier.objects.filter(risk_at__lte=horizon, extended_at__isnull=True, status__in=OPEN)
        .exclude(
            pk__in=Letter.objects.filter(kind=K.APOLOGY).exclude(status=St.CANCELLED).values("dossier_id")
        )
        .select_related("procedure", "handling_unit", "receiving_unit")
        .order_by("risk_at")[:limit]
    )
    for dossier in candidates:
        with transaction.atomic():
            if apology_check(dossier=dossier, now=now) is not None:
                drafted += 1
    return drafted


# --- signing -----------------------------------------------------------------------------------------------


def _next_number(unit: Unit, kind: str, year: int) -> int:
    row, _created = LetterSequence.objects.select_for_update().get_or_create(unit=unit, kind=kind, year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last


def _signer_title(user: User) -> str:
    position = (user.position or _("Chủ tịch")).upper()
    return _("TM. ỦY BAN NHÂN DÂN\n%(p)s") % {"p": position}


def _deliver(letter: Letter, *, at: dt.datetime) -> None:
    """Tell the citizen: by the dossier's own notice for an apology (the extension sends it), else a short message
    on the channel they chose — never an SMS for a condolence, never at night for one."""
    if letter.kind == K.APOLOGY:
        d = letter.dossier
        if d is not None and (d.notify_sms or d.notify_email or d.notify_zalo):
            letter.status, letter.sent_at = St.SENT, at
            letter.channel = DeliveryChannel.SMS if (d.notify_sms or d.notify_zalo) else DeliveryChannel.EMAIL
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = notice_rules.render(str(NOTICE[letter.kind]), values(letter))
    channel, to, not_before = None, "", at
    if letter.kind != K.CONDOLENCE and letter.recipient_phone:
        channel, to = "sms", letter.recipient_phone
        config = notices.unit_settings(letter.unit)
        not_before = notice_rules.after_quiet_hours(at, config.quiet_start, config.quiet_end)
    elif letter.recipient_email:
        channel, to = "email", letter.recipient_email
        if letter.kind == K.CONDOLENCE:
            config = notices.unit_settings(letter.unit)
            start, end = (config.quiet_start, config.quiet_end) if config.quiet_start else CONDOLENCE_QUIET
            not_before = notice_rules.after_quiet_hours(at, start, end)
    if channel is None:
        return  # printed and handed over: marked sent by hand
    subject, paragraphs = rendered(letter)
    message = notices.message_enqueue(
        key=f"letter-{letter.pk}:{channel}",
        unit=letter.unit,
        channel=channel,
        to=to,
        subject=subject if channel == "email" else "",
        text=_email_text(letter, paragraphs) if channel == "email" else text,
        event=f"letter_{letter.kind}",
        subject_code=letter.dossier.code if letter.dossier else "",
        stream="letter",
        at=at,
        not_before=not_before,
    )
    if message is not None:
        letter.status, letter.sent_at, letter.channel = St.SENT, at, channel


def _email_text(letter: Letter, paragraphs: list[str]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return "\n\n".join([_("Kính gửi %(n)s,") % {"n": letter.recipient_name}, *paragraphs])


@transaction.atomic
def letter_sign(
    *,
    actor: User,
    letter: Letter,
    proposed_due_at: dt.datetime | None = None,
    reason: str | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Letter:
    """The leader signs: the letter gets its number (per unit, kind and year, without gaps), an apology performs
    the dossier's one extension to its new date (the original due date kept), and the citizen is told."""
    at = at or timezone.now()
    letter = (
        Letter.objects.select_for_update(of=("self",)).select_related("unit", "dossier").get(pk=letter.pk)
    )
    if Role.LEADER not in user_roles_in(actor, letter.unit) and not actor.is_superuser:
        raise PermissionDenied(_("Chỉ lãnh đạo %(u)s ký thư này.") % {"u": letter.unit.full_name})
    if expected_version is not None and letter.version != expected_version:
        raise TransitionNotAllowed(_("Thư vừa được người khác sửa. Vui lòng tải lại trang."))
    if letter.status != St.DRAFT:
        raise TransitionNotAllowed(
            _("Thư này không còn là dự thảo (%(s)s).") % {"s": letter.get_status_display()}
        )
    before = {
        "status": letter.status,
        "proposed_due_at": str(letter.proposed_due_at or ""),
        "reason": letter.reason,
    }
    if reason is not None:
        letter.reason = nfc(reason).strip()
    if proposed_due_at is not None:
        letter.proposed_due_at = proposed_due_at
    if letter.kind == K.APOLOGY:
        errors = {}
        if not letter.reason:
            errors["reason"] = [_("Nêu lý do chậm trễ để gửi thư xin lỗi.")]
        if letter.proposed_due_at is None:
            errors["proposed_due_at"] = [_("Chọn ngày hẹn mới.")]
        if errors:
            raise ServiceError(errors)
    holes = blanks(letter)
    if holes:
        raise ServiceError(
            {
                "body": [
                    _("Thư còn chỗ trống: %(p)s. Điền nội dung (hoặc sửa thư) rồi ký.")
                    % {"p": ", ".join(f"(({h}))" for h in holes)}
                ]
            }
        )
    if letter.kind == K.APOLOGY:
        if letter.dossier.extended_at is None:
            dossier_services.dossier_extend(
                actor=actor,
                dossier=letter.dossier,
                reason=letter.reason,
                new_due_at=letter.proposed_due_at,
                at=at,
            )
        else:
            raise TransitionNotAllowed(
                _("Hồ sơ %(c)s đã được hẹn lại một lần; pháp luật chỉ cho phép hẹn lại một lần.")
                % {"c": letter.dossier.code}
            )
        letter.late = letter.late or at > (letter.old_due_at or at)
    local = timezone.localtime(at)
    letter.year = local.year
    letter.number = _next_number(letter.unit, letter.kind, letter.year)
    letter.symbol = rules.symbol(letter.kind)
    letter.signer, letter.signed_at, letter.signer_title = actor, at, _signer_title(actor)
    provider = signing.provider()
    pdf = None
    if getattr(provider, "needs_pdf", False):
        from .printouts import letter_pdf

        pdf = letter_pdf(letter)
    signature = provider.sign(letter, pdf)
    letter.signature, letter.signature_ref = signature.method, signature.reference[:200]
    letter.status = St.SIGNED
    _deliver(letter, at=at)
    letter.version += 1
    letter.save()
    _audit(
        actor,
        "sign",
        letter,
        _("Ký %(k)s số %(n)s") % {"k": letter.get_kind_display(), "n": letter.number_text},
        changes={
            "status": [before["status"], letter.status],
            **({"reason": [before["reason"], letter.reason]} if before["reason"] != letter.reason else {}),
            **(
                {"proposed_due_at": [before["proposed_due_at"], str(letter.proposed_due_at)]}
                if before["proposed_due_at"] != str(letter.proposed_due_at or "")
                else {}
            ),
        },
    )
    return letter


def letters_sign_many(
    *, actor: User, letters: list[Letter], at: dt.datetime | None = None
) -> tuple[list[Letter], list[tuple[Letter, str]]]:
    """Sign each in its own transaction: one that cannot be signed (no reason, already extended) does not stop
    the others. Returns (signed, [(refused, why)])."""
    signed, refused = [], []
    for letter in letters:
        try:
            signed.append(letter_sign(actor=actor, letter=letter, at=at))
        except (ServiceError, TransitionNotAllowed, PermissionDenied) as exc:
            why = (
                "; ".join(m for ms in exc.message_dict.values() for m in ms)
                if isinstance(exc, ServiceError)
                else str(exc)
            )
            refused.append((letter, why))
    return signed, refused


@transaction.atomic
def letter_signed_by_extension(
    *, dossier: Dossier, actor: User | None, reason: str, new_due_at: dt.datetime, at: dt.datetime
) -> Letter | None:
    """The dossier was extended by its own action (not by signing a letter): its apology is the extension's
    written form — the waiting draft is completed, or one is made — signed by whoever extended it."""
    letter = (
        Letter.objects.select_for_update()
        .filter(dossier=dossier, kind=K.APOLOGY)
        .exclude(status=St.CANCELLED)
        .first()
    )
    if letter is not None and letter.status != St.DRAFT:
        return None  # signing that letter performed this extension
    if letter is None:
        letter = letter_draft(actor=None, kind=K.APOLOGY, dossier=dossier, source="extend", at=at)
        if letter is None:
            return None
    letter.reason = nfc(reason)
    letter.proposed_due_at = new_due_at
    letter.late = at > (letter.old_due_at or at)
    letter.year = timezone.localtime(at).year
    letter.number = _next_number(letter.unit, letter.kind, letter.year)
    letter.symbol = rules.symbol(letter.kind)
    letter.signer, letter.signed_at = actor, at
    letter.signer_title = _signer_title(actor) if actor else ""
    letter.signature = signing.Signature("hand").method
    letter.status = St.SIGNED
    _deliver(letter, at=at)
    letter.version += 1
    letter.save()
    _audit(
        actor,
        "sign",
        letter,
        _("Thư xin lỗi số %(n)s theo việc hẹn lại ngày trả") % {"n": letter.number_text},
    )
    return letter


@transaction.atomic
def letter_cancel(*, actor: User, letter: Letter, reason: str) -> Letter:
    """Not sent, with the reason (e.g. a stillbirth, a re-registration, a late registration)."""
    letter = Letter.objects.select_for_update().select_related("unit").get(pk=letter.pk)
    if not (user_roles_in(actor, letter.unit) & EDIT_ROLES):
        raise PermissionDenied(_("Bạn không sửa được thư của %(u)s.") % {"u": letter.unit.full_name})
    if letter.status != St.DRAFT:
        raise TransitionNotAllowed(_("Chỉ bỏ được thư còn là dự thảo."))
    reason = nfc(reason).strip()
    if not reason:
        raise ServiceError({"cancel_reason": [_("Ghi lý do không gửi thư.")]})
    letter.status, letter.cancel_reason = St.CANCELLED, reason[:300]
    letter.version += 1
    letter.save(update_fields=["status", "cancel_reason", "version", "updated_at"])
    _audit(
        actor,
        "cancel",
        letter,
        _("Không gửi %(k)s: %(r)s") % {"k": letter.get_kind_display(), "r": reason},
        {"status": [St.DRAFT, St.CANCELLED]},
    )
    return letter


@transaction.atomic
def letter_not_sent(*, letter: Letter, reason: str, actor_id: int | None) -> Letter:
    """A draft the counter officer declined when returning the result (the reason came with the event)."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    letter.status, letter.cancel_reason = (
        St.CANCELLED,
        (nfc(reason).strip() or _("Cán bộ một cửa không gửi"))[:300],
    )
    letter.version += 1
    letter.save(update_fields=["status", "cancel_reason", "version", "updated_at"])
    _audit(
        actor,
        "cancel",
        letter,
        _("Không gửi %(k)s: %(r)s") % {"k": letter.get_kind_display(), "r": letter.cancel_reason},
        {"status": [St.DRAFT, St.CANCELLED]},
    )
    return letter


@transaction.atomic
def letter_edit(
    *,
    actor: User,
    letter: Letter,
    subject: str,
    body: str,
    reason: str,
    recipient_name: str,
    proposed_due_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Letter:
    letter = Letter.objects.select_for_update().select_related("unit").get(pk=letter.pk)
    if not (user_roles_in(actor, letter.unit) & EDIT_ROLES):
        raise PermissionDenied(_("Bạn không sửa được thư của %(u)s.") % {"u": letter.unit.full_name})
    if letter.status != St.DRAFT:
        raise TransitionNotAllowed(_("Thư đã ký không sửa được."))
    if expected_version is not None and letter.version != expected_version:
        raise TransitionNotAllowed(_("Thư vừa được người khác sửa. Vui lòng tải lại trang."))
    subject, reason, name = (nfc(x) for x in (subject, reason, recipient_name))
    body = nfc_text(body)
    errors = {}
    if not subject:
        errors["subject"] = [_("Ghi trích yếu.")]
    if not body:
        errors["body"] = [_("Ghi nội dung thư.")]
    if not name:
        errors["recipient_name"] = [_("Ghi tên người nhận thư.")]
    problems = rules.template_problems(letter.kind, subject, body)
    if problems:
        errors["body"] = problems
    if errors:
        raise ServiceError(errors)
    changes = {
        k: [getattr(letter, k), v]
        for k, v in {"subject": subject, "body": body, "reason": reason, "recipient_name": name}.items()
        if getattr(letter, k) != v
    }
    letter.subject, letter.body, letter.reason, letter.recipient_name = subject, body, reason, name
    if proposed_due_at is not None and letter.old_due_at and proposed_due_at <= letter.old_due_at:
        errors["proposed_due_at"] = [
            _("Ngày hẹn mới phải sau ngày hẹn cũ (%(d)s).") % {"d": fmt_date(letter.old_due_at)}
        ]
        raise ServiceError(errors)
    if proposed_due_at is not None and proposed_due_at != letter.proposed_due_at:
        changes["proposed_due_at"] = [str(letter.proposed_due_at or ""), str(proposed_due_at)]
        letter.proposed_due_at = proposed_due_at
    letter.version += 1
    letter.save()
    _audit(actor, "edit", letter, _("Sửa dự thảo %(k)s") % {"k": letter.get_kind_display()}, changes)
    return letter


@transaction.atomic
def letter_mark_sent(*, actor: User, letter: Letter, at: dt.datetime | None = None) -> Letter:
    """A signed letter handed over or posted."""
    letter = Letter.objects.select_for_update().select_related("unit").get(pk=letter.pk)
    if not (user_roles_in(actor, letter.unit) & EDIT_ROLES):
        raise PermissionDenied(_("Bạn không sửa được thư của %(u)s.") % {"u": letter.unit.full_name})
    if letter.status != St.SIGNED:
        raise TransitionNotAllowed(_("Chỉ thư đã ký mới đánh dấu đã gửi được."))
    letter.status, letter.sent_at, letter.channel = St.SENT, at or timezone.now(), DeliveryChannel.PRINT
    letter.version += 1
    letter.save(update_fields=["status", "sent_at", "channel", "version", "updated_at"])
    _audit(
        actor,
        "sent",
        letter,
        _("Đã trao/gửi thư %(n)s") % {"n": letter.number_text},
        {"status": [St.SIGNED, St.SENT]},
    )
    return letter


@transaction.atomic
def letter_template_save(
    *,
    actor: User,
    unit: Unit,
    kind: str,
    subject: str,
    body: str,
    title: str = "",
    template: LetterTemplate | None = None,
) -> LetterTemplate:
    """A unit's wording of a kind of letter; for its own kinds (`custom`), a new kind, or `template` (one of its
    kinds) rewritten or renamed. A rename names the kind's new letters; those already made keep their name."""
    require_role(actor, unit, TEMPLATE_ROLES)
    subject, body, title = nfc(subject), nfc_text(body), nfc(title).strip()
    errors = {}
    if kind not in K.values:
        errors["kind"] = [_("Loại thư không hợp lệ.")]
    if not subject:
        errors["subject"] = [_("Ghi trích yếu.")]
    if not body:
        errors["body"] = [_("Ghi nội dung thư.")]
    if kind == K.CUSTOM and not title:
        errors["title"] = [_("Đặt tên cho loại thư mới.")]
    if template is not None:
        template = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        if template.unit_id != unit.pk or template.kind != K.CUSTOM or kind != K.CUSTOM:
            raise PermissionDenied(_("Loại thư này không phải của %(u)s.") % {"u": unit.full_name})
    if kind == K.CUSTOM and title:
        twin = LetterTemplate.objects.filter(unit=unit, kind=K.CUSTOM, title=title)
        if template is not None:
            twin = twin.exclude(pk=template.pk)
        if twin.exists():
            errors["title"] = [_("Đơn vị đã có loại thư “%(t)s”. Đặt tên khác.") % {"t": title}]
    if not errors:
        problems = rules.template_problems(kind, subject, body)
        if problems:
            errors["body"] = problems
    if errors:
        raise ServiceError(errors)
    if kind != K.CUSTOM:
        template = LetterTemplate.objects.select_for_update().filter(unit=unit, kind=kind).first()
    before = {"title": template.title, "subject": template.subject, "body": template.body} if template else {}
    template = template or LetterTemplate(unit=unit, kind=kind)
    template.subject, template.body, template.title = subject, body, title
    template.save()
    renamed = bool(before) and kind == K.CUSTOM and before["title"] != title
    audit_record(
        actor=actor,
        action="letters.kind.rename" if renamed else "letters.template.save",
        obj=template,
        unit_code=unit.code,
        summary=(
            _("Đổi tên loại thư “%(old)s” thành “%(new)s”") % {"old": before["title"], "new": title}
            if renamed
            else _("Sửa mẫu %(k)s") % {"k": title or template.get_kind_display()}
        ),
        changes={
            k: [before.get(k), v]
            for k, v in {"title": title, "subject": subject, "body": body}.items()
            if before.get(k, "") != v
        },
    )
    return template


def _custom_kind(actor: User, template: LetterTemplate) -> LetterTemplate:
    template = LetterTemplate.objects.select_for_update().select_related("unit").get(pk=template.pk)
    if template.kind != K.CUSTOM:
        raise ServiceError({"kind": [_("Chỉ xóa hoặc lưu trữ được loại thư riêng của đơn vị.")]})
    require_role(actor, template.unit, TEMPLATE_ROLES)
    return template


@transaction.atomic
def letter_kind_delete(*, actor: User, template: LetterTemplate) -> None:
    """Delete one of a unit's own kinds of letter, only while no letter was made from it (else archive it)."""
    template = _custom_kind(actor, template)
    used = Letter.objects.filter(template=template).count()
    if used:
        raise ServiceError(
            {
                "kind": [
                    _(
                        "Không xóa được loại thư “%(t)s”: đã có %(n)s thư lập theo loại này. Hãy lưu trữ để "
                        "không lập thêm thư loại này; các thư đã lập vẫn giữ nguyên."
                    )
                    % {"t": template.title, "n": used}
                ]
            }
        )
    audit_record(
        actor=actor,
        action="letters.kind.delete",
        obj=template,
        unit_code=template.unit.code,
        summary=_("Xóa loại thư “%(t)s”") % {"t": template.title},
        changes={"title": [template.title, None]},
    )
    template.delete()


@transaction.atomic
def letter_kind_archive(
    *, actor: User, template: LetterTemplate, archived: bool = True, at: dt.datetime | None = None
) -> LetterTemplate:
    """Stop offering one of a unit's own kinds for new letters (`archived=False`: offer it again); the letters
    made from it are kept as they are."""
    template = _custom_kind(actor, template)
    if (template.archived_at is not None) == archived:
        return template
    before = str(template.archived_at or "")
    template.archived_at = (at or timezone.now()) if archived else None
    template.save(update_fields=["archived_at", "updated_at"])
    audit_record(
        actor=actor,
        action="letters.kind.archive" if archived else "letters.kind.restore",
        obj=template,
        unit_code=template.unit.code,
        summary=(_("Lưu trữ loại thư “%(t)s”") if archived else _("Dùng lại loại thư “%(t)s”"))
        % {"t": template.title},
        changes={"archived_at": [before, str(template.archived_at or "")]},
    )
    return template
