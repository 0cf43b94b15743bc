"""The model's criteria, cycles of self-assessment and inspection, recognition, rewards, pilot units, roll-out
targets and outreach sessions (issue 15, "criteria" part). Imported at the end of `models.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.units.models import Unit

__all__ = [
    "AssessmentStatus",
    "CriteriaSet",
    "Criterion",
    "CriterionKind",
    "Cycle",
    "Assessment",
    "Score",
    "Evidence",
    "AssessmentEvent",
    "ReviewKind",
    "Review",
    "RewardProposal",
    "PilotUnit",
    "RolloutTarget",
    "OutreachSession",
]


class CriterionKind(models.TextChoices):
    AUTOMATIC = "automatic", _("Tự động từ dữ liệu")
    SELF = "self", _("Tự đánh giá")


class CriteriaSet(TimeStampedModel):
    """One version of a set of criteria. `province` empty: built into the platform. A version used by a cycle is
    read-only; a new version copies the last one."""

    province = models.ForeignKey(
        Unit, verbose_name=_("tỉnh"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(_("ký hiệu"), max_length=40)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    pass_mark = models.DecimalField(_("điểm đạt"), max_digits=6, decimal_places=2)
    builtin = models.BooleanField(_("có sẵn"), default=False)

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "code", "version"], name="criteria_set_version_unique"
            ),
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=models.Q(province__isnull=True),
                name="criteria_set_builtin_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} — {self.name}"


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveIntegerField(_("thứ tự"))
    code = models.CharField(_("mã tiêu chí"), max_length=20)
    text = models.TextField(_("nội dung tiêu chí"))
    weight = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    kind = models.CharField(_("cách chấm"), max_length=12, choices=CriterionKind.choices)
    formula = models.CharField(_("công thức"), max_length=40, blank=True)
    formula_text = models.CharField(_("diễn giải công thức"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:60]}"


class Cycle(TimeStampedModel):
    """A province's assessment round over a period, with the units in scope (one `Assessment` each)."""

    province = models.ForeignKey(Unit, verbose_name=_("tỉnh"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("tên đợt đánh giá"), max_length=300)
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="cycles"
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))

    class Meta:
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa bắt đầu")
    SELF_ASSESSING = "self_assessing", _("Đang tự đánh giá")
    SUBMITTED = "submitted", _("Đã gửi tự đánh giá")
    INSPECTED = "inspected", _("Đã kiểm tra")
    RECOGNISED = "recognised", _("Đạt mô hình")
    NOT_RECOGNISED = "not_recognised", _("Chưa đạt mô hình")


class Assessment(TimeStampedModel):
    """One unit in one cycle: its self-assessment, the inspection team's scores and the outcome."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("đợt đánh giá"), on_delete=models.CASCADE, related_name="assessments"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    self_total = models.DecimalField(_("điểm tự chấm"), max_digits=7, decimal_places=2, null=True, blank=True)
    inspection_total = models.DecimalField(
        _("điểm đoàn kiểm tra"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    inspected_on = models.DateField(_("ngày kiểm tra"), null=True, blank=True)
    inspection_note = models.TextField(_("nhận xét của đoàn kiểm tra"), blank=True)
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả đánh giá của đơn vị")
        verbose_name_plural = _("kết quả đánh giá của đơn vị")
        ordering = ["cycle", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="assessment_unit_unique")]

    def __str__(self) -> str:
        return f"{self.cycle} — {self.unit}"


class Score(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="+"
    )
    self_score = models.DecimalField(_("điểm tự chấm"), max_digits=6, decimal_places=2, null=True, blank=True)
    self_comment = models.TextField(_("giải trình của đơn vị"), blank=True)
    auto_value = models.FloatField(_("số liệu tự động (%)"), null=True, blank=True)
    inspection_score = models.DecimalField(
        _("điểm đoàn kiểm tra"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    inspection_comment = models.TextField(_("nhận xét của đoàn kiểm tra"), blank=True)

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        ordering = ["assessment", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.criterion_id}"


class Evidence(models.Model):
    score = models.ForeignKey(
        Score, verbose_name=_("điểm tiêu chí"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("tệp minh chứng"), upload_to="evaluation/evidence/%Y/%m/")
    name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(_("loại tệp"), max_length=40)
    size = models.PositiveIntegerField(_("dung lượng"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class AssessmentEvent(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("lúc"))
    action = models.CharField(_("thao tác"), max_length=30)
    from_status = models.CharField(_("từ trạng thái"), max_length=16)
    to_status = models.CharField(_("sang trạng thái"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("sự kiện đánh giá")
        verbose_name_plural = _("sự kiện đánh giá")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class ReviewKind(models.TextChoices):
    PRELIMINARY = "preliminary", _("Sơ kết")
    FINAL = "final", _("Tổng kết")


class Review(TimeStampedModel):
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("đợt đánh giá"), on_delete=models.CASCADE, related_name="reviews"
    )
    kind = models.CharField(_("loại"), max_length=12, choices=ReviewKind.choices)
    held_on = models.DateField(_("ngày"))
    summary = models.TextField(_("nội dung đánh giá"))
    lessons = models.TextField(_("bài học kinh nghiệm, kiến nghị"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sơ kết, tổng kết")
        verbose_name_plural = _("sơ kết, tổng kết")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class RewardProposal(TimeStampedModel):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="rewards"
    )
    form = models.CharField(_("hình thức khen thưởng"), max_length=200)
    reason = models.TextField(_("lý do đề nghị"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đề nghị"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.form


class PilotUnit(TimeStampedModel):
    province = models.ForeignKey(Unit, verbose_name=_("tỉnh"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị thí điểm"), on_delete=models.CASCADE, related_name="+"
    )
    chosen_on = models.DateField(_("chọn ngày"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("đơn vị thí điểm")
        verbose_name_plural = _("đơn vị thí điểm")
        ordering = ["province", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["province", "unit"], name="pilot_unit_unique")]

    def __str__(self) -> str:
        return str(self.unit)


class RolloutTarget(TimeStampedModel):
    """ "So many communes (a count, or a per cent of the province's communes) recognised by a date"."""

    province = models.ForeignKey(Unit, verbose_name=_("tỉnh"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("chỉ tiêu"), max_length=300)
    due_on = models.DateField(_("thời hạn"))
    percent = models.PositiveSmallIntegerField(_("tỷ lệ xã, phường (%)"), null=True, blank=True)
    count = models.PositiveIntegerField(_("số xã, phường"), null=True, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu nhân rộng")
        verbose_name_plural = _("chỉ tiêu nhân rộng")
        ordering = ["province", "due_on", "pk"]

    def __str__(self) -> str:
        return self.name


class OutreachSession(TimeStampedModel):
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(_("ngày"))
    place = models.CharField(_("địa điểm"), max_length=300)
    topic = models.CharField(_("chủ đề"), max_length=300)
    attendees = models.PositiveIntegerField(_("số người tham dự"))

    class Meta:
        verbose_name = _("buổi tuyên truyền")
        verbose_name_plural = _("buổi tuyên truyền")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"
