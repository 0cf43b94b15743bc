"""Processing: assignment, supplements, transfer between units, consultation, submission, approval and refusal."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import user_roles_in
from cqtt.core.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.text import nfc
from cqtt.units.models import Unit
from cqtt.workdays import rules as wd

from .. import rules
from ..models import (
    Dossier,
    DossierStep,
    PauseStage,
    StepKind,
    SupplementRequest,
)
from .engine import (
    _add_step,
    _apply,
    _begin,
    _clock,
    _close_step,
    _conf,
    _finish,
    _hand_to_specialist,
    _lock,
    _open_step,
    _plan_days,
    _refresh_risk,
    _roles,
    _slip_number,
)


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
        data={"reason": nfc(reason), "items": items, "late_warning": request.late_warning},
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
    step = _add_step(
        dossier,
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
        data={"reason": reason},
    )
    return dossier
