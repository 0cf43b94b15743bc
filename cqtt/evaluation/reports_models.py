"""The province's and units' periodic reports (issue 15, "reports" part; ADR 0024): a request stored as a row,
built by a background task that records its progress, the xlsx and the PDF kept on the row. Imported at the end
of `models.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.units.models import Unit

__all__ = ["ReportKind", "ReportStatus", "Report"]


class ReportKind(models.TextChoices):
    ONE_STOP = "one_stop", _("Báo cáo tình hình, kết quả thực hiện cơ chế một cửa (TT 01/2018, Điều 11)")
    MODEL_REVIEW = "model_review", _("Báo cáo sơ kết, tổng kết mô hình chính quyền thân thiện")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ lập")
    RUNNING = "running", _("Đang lập")
    DONE = "done", _("Đã lập xong")
    FAILED = "failed", _("Lập không thành công")


class Report(models.Model):
    """One report of one unit (a commune, or a province with all its communes) for one period."""

    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=ReportKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("kỳ báo cáo"), max_length=16)
    proposals = models.TextField(_("kiến nghị, đề xuất"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("phần đã lập"), default=0)
    total = models.PositiveIntegerField(_("tổng số phần"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"))
    started_at = models.DateTimeField(_("thời điểm bắt đầu lập"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm lập xong"), null=True, blank=True)
    # last sign of life of the request or its build (asked, claimed, each step): a report with none for a while
    # was lost (its enqueue or its worker) and may be asked again
    heartbeat_at = models.DateTimeField(_("lần cập nhật tiến độ gần nhất"), null=True, blank=True)
    xlsx = models.BinaryField(_("tệp Excel"), null=True, editable=False)
    pdf = models.BinaryField(_("tệp PDF"), null=True, editable=False)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        indexes = [models.Index(fields=["unit", "-requested_at"], name="evaluation_report_unit_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"

    @property
    def percent(self) -> int:
        if self.status == ReportStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
