"""Writes of the reports: a request (stored, audited, its build enqueued in the same transaction) and the build
that the task runs (claimed once, progress recorded as it goes, the outputs stored, audited). ADR 0024."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import user_roles_in
from cqtt.core.audit import audit_record
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError
from cqtt.core.text import nfc_text
from cqtt.units.models import Unit, UnitLevel

from . import indices, reports_content
from .reports_models import Report, ReportKind, ReportStatus

log = logging.getLogger(__name__)

# Who may ask for a report of a unit (the observer reads them; it does not ask).
REQUEST_ROLES = frozenset({Role.PROVINCIAL_SUPERVISOR, Role.LEADER, Role.SPECIALIST})
# A report queued or building with no sign of life for this long was lost (its enqueue or its worker died): it
# may be claimed by another worker, and asked again from its page. One step of a build takes seconds.
STALE_AFTER = dt.timedelta(minutes=10)
PROPOSALS_MAX = 5000


def _audit(actor, action: str, report: Report, summary: str, data: dict | None = None) -> None:
    audit_record(
        actor=actor,
        action=f"evaluation.report_{action}",
        obj=report,
        unit_code=report.unit.code,
        summary=summary,
        data={"kind": report.kind, "period": report.period, **(data or {})},
    )


def _check_period(kind: str, text: str) -> indices.Period:
    text = (text or "").strip()
    try:
        period = indices.parse_period(text)
    except indices.PeriodError:
        raise ServiceError(
            {"period": _("Kỳ báo cáo không hợp lệ: dùng YYYY-Qn (quý), YYYY (năm) hoặc YYYY-MM (tháng).")}
        ) from None
    if kind == ReportKind.ONE_STOP and "-" in period.label and "Q" not in period.label:
        raise ServiceError(
            {
                "period": _(
                    "Báo cáo một cửa theo Điều 11 Thông tư 01/2018 lập theo quý hoặc năm: dùng YYYY-Qn hoặc YYYY."
                )
            }
        )
    if period.start > timezone.localdate():
        raise ServiceError({"period": _("Kỳ báo cáo chưa bắt đầu.")})
    return period


def report_request(*, actor, kind: str, unit_code: str, period: str, proposals: str = "") -> Report:
    """Store the request and enqueue its build when the transaction commits."""
    unit = Unit.objects.filter(code=(unit_code or "").strip()[:32]).first()
    if unit is None or not (user_roles_in(actor, unit) & (REQUEST_ROLES | {Role.OBSERVER})):
        raise NotInScope("unit")
    if not user_roles_in(actor, unit) & REQUEST_ROLES:
        raise PermissionDenied(_("Vai trò của bạn chỉ được xem báo cáo, không được yêu cầu lập báo cáo."))
    errors = {}
    if unit.level not in (UnitLevel.PROVINCE, UnitLevel.COMMUNE):
        errors["unit"] = _("Báo cáo lập cho một tỉnh, thành phố hoặc một xã, phường.")
    if kind not in ReportKind.values:
        errors["kind"] = _("Chọn loại báo cáo.")
    proposals = nfc_text(proposals or "").strip()
    if len(proposals) > PROPOSALS_MAX:
        errors["proposals"] = _("Kiến nghị, đề xuất dài quá %(n)s ký tự.") % {"n": PROPOSALS_MAX}
    if errors:
        raise ServiceError(errors)
    label = _check_period(kind, period).label
    with transaction.atomic():
        report = Report.objects.create(
            kind=kind,
            unit=unit,
            period=label,
            proposals=proposals,
            requested_by=actor,
            requested_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        _audit(
            actor,
            "request",
            report,
            _("Yêu cầu lập %(k)s kỳ %(p)s") % {"k": report.get_kind_display(), "p": label},
        )
        _enqueue(report.pk)
    return report


def _lost(now) -> Q:
    return Q(status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING], heartbeat_at__lt=now - STALE_AFTER)


def may_retry(report: Report) -> bool:
    """A failed build, or one lost on its way (queued or building with no sign of life for STALE_AFTER)."""
    if report.status == ReportStatus.FAILED:
        return True
    beat = report.heartbeat_at
    return report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING) and (
        beat is None or beat < timezone.now() - STALE_AFTER
    )


def report_retry(*, actor, report: Report) -> Report:
    """Ask again for a build that failed or was lost."""
    if not user_roles_in(actor, report.unit) & REQUEST_ROLES:
        raise PermissionDenied(_("Vai trò của bạn chỉ được xem báo cáo, không được yêu cầu lập báo cáo."))
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if not may_retry(locked):
            raise ServiceError({"status": _("Báo cáo đang được lập hoặc đã lập xong.")})
        Report.objects.filter(pk=locked.pk).update(
            status=ReportStatus.QUEUED, done=0, error="", heartbeat_at=timezone.now()
        )
        _audit(actor, "retry", locked, _("Yêu cầu lập lại báo cáo"))
        _enqueue(locked.pk)
    locked.refresh_from_db()
    return locked


def _enqueue(report_id: int) -> None:
    from .tasks import report_build_task

    transaction.on_commit(lambda: report_build_task.enqueue(report_id), robust=True)


def report_build(*, report_id: int) -> bool:
    """Build one report (the task's body). Claimed by one conditional update that stamps the claim's time, so a
    second delivery of the task, or a second worker, does nothing while the first shows signs of life; each step
    and the result are written only under that claim, so a worker that was taken for lost and comes back later
    changes nothing. Returns whether this call built it."""
    claim = timezone.now()
    if not Report.objects.filter(Q(status=ReportStatus.QUEUED) | _lost(claim), pk=report_id).update(
        status=ReportStatus.RUNNING, started_at=claim, heartbeat_at=claim, done=0, error=""
    ):
        return False
    mine = Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING, started_at=claim)
    report = Report.objects.select_related("unit", "requested_by").defer("xlsx", "pdf").get(pk=report_id)

    def progress(done: int, total: int) -> None:
        mine.update(done=done, total=total, heartbeat_at=timezone.now())

    try:
        content = reports_content.report_content(report, progress)
        xlsx, pdf = reports_content.report_outputs(content, progress)
    except Exception as exc:  # the row carries the failure; the page offers to ask again
        log.exception("report %s failed", report_id)
        with transaction.atomic():
            if mine.update(
                status=ReportStatus.FAILED,
                error=f"{type(exc).__name__}: {exc}"[:2000],
                finished_at=timezone.now(),
            ):
                _audit(
                    None, "failed", report, _("Lập báo cáo không thành công"), {"error": type(exc).__name__}
                )
        return False
    with transaction.atomic():
        total = content["steps"][1]
        if not mine.update(
            status=ReportStatus.DONE, xlsx=xlsx, pdf=pdf, done=total, total=total, finished_at=timezone.now()
        ):
            return False  # taken over while this worker was away: the other one's result stands
        _audit(
            None, "done", report, _("Đã lập xong báo cáo"), {"xlsx_bytes": len(xlsx), "pdf_bytes": len(pdf)}
        )
    return True
