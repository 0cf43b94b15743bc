from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.units.models import Unit


def _setting_time(key: str, index: int | None = None) -> time:
    value = settings.WORKDAYS[key]
    hours, minutes = (value[index] if index is not None else value).split(":")
    return time(int(hours), int(minutes))


def default_morning_start() -> time:
    return _setting_time("MORNING", 0)


def default_morning_end() -> time:
    return _setting_time("MORNING", 1)


def default_afternoon_start() -> time:
    return _setting_time("AFTERNOON", 0)


def default_afternoon_end() -> time:
    return _setting_time("AFTERNOON", 1)


def default_cutoff() -> time:
    return _setting_time("CUTOFF")


class OverrideKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày nghỉ")
    WORKDAY = "workday", _("Ngày làm việc")


class CalendarOverride(TimeStampedModel):
    """A day the government's yearly decision sets differently from the `holidays` library: an extra day off or
    a swapped working day. National when `province` is empty; otherwise only for units of that province."""

    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=16, choices=OverrideKind.choices)
    province = models.ForeignKey(
        Unit,
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": "province"},
        related_name="calendar_overrides",
        help_text=_("Để trống nếu áp dụng toàn quốc."),
    )
    name = models.CharField(
        _("tên ngày"), max_length=200, help_text=_("Hiển thị trong phần giải thích ngày hẹn.")
    )
    reference = models.CharField(_("văn bản căn cứ"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("ngày điều chỉnh lịch")
        verbose_name_plural = _("ngày điều chỉnh lịch")
        ordering = ["date", "province__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "province"],
                name="workday_override_unique_province",
                violation_error_message=_("Đã có ngày điều chỉnh cho ngày này ở tỉnh này."),
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(province__isnull=True),
                name="workday_override_unique_national",
                violation_error_message=_("Đã có ngày điều chỉnh toàn quốc cho ngày này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"


class WorkSchedule(TimeStampedModel):
    """Office hours and intake cut-off of one unit; units without one use settings.WORKDAYS."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="work_schedule"
    )
    morning_start = models.TimeField(_("bắt đầu buổi sáng"), default=default_morning_start)
    morning_end = models.TimeField(_("kết thúc buổi sáng"), default=default_morning_end)
    afternoon_start = models.TimeField(_("bắt đầu buổi chiều"), default=default_afternoon_start)
    afternoon_end = models.TimeField(_("kết thúc buổi chiều"), default=default_afternoon_end)
    cutoff = models.TimeField(
        _("giờ tiếp nhận cuối"),
        default=default_cutoff,
        help_text=_(
            "Hồ sơ nhận sau giờ này được tính như nhận vào ngày làm việc tiếp theo (trả trong ngày)."
        ),
    )

    class Meta:
        verbose_name = _("giờ làm việc của đơn vị")
        verbose_name_plural = _("giờ làm việc của đơn vị")
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return str(self.unit)
