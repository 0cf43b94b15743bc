"""Intake: the citizen's data checked, the dossier created (at the counter, online, by the API at most once per
Idempotency-Key), received, sent back for an intake supplement or refused at intake."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import user_roles_in
from cqtt.core.errors import PermissionDenied, RequestKeyReused, ServiceError, TransitionNotAllowed
from cqtt.core.text import nfc
from cqtt.procedures.models import Procedure
from cqtt.procedures.selectors import (
    procedure_documents,
    procedure_fees,
    procedure_in_force,
    procedure_offered_at,
)
from cqtt.units.models import Counter, Unit

from .. import rules
from ..models import (
    ApplicantKind,
    Channel,
    Dossier,
    DossierDocument,
    DossierFee,
    IdempotencyKey,
    PauseStage,
    Status,
    SupplementRequest,
)
from .engine import (
    DOCUMENT_KINDS,
    _apply,
    _auto_assign,
    _begin,
    _emit,
    _event,
    _issue_code,
    _slip_number,
    _start_clock,
    _tally,
)


@dataclass
class ApplicantData:
    full_name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    commune: Unit | None = None
    kind: str = ApplicantKind.PERSON
    # the citizen's notice channels for this dossier: None → by default (SMS with a phone, e-mail with an
    # address: transactional notices); Zalo only when the citizen says yes
    notify_sms: bool | None = None
    notify_email: bool | None = None
    notify_zalo: bool = False


@dataclass
class DocumentData:
    name: str
    kind: str = "copy"
    count: int = 1
    submitted: bool = True
    required_document_id: int | None = None
    upload: Any = None  # an UploadedFile already checked by `uploads.check_upload`
    content_type: str = ""


@dataclass
class IntakeResult:
    dossier: Dossier
    missing: list[str] = field(default_factory=list)


def _check_applicant(applicant: ApplicantData, errors: dict) -> None:
    applicant.full_name = nfc(applicant.full_name)
    applicant.address = nfc(applicant.address)
    applicant.email = (applicant.email or "").strip()
    applicant.id_number = rules.normalise_id_number(applicant.id_number)
    applicant.phone = rules.normalise_phone(applicant.phone)
    if not applicant.full_name:
        errors["applicant.full_name"] = [_("Vui lòng nhập họ tên người nộp hồ sơ.")]
    elif len(applicant.full_name) > 200:
        errors["applicant.full_name"] = [_("Họ tên tối đa 200 ký tự.")]
    if applicant.id_number:
        problem = rules.id_number_problem(
            applicant.id_number, kind=applicant.kind, today=timezone.localdate()
        )
        if problem:
            errors["applicant.id_number"] = [problem]
    if not applicant.phone:
        errors["applicant.phone"] = [_("Vui lòng nhập số điện thoại để nhận thông báo.")]
    else:
        problem = rules.phone_problem(applicant.phone)
        if problem:
            errors["applicant.phone"] = [problem]
    if applicant.email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(applicant.email)
        except ValidationError:
            errors["applicant.email"] = [_("Địa chỉ thư điện tử không hợp lệ.")]
    if applicant.notify_sms is None:
        applicant.notify_sms = bool(applicant.phone)
    if applicant.notify_email is None:
        applicant.notify_email = bool(applicant.email)
    if applicant.notify_email and not applicant.email:
        errors["notify.email"] = [_("Muốn nhận thông báo qua thư điện tử thì cần nhập địa chỉ thư điện tử.")]
    if (applicant.notify_sms or applicant.notify_zalo) and not applicant.phone:
        errors["notify.sms"] = [_("Muốn nhận tin nhắn thì cần nhập số điện thoại.")]


def _resolve_procedure(code: str, unit: Unit, at: datetime, errors: dict) -> Procedure | None:
    procedure = procedure_in_force(code=(code or "").strip(), at=timezone.localdate(at))
    if procedure is None:
        errors["procedure_code"] = [_("Không có thủ tục mã “%(c)s” đang có hiệu lực.") % {"c": code}]
        return None
    if not procedure_offered_at(procedure=procedure, unit=unit):
        errors["procedure_code"] = [
            _("Thủ tục “%(n)s” không được thực hiện tại %(u)s.") % {"n": procedure.name, "u": unit.full_name}
        ]
        return None
    return procedure


def _create(
    *,
    procedure: Procedure,
    unit: Unit,
    applicant: ApplicantData,
    documents: list[DocumentData],
    channel: str,
    delivery: str,
    status: str,
    at: datetime,
    actor,
    counter: Counter | None,
    sets_count: int,
    prepare: Callable[[Dossier], None] | None = None,
) -> Dossier:
    """Insert a new dossier with its documents and fees; `prepare` completes the row before its one INSERT."""
    fees = [DossierFee(name=f.name, amount=f.amount) for f in procedure_fees(procedure=procedure)]
    dossier = Dossier(
        code=_issue_code(unit, at),
        fees_total=sum(f.amount for f in fees),
        lookup_token=secrets.token_urlsafe(12),
        procedure=procedure,
        receiving_unit=unit,
        handling_unit=unit,
        current_unit=unit,
        counter=counter,
        status=status,
        channel=channel,
        delivery=delivery,
        sets_count=sets_count,
        applicant_kind=applicant.kind,
        applicant_name=applicant.full_name,
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_commune=applicant.commune,
        notify_sms=bool(applicant.notify_sms),
        notify_email=bool(applicant.notify_email),
        notify_zalo=bool(applicant.notify_zalo),
        submitted_at=at,
    )
    dossier.search_text = rules.search_text(
        dossier.code, dossier.applicant_name, dossier.applicant_id_number, dossier.applicant_phone
    )
    if prepare is not None:
        prepare(dossier)
    dossier.save(force_insert=True)
    rows = []
    for order, doc in enumerate(documents, start=1):
        row = DossierDocument(
            dossier=dossier,
            order=order,
            name=nfc(doc.name),
            kind=doc.kind,
            count=max(doc.count, 0),
            submitted=doc.submitted,
            required_document_id=doc.required_document_id,
        )
        if doc.upload is not None:
            row.file.save(doc.upload.name, doc.upload, save=False)
            row.original_filename = nfc(doc.upload.name)[:255]
            row.content_type = doc.content_type
            row.size = doc.upload.size
        rows.append(row)
    DossierDocument.objects.bulk_create(rows)
    for fee in fees:
        fee.dossier = dossier
    DossierFee.objects.bulk_create(fees)
    dossier._cqtt_was_final = False  # a dossier refused at intake is counted by the intake itself
    return dossier


def _counter_unit(actor, unit: Unit | None) -> Unit:
    if unit is not None:
        if Role.COUNTER_OFFICER not in user_roles_in(actor, unit):
            raise PermissionDenied(_("Bạn không phải cán bộ một cửa của %(u)s.") % {"u": unit.full_name})
        return unit
    units = [ra.unit for ra in actor.roles.select_related("unit").filter(role=Role.COUNTER_OFFICER)]
    if len(units) == 1:
        return units[0]
    if not units:
        raise PermissionDenied(_("Chỉ cán bộ một cửa được tiếp nhận hồ sơ."))
    raise ServiceError({"unit_code": [_("Bạn làm việc ở nhiều đơn vị; hãy chọn đơn vị tiếp nhận.")]})


@transaction.atomic
def dossier_intake(
    *,
    actor: User,
    procedure_code: str,
    applicant: ApplicantData,
    documents: list[DocumentData],
    channel: str = Channel.COUNTER,
    delivery: str = Channel.COUNTER,
    unit: Unit | None = None,
    counter: Counter | None = None,
    sets_count: int = 1,
    missing_items: list[str] | None = None,
    refusal_reason: str = "",
    supplement_reason: str = "",
    at: datetime | None = None,
) -> IntakeResult:
    """Counter intake in one step. Complete → received (code, due date, book entry, slip Mẫu 01); missing items
    → supplement slip (Mẫu 02) listing all of them at once; `refusal_reason` → refusal slip (Mẫu 03)."""
    at = at or timezone.now()
    unit = _counter_unit(actor, unit)
    errors: dict[str, list[str]] = {}
    procedure = _resolve_procedure(procedure_code, unit, at, errors)
    _check_applicant(applicant, errors)
    if channel not in Channel.values:
        errors["channel"] = [_("Hình thức nộp không hợp lệ.")]
    if delivery not in Channel.values:
        errors["delivery"] = [_("Hình thức nhận kết quả không hợp lệ.")]
    if not 1 <= sets_count <= 99:
        errors["sets_count"] = [_("Số bộ hồ sơ từ 1 đến 99.")]
    if procedure is not None and not documents:
        # nothing ticked separately: the procedure's own list, all submitted
        documents = [
            DocumentData(
                name=d.name,
                kind=d.kind if d.kind in DOCUMENT_KINDS else "copy",
                count=d.count,
                required_document_id=d.pk,
            )
            for d in procedure_documents(procedure=procedure)
        ]
    missing = [nfc(m) for m in (missing_items or []) if nfc(m)]
    missing += [d.name for d in documents if not d.submitted and nfc(d.name) not in missing]
    refusal_reason = nfc(refusal_reason)
    if not refusal_reason and not missing and not any(d.submitted for d in documents) and documents:
        errors["documents"] = [_("Chưa đánh dấu thành phần hồ sơ nào đã nộp.")]
    if errors:
        raise ServiceError(errors)

    if refusal_reason:
        status, action = Status.INTAKE_REFUSED, "refuse-intake"
    elif missing:
        status, action = Status.INTAKE_SUPPLEMENT, "request-intake-supplement"
    else:
        status, action = Status.RECEIVED, "receive"

    def prepare(dossier: Dossier) -> None:
        # the intake's outcome goes into the row's one INSERT (as a change of state it counts as version 1)
        dossier.version += 1
        if status == Status.RECEIVED:
            dossier.received_by = actor
            _start_clock(dossier, at)
        elif status == Status.INTAKE_REFUSED:
            dossier.refusal_reason = refusal_reason
            dossier.refusal_number = _slip_number(dossier, "refusal", at)
            dossier.finished_at = at

    dossier = _create(
        procedure=procedure,
        unit=unit,
        applicant=applicant,
        documents=documents,
        channel=channel,
        delivery=delivery,
        status=status,
        at=at,
        actor=actor,
        counter=counter,
        sets_count=sets_count,
        prepare=prepare,
    )
    note = ""
    if status == Status.INTAKE_SUPPLEMENT:
        SupplementRequest.objects.create(
            number=_slip_number(dossier, "supplement", at),
            dossier=dossier,
            stage=PauseStage.INTAKE,
            items=missing,
            reason=nfc(supplement_reason),
            requested_at=at,
            requested_by=actor,
        )
        note = "; ".join(missing)
    elif status == Status.INTAKE_REFUSED:
        note = refusal_reason
        _tally(dossier.handling_unit_id, dossier.status, dossier.timeliness)
        dossier._cqtt_was_final = True
    _event(dossier, actor=actor, action=action, at=at, note=note)
    data = (
        {"items": missing}
        if missing and not refusal_reason
        else {"reason": refusal_reason}
        if refusal_reason
        else {}
    )
    _emit(dossier, action, before="", at=at, data=data, actor=actor)
    if status == Status.RECEIVED and procedure.duration_unit != "same_day":
        # the version in force was read with its field (`procedure_in_force`)
        _auto_assign(dossier, at=at, field_code=procedure.field.code if procedure.field_id else "")
    return IntakeResult(dossier=dossier, missing=missing)


@dataclass
class IntakeAnswer:
    """What an intake sent with an idempotency key answers: its own answer, or the one stored for the key."""

    status: int
    body: dict
    replayed: bool = False


def _claim_key(*, actor: User, key: str, fingerprint: str, at: datetime) -> IdempotencyKey | IntakeAnswer:
    """Take `key` for this request (a row written in the caller's transaction), or return the stored answer of
    the request that took it. On PostgreSQL a concurrent request with the same key waits at the INSERT until the
    first one commits (the unique constraint), then reads its answer; if the first one rolls back, it goes on."""
    for _attempt in range(3):
        claim = IdempotencyKey(
            user=actor, key=key, fingerprint=fingerprint, response_status=0, response_body={}, created_at=at
        )
        try:
            with transaction.atomic():
                claim.save(force_insert=True)
            return claim
        except IntegrityError:
            pass
        earlier = IdempotencyKey.objects.filter(user=actor, key=key).first()
        if earlier is None:  # purged in between: try again
            continue
        if earlier.created_at < at - rules.IDEMPOTENCY_KEY_LIFETIME:
            # forgotten: this request takes the key over, unless a concurrent one just did (then read again)
            taken = IdempotencyKey.objects.filter(pk=earlier.pk, created_at=earlier.created_at).update(
                fingerprint=fingerprint, response_status=0, response_body={}, created_at=at
            )
            if taken:
                claim.pk = earlier.pk
                return claim
            continue
        if earlier.fingerprint != fingerprint:
            raise RequestKeyReused(
                _(
                    "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới."
                )
            )
        return IntakeAnswer(status=earlier.response_status, body=earlier.response_body, replayed=True)
    # the key changed hands three times while we looked: let the client try again (409)
    raise TransitionNotAllowed(_("Khóa Idempotency-Key đang được dùng; hãy gửi lại sau giây lát."))


@transaction.atomic
def dossier_intake_once(
    *,
    actor: User,
    idempotency_key: str,
    fingerprint: str,
    answer: Callable[[IntakeResult], tuple[int, dict]],
    **intake: Any,
) -> IntakeAnswer:
    """`dossier_intake` at most once per (user, key) within a day. `answer` turns the intake's result into the
    interface's answer (status, JSON body), which is stored with the key in the intake's transaction: a dossier
    never exists without its key, nor a key without its dossier. The same key again answers the stored answer
    (`replayed`); the same key with another request (`fingerprint`) raises `RequestKeyReused`."""
    claim = _claim_key(actor=actor, key=idempotency_key, fingerprint=fingerprint, at=timezone.now())
    if isinstance(claim, IntakeAnswer):
        return claim
    status, body = answer(dossier_intake(actor=actor, **intake))
    claim.response_status, claim.response_body = status, body
    claim.save(update_fields=["response_status", "response_body"])
    return IntakeAnswer(status=status, body=body)


def idempotency_keys_purge(*, before: datetime | None = None) -> int:
    """Delete the idempotency keys older than a day (or than `before`); returns how many."""
    before = before or timezone.now() - rules.IDEMPOTENCY_KEY_LIFETIME
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=before).delete()
    return deleted


@transaction.atomic
def dossier_submit_online(
    *,
    procedure_code: str,
    unit: Unit,
    applicant: ApplicantData,
    documents: list[DocumentData],
    delivery: str = Channel.ONLINE,
    at: datetime | None = None,
) -> Dossier:
    """A citizen's online submission: gets its code at once, waits for a counter officer to receive it."""
    at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    procedure = _resolve_procedure(procedure_code, unit, at, errors)
    if procedure is not None and procedure.online_level == "truc_tiep":
        errors["procedure_code"] = [_("Thủ tục này chỉ nộp trực tiếp tại Bộ phận Một cửa.")]
    _check_applicant(applicant, errors)
    if delivery not in Channel.values:
        errors["delivery"] = [_("Hình thức nhận kết quả không hợp lệ.")]
    if errors:
        raise ServiceError(errors)
    dossier = _create(
        procedure=procedure,
        unit=unit,
        applicant=applicant,
        documents=documents,
        channel=Channel.ONLINE,
        delivery=delivery,
        status=Status.SUBMITTED_ONLINE,
        at=at,
        actor=None,
        counter=None,
        sets_count=1,
    )
    _event(dossier, actor=None, action="submit-online", at=at)
    _emit(dossier, "submit-online", before="", at=at)
    return dossier


@transaction.atomic
def dossier_receive(
    *, actor: User, dossier: Dossier, expected_version: int | None = None, at: datetime | None = None
) -> Dossier:
    """Accept an online (or previously incomplete) dossier: the clock starts now (cut-off rule applies)."""
    at = at or timezone.now()
    dossier, before = _begin("receive", actor=actor, dossier=dossier, expected_version=expected_version)
    dossier.received_by = actor
    _start_clock(dossier, at)
    SupplementRequest.objects.filter(dossier=dossier, resolved_at__isnull=True).update(
        resolved_at=at, resolved_by=actor
    )
    _apply(
        dossier,
        "receive",
        actor=actor,
        at=at,
        before=before,
        fields=(
            "received_at",
            "received_by",
            "due_at",
            "original_due_at",
            "stat_due_at",
            "due_explanation",
            "book_year",
            "book_number",
            "risk_at",
        ),
    )
    if dossier.procedure.duration_unit != "same_day":
        _auto_assign(dossier, at=at)
    return dossier


@transaction.atomic
def dossier_request_intake_supplement(
    *,
    actor: User,
    dossier: Dossier,
    items: list[str],
    reason: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Dossier:
    at = at or timezone.now()
    items = [nfc(i) for i in items if nfc(i)]
    if not items:
        raise ServiceError({"items": [_("Liệt kê đầy đủ, một lần các giấy tờ cần bổ sung.")]})
    dossier, before = _begin(
        "request-intake-supplement", actor=actor, dossier=dossier, expected_version=expected_version
    )
    SupplementRequest.objects.create(
        number=_slip_number(dossier, "supplement", at),
        dossier=dossier,
        stage=PauseStage.INTAKE,
        items=items,
        reason=nfc(reason),
        requested_at=at,
        requested_by=actor,
    )
    _apply(
        dossier,
        "request-intake-supplement",
        actor=actor,
        at=at,
        before=before,
        note="; ".join(items),
        data={"items": items},
    )
    return dossier


@transaction.atomic
def dossier_refuse_intake(
    *,
    actor: User,
    dossier: Dossier,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Dossier:
    at = at or timezone.now()
    reason = nfc(reason)
    if not reason:
        raise ServiceError({"reason": [_("Nêu rõ lý do từ chối tiếp nhận.")]})
    dossier, before = _begin("refuse-intake", actor=actor, dossier=dossier, expected_version=expected_version)
    dossier.refusal_reason = reason
    dossier.refusal_number = _slip_number(dossier, "refusal", at)
    dossier.finished_at = at
    _apply(
        dossier,
        "refuse-intake",
        actor=actor,
        at=at,
        before=before,
        fields=("refusal_reason", "refusal_number", "finished_at"),
        note=reason,
        data={"reason": reason},
    )
    return dossier
