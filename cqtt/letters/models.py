"""Friendly letters of a unit (thư công, ND 30/2020): apology with a new date (Mẫu 04), apology for an error or a
lost document, thank-you, congratulation, condolence and a unit's own kinds; numbered per unit, kind and year at
signing, without gaps."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.dossiers.models import Dossier
from cqtt.units.models import Unit


class LetterKind(models.TextChoices):
    APOLOGY = "apology", _("Thư xin lỗi và hẹn lại ngày trả kết quả")
    ERROR_APOLOGY = "error_apology", _("Thư xin lỗi vì sai sót, mất hồ sơ")
    THANKS = "thanks", _("Thư cảm ơn")
    CONGRATULATION = "congratulation", _("Thư chúc mừng")
    CONDOLENCE = "condolence", _("Thư chia buồn")
    CUSTOM = "custom", _("Thư khác")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo, chờ ký")
    SIGNED = "signed", _("Đã ký")
    SENT = "sent", _("Đã gửi")
    CANCELLED = "cancelled", _("Không gửi")


class DeliveryChannel(models.TextChoices):
    PRINT = "print", _("In, trao tận tay hoặc gửi bưu chính")
    SMS = "sms", _("Tin nhắn")
    EMAIL = "email", _("Thư điện tử")


def _new_id() -> str:
    return secrets.token_urlsafe(9)


class Letter(TimeStampedModel):
    id = models.CharField(primary_key=True, max_length=16, default=_new_id, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại thư"), max_length=16, choices=LetterKind.choices)
    title = models.CharField(_("tên loại thư"), max_length=120, blank=True)  # a custom kind's name
    # the unit's own kind a custom letter was made from (its name is copied to `title`: a renamed kind does not
    # rename the letters already made); a kind with letters is archived, not deleted
    template = models.ForeignKey(
        "LetterTemplate",
        verbose_name=_("loại thư riêng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(
        _("lập từ"), max_length=12, default="manual"
    )  # sweep | extend | return | manual
    recipient_name = models.CharField(_("kính gửi"), max_length=200)
    recipient_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    recipient_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    recipient_email = models.EmailField(_("thư điện tử"), blank=True)
    subject = models.CharField(_("trích yếu"), max_length=300)
    body = models.TextField(_("nội dung"))
    reason = models.TextField(_("lý do"), blank=True)
    old_due_at = models.DateTimeField(_("ngày hẹn cũ"), null=True, blank=True)
    proposed_due_at = models.DateTimeField(_("ngày hẹn mới"), null=True, blank=True)
    late = models.BooleanField(_("lập khi đã quá hạn"), default=False)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=40, blank=True)
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_title = models.CharField(_("chức danh người ký"), max_length=120, blank=True)
    signature = models.CharField(_("hình thức ký"), max_length=40, blank=True)  # hand | a provider's name
    signature_ref = models.CharField(_("mã chữ ký số"), max_length=200, blank=True)
    channel = models.CharField(
        _("gửi qua"), max_length=8, choices=DeliveryChannel.choices, default=DeliveryChannel.PRINT
    )
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    cancel_reason = models.CharField(_("lý do không gửi"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("thư")
        verbose_name_plural = _("thư")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year", "number"],
                name="letter_number_once",
                condition=models.Q(number__isnull=False),
            ),
            # one apology per dossier (the law allows one new date), one life-event letter per dossier
            models.UniqueConstraint(
                fields=["dossier", "kind"],
                name="letter_once_per_dossier",
                condition=models.Q(kind__in=["apology", "congratulation", "condolence"])
                & ~models.Q(status="cancelled"),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "-created_at"], name="letter_unit_status_idx"),
            models.Index(fields=["unit", "kind", "signed_at"], name="letter_unit_kind_signed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number_text or self.pk}"

    @property
    def number_text(self) -> str:
        """The official "số/ký hiệu", e.g. "05/PXL-UBND" (ND 30/2020: numbers below 10 take a leading 0)."""
        return f"{self.number:02d}/{self.symbol}" if self.number else ""


class LetterSequence(models.Model):
    """The last number given to a unit's letters of one kind in one year (taken under a row lock at signing)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "year"], name="letter_sequence_once")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.year}: {self.last}"


class LetterTemplate(TimeStampedModel):
    """A unit's own wording of a kind of letter (the built-in wording applies where it has none)."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("loại thư"), max_length=16, choices=LetterKind.choices)
    title = models.CharField(_("tên loại thư"), max_length=120, blank=True)
    subject = models.CharField(_("trích yếu"), max_length=300)
    body = models.TextField(_("nội dung"))
    archived_at = models.DateTimeField(
        _("lưu trữ lúc"), null=True, blank=True
    )  # a custom kind no longer offered

    class Meta:
        verbose_name = _("mẫu thư")
        verbose_name_plural = _("mẫu thư")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind"], name="letter_template_once", condition=~models.Q(kind="custom")
            ),
            models.UniqueConstraint(
                fields=["unit", "title"], name="letter_custom_kind_once", condition=models.Q(kind="custom")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.title or self.get_kind_display()}"
