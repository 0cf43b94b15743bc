"""The result: ready, returned (also the same-day return at the counter), withdrawal, the one extension."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.models import User
from cqtt.core.errors import ServiceError, TransitionNotAllowed
from cqtt.core.text import nfc

from ..models import (
    Dossier,
    Status,
    StepKind,
)
from .engine import _apply, _begin, _clock, _close_step, _finish, _open_step, _plan_days, _refresh_risk


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
    life_event_letter: bool = True,
    letter_reason: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Dossier:
    """The citizen collects the result. For a birth, marriage or death registration the officer may say that no
    congratulation or condolence letter should go (a stillbirth, a re-registration…), with the reason; the
    event carries it to whoever drafts such letters."""
    at = at or timezone.now()
    collected_by = nfc(collected_by)
    letter_reason = nfc(letter_reason).strip()
    errors = {}
    if not collected_by:
        errors["collected_by"] = [_("Ghi họ tên người nhận kết quả.")]
    if not life_event_letter and not letter_reason:
        errors["letter_reason"] = [_("Ghi lý do không gửi thư chúc mừng hoặc chia buồn.")]
    if errors:
        raise ServiceError(errors)
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
        data={
            "collected_by": collected_by,
            "id_checked": bool(id_checked),
            **(
                {}
                if life_event_letter
                else {"life_event_letter": False, "letter_reason": letter_reason[:300]}
            ),
        },
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
    if not cal.covers(timezone.localtime(new_due_at).date()):
        raise ServiceError({"new_due_at": [_("Ngày hẹn mới quá xa: lịch làm việc chưa có năm đó.")]})
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
            "reason": reason,
            "old_due_at": old_due.isoformat() if old_due else None,
            "new_due_at": new_due_at.isoformat(),
            "later_than_one_day_before": late_request,
        },
    )
    return dossier
