from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One row per state change anywhere in the platform: who did what to which object, when."""

    occurred_at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("hành động"), max_length=80, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=80)
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    unit_code = models.CharField(_("mã đơn vị"), max_length=32, blank=True, db_index=True)
    summary = models.CharField(_("tóm tắt"), max_length=500, blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    # {field: [old, new]} of the row the service changed (`audit.audit_changes`; personal data masked)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện nhật ký hệ thống")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-occurred_at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class OutboxEvent(models.Model):
    """A domain event written in the same transaction as the change it reports (the outbox): what other apps
    react to (letters, notices, the evaluation read model). The emitting app never imports its consumers."""

    stream = models.CharField(_("luồng"), max_length=40)  # the process: "dossier", later "complaint", …
    aggregate_id = models.BigIntegerField(_("mã đối tượng"))
    kind = models.CharField(_("loại sự kiện"), max_length=80)  # "<stream>.<action>", e.g. "dossier.approve"
    payload = models.JSONField(_("nội dung"), default=dict)
    created_at = models.DateTimeField(_("thời điểm"))
    # the relay (`outbox.relay_once`): when every consumer had handled it; tries that failed
    dispatched_at = models.DateTimeField(_("đã chuyển lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chuyển lỗi"), default=0)

    class Meta:
        verbose_name = _("sự kiện miền")
        verbose_name_plural = _("sự kiện miền")
        indexes = [
            models.Index(fields=["stream", "aggregate_id"], name="outbox_aggregate_idx"),
            # the relay's queue: only the events still to hand out are in it
            models.Index(
                fields=["id"], name="outbox_undispatched_idx", condition=models.Q(dispatched_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.aggregate_id}"


class OutboxDelivery(models.Model):
    """One consumer has handled one event: written in the consumer's own transaction, so an event handled twice
    has the effect of once."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    consumer = models.CharField(_("bên nhận"), max_length=200)
    handled_at = models.DateTimeField(_("xử lý lúc"))

    class Meta:
        verbose_name = _("lần xử lý sự kiện")
        verbose_name_plural = _("lần xử lý sự kiện")
        constraints = [models.UniqueConstraint(fields=["event", "consumer"], name="outbox_once_per_consumer")]

    def __str__(self) -> str:
        return f"{self.consumer} ← {self.event_id}"
