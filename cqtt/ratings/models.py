"""Citizens' ratings of the one-stop service: one per dossier, from the counter's kiosk or by link (slip QR,
lookup page, the "returned" notice), bound to the dossier and the officer who served; TT 01/2018 indicators
per dossier; tallies per unit, officer, month and level for the summaries (ADR 0018)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.dossiers.models import Dossier
from cqtt.units.models import Counter, Unit


class Level(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NEUTRAL = "neutral", _("Bình thường")
    UNSATISFIED = "unsatisfied", _("Không hài lòng")
    VERY_UNSATISFIED = "very_unsatisfied", _("Rất không hài lòng")


class RatingChannel(models.TextChoices):
    KIOSK = "kiosk", _("Thiết bị đánh giá tại quầy")
    WEB = "web", _("Đường link, mã QR")


class Review(models.TextChoices):
    COUNTED = "counted", _("Được tính")
    FLAGGED = "flagged", _("Cần xem xét")
    EXCLUDED = "excluded", _("Không tính")


class RatingSettings(TimeStampedModel):
    """A unit's choices: three or five levels, and which conduct codes give the quick reasons."""

    unit = models.OneToOneField(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    scale = models.PositiveSmallIntegerField(
        _("số mức đánh giá"), choices=[(5, _("5 mức")), (3, _("3 mức"))], default=5
    )
    codes = models.JSONField(_("bộ quy tắc ứng xử dùng làm lý do"), default=list, blank=True)

    class Meta:
        verbose_name = _("cấu hình đánh giá")
        verbose_name_plural = _("cấu hình đánh giá")

    def __str__(self) -> str:
        return str(self.unit)


class Kiosk(TimeStampedModel):
    """The rating tablet of one counter, bound to it by a pairing code (no staff login on the device). The
    device keeps a random secret in a cookie; only its hash is stored."""

    counter = models.OneToOneField(
        Counter, verbose_name=_("quầy"), on_delete=models.CASCADE, related_name="kiosk"
    )
    pairing_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    pairing_expires_at = models.DateTimeField(_("mã ghép nối hết hạn lúc"), null=True, blank=True)
    secret_hash = models.CharField(max_length=64, blank=True, editable=False)
    paired_at = models.DateTimeField(_("ghép nối lúc"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("hoạt động lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("thiết bị đánh giá")
        verbose_name_plural = _("thiết bị đánh giá")

    def __str__(self) -> str:
        return str(self.counter)

    @property
    def is_paired(self) -> bool:
        return bool(self.secret_hash)


class KioskPrompt(models.Model):
    """What a counter's kiosk asks next: rate the service just given for this dossier by this officer."""

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["counter", "-created_at"], name="kiosk_prompt_counter_idx")]

    def __str__(self) -> str:
        return f"{self.counter_id}: {self.dossier_id}"


class Rating(models.Model):
    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ được đánh giá"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    counter = models.ForeignKey(
        Counter, verbose_name=_("quầy"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=RatingChannel.choices)
    level = models.CharField(_("mức độ hài lòng"), max_length=16, choices=Level.choices)
    reasons = models.JSONField(_("lý do"), default=list, blank=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    contacts = models.PositiveSmallIntegerField(_("số lần liên hệ Bộ phận Một cửa"), null=True, blank=True)
    bodies = models.PositiveSmallIntegerField(_("số cơ quan phải liên hệ"), null=True, blank=True)
    # TT 01/2018 Art. 13 indicators of this dossier (2 / 1 / 0; None = no data yet)
    i1 = models.PositiveSmallIntegerField(_("chỉ số 1: thời gian giải quyết"), null=True, blank=True)
    i2 = models.PositiveSmallIntegerField(_("chỉ số 2: thời gian từng bước"), null=True, blank=True)
    i3 = models.PositiveSmallIntegerField(_("chỉ số 3: số lần liên hệ"), null=True, blank=True)
    i4 = models.PositiveSmallIntegerField(_("chỉ số 4: số cơ quan liên hệ"), null=True, blank=True)
    i7 = models.PositiveSmallIntegerField(_("chỉ số 7: thái độ của cán bộ"), null=True, blank=True)
    rated_at = models.DateTimeField(_("đánh giá lúc"))
    received_at = models.DateTimeField(_("nhận lúc"))
    client_id = models.CharField(max_length=40, blank=True)  # the kiosk's own id of a queued rating
    source = models.CharField(max_length=64, blank=True)  # "kiosk:<id>" or a hash of the client address
    flags = models.JSONField(_("dấu hiệu bất thường"), default=list, blank=True)
    review = models.CharField(_("xem xét"), max_length=8, choices=Review.choices, default=Review.COUNTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    review_note = models.CharField(_("ghi chú xem xét"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        indexes = [
            models.Index(fields=["unit", "rated_at"], name="rating_unit_time_idx"),
            models.Index(fields=["officer", "rated_at"], name="rating_officer_time_idx"),
            models.Index(fields=["source", "received_at"], name="rating_source_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.level}"


class RatingTally(models.Model):
    """Counted ratings per unit, officer, month and level (kept by the services in the rating's transaction; the
    summaries read it). `officer_key` is the officer's id, 0 when no officer is known."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    officer_key = models.IntegerField(default=0)
    month = models.DateField()
    level = models.CharField(max_length=16)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "officer_key", "month", "level"], name="rating_tally_once"
            )
        ]
        indexes = [models.Index(fields=["month", "unit"], name="rating_tally_month_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.officer_key} {self.month:%Y-%m} {self.level}: {self.count}"
