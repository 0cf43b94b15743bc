"""Every write to a dossier. Each transition locks the row, checks the transitions table and the user's roles,
saves, and writes a `DossierEvent` (audit trail and citizen timeline) in the same transaction."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import require_admin_of, user_roles_in
from cqtt.core import outbox
from cqtt.core.errors import PermissionDenied, RequestKeyReused, ServiceError, TransitionNotAllowed
from cqtt.core.process import Refusal
from cqtt.core.text import nfc
from cqtt.procedures.models import Procedure, ProcedureField
from cqtt.procedures.selectors import (
    procedure_documents,
    procedure_fees,
    procedure_in_force,
    procedure_offered_at,
)
from cqtt.units.models import Counter, Unit
from cqtt.workdays import rules as wd
from cqtt.workdays.selectors import calendar_for, schedule_for

from . import rules
from .conf import dossier_code_for, dossier_setting
from .models import (
    FINAL_STATUSES,
    ApplicantKind,
    Channel,
    DailySequence,
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierFee,
    DossierStep,
    DossierTally,
    IdempotencyKey,
    PauseStage,
    Status,
    StepKind,
    SupplementRequest,
    YearlySequence,
)
from .selectors import DossierReference, dossier_for_update, for_action, procedure_plan, with_units

DOCUMENT_KINDS = frozenset(DocumentKind.values)


_conf = dossier_setting


# --- small shared pieces -----------------------------------------------------------------------------------


def _event(
    dossier: Dossier,
    *,
    actor,
    action: str,
    at: datetime,
    from_status: str = "",
    note: str = "",
    data: dict | None = None,
    public: bool = True,
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        occurred_at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        note=note,
        data=data or {},
        is_public=public,
    )


def _increment(model, field: str, **key) -> int:
    """Add one to `field` of the row of `model` matching `key`, in one statement (`UPDATE … RETURNING`, which
    holds the row lock until the caller's transaction ends: gap-free, no two callers get the same value). The
    first use of a key creates its row at 0."""
    meta = model._meta
    columns = [meta.get_field(name).column for name in key]
    values = [
        meta.get_field(name).get_db_prep_value(v.pk if hasattr(v, "pk") else v, connection)
        for name, v in key.items()
    ]
    qn = connection.ops.quote_name
    where = " AND ".join(f"{qn(c)} = %s" for c in columns)
    sql = f"UPDATE {qn(meta.db_table)} SET {qn(field)} = {qn(field)} + 1 WHERE {where} RETURNING {qn(field)}"
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        try:
            with transaction.atomic():
                model.objects.create(**{field: 0}, **key)
        except IntegrityError:
            pass  # created by a concurrent transaction; the UPDATE above now waits for its lock
    raise RuntimeError(f"counter {meta.label} {key} could not be incremented")


def _next_number(model, **key) -> int:
    """The next number of a per-unit daily or yearly sequence."""
    return _increment(model, "last", **key)


def _slip_number(dossier: Dossier, kind: str, at: datetime) -> int:
    """The next "Số" of a supplement or refusal slip issued by the dossier's one-stop this year."""
    return _next_number(
        YearlySequence, unit=dossier.receiving_unit, year=timezone.localtime(at).year, kind=kind
    )


def _issue_code(unit: Unit, at: datetime) -> str:
    day = timezone.localtime(at).date()
    seq = _next_number(DailySequence, unit=unit, day=day)
    return dossier_code_for(unit.dossier_prefix, day, seq)


def _clock(unit: Unit) -> tuple[wd.Calendar, wd.Schedule]:
    """Calendar and office hours of a unit, memoised on the instance for the length of one service call."""
    clock = getattr(unit, "_cqtt_clock", None)
    if clock is None:
        clock = (calendar_for(unit.province_code or None), schedule_for(unit))
        unit._cqtt_clock = clock
    return clock


def _refresh_risk(dossier: Dossier, after_role: str) -> None:
    cal, sched = _clock(dossier.handling_unit)
    dossier.risk_at = rules.risk_at(dossier.due_at, procedure_plan(dossier.procedure), after_role, cal, sched)


def _roles(user, dossier: Dossier) -> set[str]:
    roles: set[str] = set()
    for unit in {dossier.receiving_unit, dossier.handling_unit, dossier.current_unit}:
        roles |= user_roles_in(user, unit)
    return roles


def _lock(dossier: Dossier | DossierReference, expected_version: int | None) -> Dossier:
    """Re-read the dossier row under a row lock (the dossier only: not its units or procedure, which other
    dossiers share), with what the service needs (`selectors.for_action`). A reference
    (`selectors.dossier_reference`) is read here for the first time, checked against its user's scope."""
    if isinstance(dossier, DossierReference):
        locked = dossier_for_update(user=dossier.user, code=dossier.code)
    else:
        locked = with_units(for_action(Dossier.objects.filter(pk=dossier.pk)).get())
    locked._cqtt_was_final = locked.status in FINAL_STATUSES
    if expected_version is not None and locked.version != expected_version:
        raise TransitionNotAllowed(
            _("Hồ sơ %(c)s vừa được người khác cập nhật. Vui lòng tải lại trang để xem trạng thái mới.")
            % {"c": locked.code}
        )
    return locked


def _begin(
    action: str, *, actor, dossier: Dossier | DossierReference, expected_version: int | None
) -> tuple[Dossier, str]:
    locked = _lock(dossier, expected_version)
    try:
        rules.DOSSIER.check(action, locked.status, _roles(actor, locked))
    except Refusal as refusal:
        if refusal.conflict:
            raise TransitionNotAllowed(str(refusal)) from None
        raise PermissionDenied(str(refusal)) from None
    return locked, locked.status


def _apply(
    dossier: Dossier,
    action: str,
    *,
    actor,
    at: datetime,
    before: str,
    fields: tuple[str, ...] = (),
    note: str = "",
    data: dict | None = None,
    public: bool = True,
) -> DossierEvent:
    """The runner's second half, after `_begin` checked the action and the service made its own changes: the
    state the transitions table leads to, saved with the version bump, the dossier's event (timeline and
    audit) and the outbox row other apps react to, all in the caller's transaction. No service sets `status`."""
    transition = rules.DOSSIER[action]
    if before not in transition.sources:
        raise TransitionNotAllowed(_("Thao tác không hợp lệ ở trạng thái hiện tại."))
    dossier.status = transition.target_from(before)
    _save(dossier, *(("status",) if transition.target is not None else ()), *fields)
    event = _event(
        dossier, actor=actor, action=action, at=at, from_status=before, note=note, data=data, public=public
    )
    _emit(dossier, action, before=before, at=at)
    return event


def _emit(dossier: Dossier, action: str, *, before: str, at: datetime) -> None:
    """The outbox row of a dossier change (what letters, notices and the evaluation read model subscribe to)."""
    procedure = dossier.procedure
    outbox.emit(
        stream="dossier",
        aggregate_id=dossier.pk,
        action=action,
        at=at,
        payload={
            "code": dossier.code,
            "from_status": before,
            "status": dossier.status,
            "version": dossier.version,
            "procedure_code": procedure.code,
            "life_event": procedure.life_event,
            "receiving_unit_id": dossier.receiving_unit_id,
            "handling_unit_id": dossier.handling_unit_id,
            "timeliness": dossier.timeliness,
        },
    )


def _save(dossier: Dossier, *fields: str) -> None:
    dossier.version += 1
    dossier.save(update_fields=[*fields, "version", "updated_at"])
    if dossier.status in FINAL_STATUSES and not getattr(dossier, "_cqtt_was_final", True):
        _tally(dossier.handling_unit_id, dossier.status, dossier.timeliness)
        dossier._cqtt_was_final = True


def _tally(unit_id: int, status: str, timeliness: str) -> None:
    """Count one more finished dossier of the unit."""
    _increment(DossierTally, "count", unit_id=unit_id, status=status, timeliness=timeliness or "")


def dossier_tally_rebuild() -> int:
    """Recount the finished dossiers of every unit from the dossiers themselves (after a bulk load or a repair).
    Returns the number of rows written."""
    with transaction.atomic():
        DossierTally.objects.all().delete()
        rows = (
            Dossier.objects.filter(status__in=FINAL_STATUSES)
            .order_by()
            .values("handling_unit_id", "status", "timeliness")
            .annotate(n=Count("id"))
        )
        tallies = [
            DossierTally(
                unit_id=r["handling_unit_id"], status=r["status"], timeliness=r["timeliness"], count=r["n"]
            )
            for r in rows
        ]
        DossierTally.objects.bulk_create(tallies, batch_size=2000)
    return len(tallies)


def _open_step(
    dossier: Dossier,
    *,
    name: str,
    kind: str,
    from_unit: Unit,
    to_unit: Unit | int,
    actor,
    to_user=None,
    days: Decimal,
    at: datetime,
    note: str = "",
    after: DossierStep | None = None,
    completed: bool = False,
) -> DossierStep:
    """Close the current hand-over step and open the next (`to_unit`: a unit or its id). `after`: the current
    step is that one, opened (and completed) in this same call — no need to look for it. `completed`: the new
    step is passed on at once."""
    seq = after.seq + 1 if after is not None else _close_step(dossier, at=at) + 1
    cal, sched = _clock(dossier.handling_unit)
    due_at = rules.step_due_at(at, days, cal, sched)
    return DossierStep.objects.create(
        dossier=dossier,
        seq=seq,
        kind=kind,
        name=name,
        from_unit=from_unit,
        to_unit_id=to_unit if isinstance(to_unit, int) else to_unit.pk,
        handed_by=actor if getattr(actor, "is_authenticated", False) else None,
        to_user=to_user,
        started_at=at,
        allotted_days=days,
        due_at=due_at,
        completed_at=at if completed else None,
        timeliness=rules.step_timeliness(at, due_at) if completed else "",
        note=note,
    )


def _close_step(dossier: Dossier, *, at: datetime) -> int:
    """Complete the current hand-over step (consultations run beside it and are closed by their reply). Returns
    the highest step number so far. One read of the dossier's few steps serves both."""
    # tuples: of a dossier's few steps only the open one is written to
    steps = list(
        DossierStep.objects.filter(dossier_id=dossier.pk)
        .order_by("-seq")
        .values_list("id", "seq", "kind", "completed_at", "due_at")
    )
    for step_id, _seq, kind, completed_at, due_at in steps:
        if completed_at is None and kind != StepKind.CONSULTATION:
            DossierStep.objects.filter(pk=step_id).update(
                completed_at=at, timeliness=rules.step_timeliness(at, due_at)
            )
            break
    return steps[0][1] if steps else 0


def _finish(dossier: Dossier, at: datetime) -> None:
    dossier.finished_at = at
    if dossier.original_due_at:
        dossier.timeliness, dossier.stat_timeliness = rules.finish_timeliness(
            at,
            dossier.original_due_at,
            dossier.stat_due_at,
            dossier.supplement_count,
            compare=_conf("TIMELINESS_COMPARE"),
        )
    dossier.risk_at = None


def _start_clock(dossier: Dossier, at: datetime) -> None:
    """Receipt of a complete dossier: due date from the calendar, entry in the year's tracking book."""
    cal, sched = _clock(dossier.handling_unit)
    procedure = dossier.procedure
    result = wd.compute_due(at, procedure.duration_amount, procedure.duration_unit, cal, sched)
    dossier.received_at = at
    dossier.due_at = dossier.original_due_at = dossier.stat_due_at = result.due_at
    dossier.due_explanation = [item.as_dict() for item in result.explanation]
    local = timezone.localtime(at)
    dossier.book_year = local.year
    dossier.book_number = _next_number(
        YearlySequence, unit=dossier.receiving_unit, year=local.year, kind="book"
    )
    _refresh_risk(dossier, "counter")


# --- input checking ----------------------------------------------------------------------------------------


@dataclass
class ApplicantData:
    full_name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    commune: Unit | None = None
    kind: str = ApplicantKind.PERSON


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


# --- intake ------------------------------------------------------------------------------------------------


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
    _emit(dossier, action, before="", at=at)
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
    _apply(dossier, "request-intake-supplement", actor=actor, at=at, before=before, note="; ".join(items))
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
    )
    return dossier


