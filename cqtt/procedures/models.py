"""The catalogue of administrative procedures (thủ tục hành chính).

A `Procedure` row is one *version* of a procedure: when the competent authority republishes a procedure, a new row
with the same national code and a later `valid_from` is created and the previous one gets a `valid_to`. A dossier
keeps a foreign key to the version in force when it was received.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.units.models import Unit


class CompetentLevel(models.TextChoices):
    CENTRAL = "central", _("Cấp trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class DurationUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    SAME_DAY = "same_day", _("Trong ngày")


class OnlineLevel(models.TextChoices):
    TOAN_TRINH = "toan_trinh", _("Toàn trình")
    MOT_PHAN = "mot_phan", _("Một phần")
    TRUC_TIEP = "truc_tiep", _("Trực tiếp")


class LifeEvent(models.TextChoices):
    BIRTH = "birth_registration", _("Khai sinh")
    MARRIAGE = "marriage_registration", _("Kết hôn")
    DEATH = "death_registration", _("Khai tử")
    NONE = "none", _("Không")


class DocumentKind(models.TextChoices):
    ORIGINAL = "original", _("bản chính")
    COPY = "copy", _("bản sao")
    CERTIFIED_COPY = "certified_copy", _("bản sao có chứng thực")
    ORIGINAL_OR_COPY = "original_or_copy", _("bản chính hoặc bản sao")


class ProcedureField(TimeStampedModel):
    """A field (lĩnh vực) grouping procedures: hộ tịch, chứng thực, bảo trợ xã hội …"""

    code = models.CharField(_("mã lĩnh vực"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(TimeStampedModel):
    """One version of an administrative procedure, in force from `valid_from` to `valid_to` (inclusive; null =
    open)."""

    code = models.CharField(_("mã thủ tục"), max_length=32, db_index=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(
        ProcedureField, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    competent_level = models.CharField(
        _("cấp thực hiện"), max_length=16, choices=CompetentLevel.choices, default=CompetentLevel.COMMUNE
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị thực hiện"), blank=True, related_name="procedures"
    )
    duration_amount = models.DecimalField(_("thời hạn giải quyết"), max_digits=6, decimal_places=1, default=0)
    duration_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=DurationUnit.choices, default=DurationUnit.WORKING_DAYS
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    online_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến"),
        max_length=16,
        choices=OnlineLevel.choices,
        default=OnlineLevel.TRUC_TIEP,
    )
    life_event = models.CharField(
        _("sự kiện hộ tịch"), max_length=32, choices=LifeEvent.choices, default=LifeEvent.NONE
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    search_text = models.CharField(max_length=1000, editable=False, blank=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="procedure_unique_version"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="procedure_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(duration_amount__gte=0), name="procedure_duration_nonnegative"
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="procedure_validity_idx")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def duration_text(self) -> str:
        from .rules import duration_text

        return duration_text(self.duration_amount, self.duration_unit)


class RequiredDocument(models.Model):
    """One component of the dossier (thành phần hồ sơ) of a procedure version."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="documents"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    kind = models.CharField(
        _("loại bản"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.ORIGINAL
    )
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    blank_form = models.FileField(_("mẫu đơn, tờ khai"), upload_to="procedures/forms/", blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    """A fee or charge (phí, lệ phí) of a procedure version, in VND."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="fees"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên phí, lệ phí"), max_length=300)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"), default=0)
    exemptions = models.TextField(_("miễn, giảm"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def amount_text(self) -> str:
        from .rules import format_vnd

        return format_vnd(self.amount)


class StepRole(models.TextChoices):
    COUNTER = "counter", _("Bộ phận Một cửa")
    SPECIALIST = "specialist", _("Chuyên viên thụ lý")
    LEADER = "leader", _("Lãnh đạo phê duyệt")


class ProcessStep(models.Model):
    """One step of a procedure's internal process (quy trình nội bộ) with its allotted working time, in days
    (fractions allowed: 0.5 = one session). Drives the control slip and the "at risk" flag of dossiers."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên bước"), max_length=300)
    role = models.CharField(_("người thực hiện"), max_length=16, choices=StepRole.choices)
    allotted_days = models.DecimalField(_("thời gian (ngày làm việc)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("bước quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