# --- processing --------------------------------------------------------------------------------------------


def _plan_days(dossier: Dossier, role: str) -> Decimal:
    """Days a hand-over step gives `role` (`rules.handover_days`: the counter's are halved)."""
    return rules.handover_days(procedure_plan(dossier.procedure), role)


@transaction.atomic
def dossier_assign(
    *,
    actor: User,
    dossier: Dossier,
    assignee: User,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Dossier:
    at = at or timezone.now()
    dossier, before = _begin("assign", actor=actor, dossier=dossier, expected_version=expected_version)
    if Role.SPECIALIST not in user_roles_in(assignee, dossier.current_unit):
        raise ServiceError(
            {
                "assignee": [
                    _("%(u)s không phải chuyên viên của %(d)s.")
                    % {"u": assignee, "d": dossier.current_unit.full_name}
                ]
            }
        )
    _hand_to_specialist(dossier, assignee=assignee, actor=actor, at=at, before=before, note=note)
    return dossier


def _hand_to_specialist(
    dossier: Dossier,
    *,
    assignee: User,
    actor,
    at: datetime,
    before: str,
    note: str = "",
    department: Unit | None = None,
    auto: bool = False,
) -> None:
    """Hand-over steps, status and event of an assignment (manual or automatic)."""
    handed = None
    if before == Status.RECEIVED:
        handed = _open_step(
            dossier,
            name=_("Bộ phận Một cửa chuyển hồ sơ"),
            kind=StepKind.HANDOVER,
            from_unit=dossier.receiving_unit,
            to_unit=department or dossier.current_unit,
            actor=actor,
            days=_plan_days(dossier, "counter"),
            at=at,
            completed=True,  # the specialist's step below takes over at the same moment
        )
    if department is not None:
        dossier.current_unit = department
    _open_step(
        dossier,
        name=_("Chuyên viên thụ lý: %(u)s") % {"u": assignee},
        kind=StepKind.HANDOVER,
        from_unit=dossier.current_unit,
        to_unit=assignee.unit_id or dossier.current_unit,  # the account's unit by id: it is not read
        actor=actor,
        to_user=assignee,
        days=_plan_days(dossier, "specialist"),
        at=at,
        note=nfc(note),
        after=handed,
    )
    dossier.assignee = assignee
    _refresh_risk(dossier, "specialist")
    _apply(
        dossier,
        "assign",
        actor=actor,
        at=at,
        before=before,
        fields=("assignee", "current_unit", "risk_at"),
        note=nfc(note),
        data={"assignee": assignee.username, "automatic": auto},
        public=False,
    )


def _rule(unit_id: int, procedure_code: str, field_code):
    """The receiving unit's active rule for the procedure, or else for its whole field (`field_code`: its code,
    or a query of it), with its department and specialist; None when there is none. Looked for by id first: most
    intakes match no rule, and a read without the two joins costs the ORM a fraction of one with them."""
    from .models import AssignmentRule

    field = Q(field_code=field_code) if isinstance(field_code, str) else Q(field_code__in=field_code)
    found = list(
        AssignmentRule.objects.filter(unit_id=unit_id, is_active=True)
        .filter(Q(procedure_code=procedure_code) | (Q(procedure_code="") & field))
        # a rule for the procedure itself wins over one for its whole field
        .order_by("-procedure_code", "id")
        .values_list("pk", flat=True)[:1]
    )
    if not found:
        return None
    matched = list(AssignmentRule.objects.filter(pk=found[0]).select_related("department", "specialist"))
    return matched[0] if matched else None  # None too when deleted in between


def _auto_assign(dossier: Dossier, *, at: datetime, field_code: str | None = None) -> None:
    """Apply the receiving unit's assignment rule, if one matches the procedure (or its field). `field_code`:
    the procedure's field's code when the caller has read it (else the rule's query reads it)."""
    procedure = dossier.procedure
    rule = _rule(
        unit_id=dossier.receiving_unit_id,
        procedure_code=procedure.code,
        field_code=field_code
        if field_code is not None
        else ProcedureField.objects.filter(pk=procedure.field_id or 0).values("code"),
    )
    if rule is None:
        return
    assignee = rule.specialist
    if assignee is None:
        from cqtt.accounts.models import RoleAssignment

        ids = RoleAssignment.objects.filter(role=Role.SPECIALIST, unit=rule.department).values("user_id")
        assignee = (
            User.objects.filter(
                Q(pk__in=ids) | Q(unit=rule.department, roles__role=Role.SPECIALIST), is_active=True
            )
            .annotate(load=Count("dossiers_assigned", filter=Q(dossiers_assigned__finished_at__isnull=True)))
            .order_by("load", "username")
            .first()
        )
    if assignee is None or Role.SPECIALIST not in user_roles_in(assignee, rule.department):
        return  # nobody to give it to: it waits in the leader's "unassigned" list
    _hand_to_specialist(
        dossier,
        assignee=assignee,
        actor=None,
        at=at,
        before=dossier.status,
        department=rule.department,
        auto=True,
        note=_("Phân công tự động theo quy tắc của đơn vị"),
    )


@transaction.atomic
def dossier_request_supplement(
    *,
    actor: User,
    dossier: Dossier,
    items: list[str],
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> tuple[Dossier, SupplementRequest]:
    """During appraisal: pause the clock and ask for everything missing at once (Mẫu 02). Returns the request;
    `late_warning` is set when it comes more than 3 working days after receipt."""
    at = at or timezone.now()
    items = [nfc(i) for i in items if nfc(i)]
    errors = {}
    if not items:
        errors["items"] = [_("Liệt kê đầy đủ, một lần các nội dung cần bổ sung.")]
    if not nfc(reason):
        errors["reason"] = [_("Nêu lý do yêu cầu bổ sung.")]
    if errors:
        raise ServiceError(errors)
    dossier, before = _begin(
        "request-supplement", actor=actor, dossier=dossier, expected_version=expected_version
    )
    cal, _sched = _clock(dossier.handling_unit)
    limit = cal.add_working_days(
        timezone.localtime(dossier.received_at).date(), _conf("SUPPLEMENT_WARNING_DAYS")
    )
    request = SupplementRequest.objects.create(
        number=_slip_number(dossier, "supplement", at),
        dossier=dossier,
        stage=PauseStage.APPRAISAL,
        items=items,
        reason=nfc(reason),
        requested_at=at,
        requested_by=actor,
        late_warning=timezone.localtime(at).date() > limit,
    )
    dossier.supplement_count += 1
    dossier.risk_at = None
    _apply(
        dossier,
        "request-supplement",
        actor=actor,
        at=at,
        before=before,
        fields=("supplement_count", "risk_at"),
        note="; ".join(items),
        data={"reason": nfc(reason), "late_warning": request.late_warning},
    )
    return dossier, request


@transaction.atomic
def dossier_receive_supplement(
    *, actor: User, dossier: Dossier, expected_version: int | None = None, at: datetime | None = None
) -> Dossier:
    """The citizen supplied: the legal period restarts from zero (ND 61/2018 Art. 19(4)); the statistic's due
    date moves by the paused office time instead."""
    at = at or timezone.now()
    dossier, before = _begin(
        "receive-supplement", actor=actor, dossier=dossier, expected_version=expected_version
    )
    pause = (
        dossier.supplements.filter(stage=PauseStage.APPRAISAL, resolved_at__isnull=True)
        .order_by("-requested_at")
        .first()
    )
    cal, sched = _clock(dossier.handling_unit)
    procedure = dossier.procedure
    result = wd.compute_due(at, procedure.duration_amount, procedure.duration_unit, cal, sched)
    if pause is not None:
        pause.resolved_at, pause.resolved_by = at, actor
        pause.save(update_fields=["resolved_at", "resolved_by"])
        dossier.stat_due_at = rules.statistic_due_after_pause(
            dossier.stat_due_at or dossier.original_due_at, pause.requested_at, at, cal, sched
        )
    dossier.due_at = dossier.original_due_at = result.due_at
    dossier.due_explanation = [item.as_dict() for item in result.explanation]
    dossier.extended_at = None  # a restarted period has its own (single) extension
    _refresh_risk(dossier, "specialist")
    _apply(
        dossier,
        "receive-supplement",
        actor=actor,
        at=at,
        before=before,
        fields=("due_at", "original_due_at", "stat_due_at", "due_explanation", "extended_at", "risk_at"),
        data={"due_at": result.due_at.isoformat()},
    )
    return dossier


@transaction.atomic
def dossier_transfer(
    *,
    actor: User,
    dossier: Dossier,
    unit: Unit,
    note: str = "",
    days: Decimal | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Dossier:
    """Hand the dossier to another department or unit (liên thông) with its own deadline."""
    at = at or timezone.now()
    dossier, before = _begin("transfer", actor=actor, dossier=dossier, expected_version=expected_version)
    if unit.pk == dossier.current_unit_id:
        raise ServiceError({"unit_code": [_("Hồ sơ đang ở chính đơn vị này.")]})
    days = days if days is not None else _plan_days(dossier, "specialist")
    if days <= 0:
        raise ServiceError({"days": [_("Thời hạn của bước chuyển phải lớn hơn 0.")]})
    step = _open_step(
        dossier,
        name=_("Chuyển liên thông đến %(u)s") % {"u": unit.full_name},
        kind=StepKind.TRANSFER,
        from_unit=dossier.current_unit,
        to_unit=unit,
        actor=actor,
        days=days,
        at=at,
        note=nfc(note),
    )
    dossier.current_unit = unit
    _apply(
        dossier,
        "transfer",
        actor=actor,
        at=at,
        before=before,
        fields=("current_unit",),
        note=nfc(note),
        data={"unit": unit.code, "step_due_at": step.due_at.isoformat()},
    )
    return dossier


@transaction.atomic
def dossier_consult(
    *,
    actor: User,
    dossier: Dossier,
    unit: Unit,
    question: str,
    days: Decimal | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> DossierStep:
    """Ask another body for its opinion (ND 61/2018 Art. 19(5)) with a deadline; the dossier stays where it is."""
    at = at or timezone.now()
    question = nfc(question)
    errors = {}
    if not question:
        errors["question"] = [_("Nêu nội dung cần lấy ý kiến.")]
    days = Decimal(days) if days is not None else Decimal(2)
    if days <= 0:
        errors["days"] = [_("Thời hạn trả lời phải lớn hơn 0.")]
    if errors:
        raise ServiceError(errors)
    dossier, before = _begin("consult", actor=actor, dossier=dossier, expected_version=expected_version)
    cal, sched = _clock(dossier.handling_unit)
    seq = (dossier.steps.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    step = DossierStep.objects.create(
        dossier=dossier,
        seq=seq,
        kind=StepKind.CONSULTATION,
        name=_("Lấy ý kiến %(u)s") % {"u": unit.full_name},
        from_unit=dossier.current_unit,
        to_unit=unit,
        handed_by=actor,
        started_at=at,
        allotted_days=days,
        due_at=wd.add_office_seconds(at, int(days * sched.capacity), cal, sched),
        note=question[:500],
    )
    _apply(
        dossier,
        "consult",
        actor=actor,
        at=at,
        before=before,
        note=question,
        data={"unit": unit.code, "step": step.seq, "due_at": step.due_at.isoformat()},
        public=False,
    )
    return step


@transaction.atomic
def dossier_consultation_reply(
    *, actor: User, dossier: Dossier, step_seq: int, answer: str, at: datetime | None = None
) -> DossierStep:
    """Record the consulted body's answer: by a user of that body, or by the dossier's specialist or leader."""
    at = at or timezone.now()
    answer = nfc(answer)
    if not answer:
        raise ServiceError({"answer": [_("Ghi nội dung ý kiến trả lời.")]})
    dossier = _lock(dossier, None)
    step = dossier.steps.filter(seq=step_seq, kind=StepKind.CONSULTATION).select_related("to_unit").first()
    if step is None:
        raise ServiceError({"step": [_("Không có bước lấy ý kiến số %(n)s.") % {"n": step_seq}]})
    step.dossier = dossier
    if step.completed_at is not None:
        raise TransitionNotAllowed(_("Bước lấy ý kiến này đã có trả lời."))
    allowed = (user_roles_in(actor, step.to_unit) - {Role.OBSERVER}) or (
        _roles(actor, dossier) & {Role.SPECIALIST, Role.LEADER}
    )
    if not allowed:
        raise PermissionDenied(_("Bạn không thuộc cơ quan được lấy ý kiến, cũng không thụ lý hồ sơ này."))
    step.completed_at = at
    step.timeliness = rules.classify(at, step.due_at, compare="datetime")
    step.note = (step.note + " — " + _("Trả lời: %(a)s") % {"a": answer})[:500]
    step.save(update_fields=["completed_at", "timeliness", "note"])
    _apply(
        dossier,
        "consultation-reply",
        actor=actor,
        at=at,
        before=dossier.status,
        note=answer,
        data={"step": step.seq, "timeliness": step.timeliness},
        public=False,
    )
    return step


@transaction.atomic
def dossier_submit(
    *,
    actor: User,
    dossier: Dossier,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Dossier:
    at = at or timezone.now()
    dossier, before = _begin("submit", actor=actor, dossier=dossier, expected_version=expected_version)
    _open_step(
        dossier,
        name=_("Trình lãnh đạo phê duyệt"),
        kind=StepKind.HANDOVER,
        from_unit=dossier.current_unit,
        to_unit=dossier.handling_unit,
        actor=actor,
        days=_plan_days(dossier, "leader"),
        at=at,
        note=nfc(note),
    )
    _refresh_risk(dossier, "leader")
    _apply(
        dossier,
        "submit",
        actor=actor,
        at=at,
        before=before,
        fields=("risk_at",),
        note=nfc(note),
        public=False,
    )
    return dossier


@transaction.atomic
def dossier_approve(
    *,
    actor: User,
    dossier: Dossier,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Dossier:
    at = at or timezone.now()
    dossier, before = _begin("approve", actor=actor, dossier=dossier, expected_version=expected_version)
    _open_step(
        dossier,
        name=_("Hoàn thiện kết quả sau phê duyệt"),
        kind=StepKind.HANDOVER,
        from_unit=dossier.handling_unit,
        to_unit=dossier.current_unit,
        actor=actor,
        days=_plan_days(dossier, "counter"),
        at=at,
        note=nfc(note),
    )
    _refresh_risk(dossier, "leader")
    _apply(dossier, "approve", actor=actor, at=at, before=before, fields=("risk_at",), note=nfc(note))
    return dossier


@transaction.atomic
def dossier_refuse(
    *,
    actor: User,
    dossier: Dossier,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Dossier:
    """Refusal after appraisal, with the legal reason; counts as finished for timeliness."""
    at = at or timezone.now()
    reason = nfc(reason)
    if not reason:
        raise ServiceError({"reason": [_("Nêu rõ lý do từ chối giải quyết.")]})
    dossier, before = _begin("refuse", actor=actor, dossier=dossier, expected_version=expected_version)
    _close_step(dossier, at=at)
    dossier.refusal_reason = reason
    dossier.refusal_number = _slip_number(dossier, "refusal", at)
    _finish(dossier, at)
    _apply(
        dossier,
        "refuse",
        actor=actor,
        at=at,
        before=before,
        fields=(
            "refusal_reason",
            "refusal_number",
            "finished_at",
            "timeliness",
            "stat_timeliness",
            "risk_at",
        ),
        note=reason,
    )
    return dossier


@transaction.atomic
def dossier_mark_ready(
    *, actor: User, dossier: Dossier, expected_version: int | None = None, at: datetime | None = None
) -> Dossier:
    """The result is ready at the one-stop ("Đã xử lý xong"): timeliness is decided here."""
    at = at or timezone.now()
    dossier, before = _begin("mark-ready", actor=actor, dossier=dossier, expected_version=expected_version)
    _open_step(
        dossier,
        name=_("Chuyển kết quả về Bộ phận Một cửa"),
        kind=StepKind.HANDOVER,
        from_unit=dossier.current_unit,
        to_unit=dossier.receiving_unit,
        actor=actor,
        days=_plan_days(dossier, "counter"),
        at=at,
    )
    dossier.current_unit = dossier.receiving_unit
    _finish(dossier, at)
    _apply(
        dossier,
        "mark-ready",
        actor=actor,
        at=at,
        before=before,
        fields=("current_unit", "finished_at", "timeliness", "stat_timeliness", "risk_at"),
    )
    return dossier


@transaction.atomic
def dossier_return_result(
    *,
    actor: User,
    dossier: Dossier,
    collected_by: str,
    id_checked: bool = True,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Dossier:
    at = at or timezone.now()
    collected_by = nfc(collected_by)
    if not collected_by:
        raise ServiceError({"collected_by": [_("Ghi họ tên người nhận kết quả.")]})
    dossier, before = _begin("return-result", actor=actor, dossier=dossier, expected_version=expected_version)
    _close_step(dossier, at=at)
    dossier.returned_at = at
    dossier.collected_by = collected_by
    _apply(
        dossier,
        "return-result",
        actor=actor,
        at=at,
        before=before,
        fields=("returned_at", "collected_by"),
        note=nfc(note),
        data={"collected_by": collected_by, "id_checked": bool(id_checked)},
    )
    return dossier


@transaction.atomic
def dossier_return_same_day(
    *,
    actor: User,
    dossier: Dossier,
    collected_by: str,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Dossier:
    """A same-day procedure handled at the counter in one sitting: the result is made, signed by the competent
    officer and handed over at once (the counter officer records it)."""
    at = at or timezone.now()
    collected_by = nfc(collected_by)
    if not collected_by:
        raise ServiceError({"collected_by": [_("Ghi họ tên người nhận kết quả.")]})
    dossier, before = _begin(
        "return-same-day", actor=actor, dossier=dossier, expected_version=expected_version
    )
    if dossier.procedure.duration_unit != "same_day":
        raise TransitionNotAllowed(_("Chỉ thủ tục giải quyết trong ngày mới được trả ngay tại quầy."))
    _open_step(
        dossier,
        name=_("Giải quyết và trả ngay tại Bộ phận Một cửa"),
        kind=StepKind.HANDOVER,
        from_unit=dossier.receiving_unit,
        to_unit=dossier.receiving_unit,
        actor=actor,
        days=Decimal("0.25"),
        at=dossier.received_at or at,
        note=nfc(note),
    )
    _close_step(dossier, at=at)
    dossier.returned_at = at
    dossier.collected_by = collected_by
    _finish(dossier, at)
    _apply(
        dossier,
        "return-same-day",
        actor=actor,
        at=at,
        before=before,
        fields=("returned_at", "collected_by", "finished_at", "timeliness", "stat_timeliness", "risk_at"),
        note=nfc(note),
        data={"collected_by": collected_by},
    )
    return dossier


@transaction.atomic
def dossier_withdraw(
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
        raise ServiceError({"reason": [_("Ghi lý do công dân rút hồ sơ (theo đơn đề nghị).")]})
    dossier, before = _begin("withdraw", actor=actor, dossier=dossier, expected_version=expected_version)
    _close_step(dossier, at=at)
    dossier.withdrawal_reason = reason
    dossier.finished_at = at
    dossier.risk_at = None
    _apply(
        dossier,
        "withdraw",
        actor=actor,
        at=at,
        before=before,
        fields=("withdrawal_reason", "finished_at", "risk_at"),
        note=reason,
    )
    return dossier


@transaction.atomic
def dossier_extend(
    *,
    actor: User,
    dossier: Dossier,
    reason: str,
    new_due_at: datetime,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Dossier:
    """Re-set the appointment once (ND 61/2018 Art. 19(9)); the original due date stays for reporting."""
    at = at or timezone.now()
    reason = nfc(reason)
    errors = {}
    if not reason:
        errors["reason"] = [_("Nêu lý do chậm trễ để gửi thư xin lỗi.")]
    if new_due_at is None or timezone.is_naive(new_due_at):
        errors["new_due_at"] = [_("Ngày hẹn mới phải có ngày, giờ và múi giờ.")]
    if errors:
        raise ServiceError(errors)
    dossier, before = _begin("extend", actor=actor, dossier=dossier, expected_version=expected_version)
    if dossier.extended_at is not None:
        raise TransitionNotAllowed(
            _("Hồ sơ đã được hẹn lại một lần; pháp luật chỉ cho phép hẹn lại một lần.")
        )
    if new_due_at <= (dossier.due_at or at):
        raise ServiceError({"new_due_at": [_("Ngày hẹn mới phải sau ngày hẹn hiện tại.")]})
    cal, _sched = _clock(dossier.handling_unit)
    if not cal.is_working_day(timezone.localtime(new_due_at).date()):
        raise ServiceError({"new_due_at": [_("Ngày hẹn mới phải là ngày làm việc.")]})
    old_due = dossier.due_at
    dossier.due_at = new_due_at
    dossier.extended_at = at
    dossier.extension_reason = reason
    _refresh_risk(dossier, "specialist" if dossier.status == Status.IN_PROGRESS else "leader")
    late_request = (
        timezone.localtime(at).date() >= cal.add_working_days(timezone.localtime(old_due).date(), -1)
        if old_due
        else False
    )
    _apply(
        dossier,
        "extend",
        actor=actor,
        at=at,
        before=before,
        fields=("due_at", "extended_at", "extension_reason", "risk_at"),
        note=reason,
        data={
            "old_due_at": old_due.isoformat() if old_due else None,
            "new_due_at": new_due_at.isoformat(),
            "later_than_one_day_before": late_request,
        },
    )
    return dossier


def assignment_rule_problems(*, rule) -> dict[str, list[str]]:
    """Field-by-field reasons a rule cannot be saved (NFC-normalises its codes)."""
    rule.procedure_code = nfc(rule.procedure_code)
    rule.field_code = nfc(rule.field_code)
    errors: dict[str, list[str]] = {}
    if not rule.procedure_code and not rule.field_code:
        errors["procedure_code"] = [_("Nhập mã thủ tục hoặc mã lĩnh vực.")]
    if rule.department_id and rule.unit_id and not rule.department.path.startswith(rule.unit.path):
        errors["department"] = [_("Phòng, ban thụ lý phải thuộc đơn vị tiếp nhận.")]
    if (
        rule.specialist_id
        and rule.department_id
        and Role.SPECIALIST not in user_roles_in(rule.specialist, rule.department)
    ):
        errors["specialist"] = [_("Cán bộ này không phải chuyên viên của phòng, ban đã chọn.")]
    return errors


@transaction.atomic
def assignment_rule_save(*, rule, actor: Any = None):
    """Create or change an automatic-assignment rule; the department must belong to the receiving unit."""
    from cqtt.core.audit import audit_changes, audit_record, audit_snapshot

    require_admin_of(actor, rule.unit)
    errors = assignment_rule_problems(rule=rule)
    if errors:
        raise ServiceError(errors)
    creating = rule.pk is None
    before = audit_snapshot(rule)
    rule.save()
    audit_record(
        actor=actor,
        action="assignment_rule.created" if creating else "assignment_rule.updated",
        obj=rule,
        unit_code=rule.unit.code,
        summary=str(rule),
        changes=audit_changes(rule, before),
    )
    return rule


# --- one dispatch for every interface (pages, API) -----------------------------------------------------------


def _consultation_reply_action(*, actor, dossier, expected_version=None, **data):
    # an answer does not race with the dossier's own transitions: no version check
    return dossier_consultation_reply(actor=actor, dossier=dossier, **data)


ACTION_SERVICES: dict[str, Callable[..., Any]] = {
    "receive": dossier_receive,
    "request-intake-supplement": dossier_request_intake_supplement,
    "refuse-intake": dossier_refuse_intake,
    "assign": dossier_assign,
    "request-supplement": dossier_request_supplement,
    "receive-supplement": dossier_receive_supplement,
    "transfer": dossier_transfer,
    "consult": dossier_consult,
    "consultation-reply": _consultation_reply_action,
    "submit": dossier_submit,
    "approve": dossier_approve,
    "refuse": dossier_refuse,
    "mark-ready": dossier_mark_ready,
    "return-result": dossier_return_result,
    "return-same-day": dossier_return_same_day,
    "withdraw": dossier_withdraw,
    "extend": dossier_extend,
}
assert set(ACTION_SERVICES) == set(rules.TRANSITIONS), "every action of the table has its service"


def dossier_act(
    action: str,
    *,
    actor: User,
    dossier: Dossier | DossierReference,
    expected_version: int | None = None,
    **data: Any,
) -> Dossier:
    """Run the transition `action` with the service's own arguments (`data`); returns the updated dossier.
    The counter pages and the API call this one dispatch."""
    service = ACTION_SERVICES.get(action)
    if service is None:
        raise TransitionNotAllowed(_("Thao tác không tồn tại."))
    result = service(actor=actor, dossier=dossier, expected_version=expected_version, **data)
    if isinstance(result, tuple):  # (dossier, supplement request)
        result = result[0]
    if isinstance(result, DossierStep) or not isinstance(result, Dossier):  # a step, or a consultation result
        result = result.dossier
    return result
