"""Notices to citizens: each message is a row with its own status machine (written in the transaction of the
event that causes it, sent by the worker at most once per key), the recipients of an aggregate, the templates of
a unit, its settings and the addresses that asked for no more messages."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.units.models import Unit


class ChannelKind(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Thư điện tử")
    ZALO = "zalo", _("Zalo")


class MessageStatus(models.TextChoices):
    CREATED = "created", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    DELIVERED = "delivered", _("Đã đến máy người nhận")
    TEMPORARY_FAILURE = "temporary-failure", _("Lỗi tạm thời, sẽ gửi lại")
    PERMANENT_FAILURE = "permanent-failure", _("Không gửi được (số/địa chỉ không nhận)")
    TECHNICAL_FAILURE = "technical-failure", _("Lỗi kỹ thuật, cần xử lý")


FAILED = frozenset({MessageStatus.PERMANENT_FAILURE, MessageStatus.TECHNICAL_FAILURE})


class NoticeEvent(models.TextChoices):
    SUBMITTED = "submitted", _("Đã nộp trực tuyến")
    RECEIVED = "received", _("Đã tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    RESULT_READY = "result_ready", _("Có kết quả")
    EARLY_RESULT = "early_result", _("Có kết quả sớm hơn hẹn")
    EXTENDED = "extended", _("Xin lỗi, hẹn lại ngày trả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    STATUS_CHANGED = "status_changed", _("Đổi trạng thái (hồ sơ trực tuyến)")


class Message(models.Model):
    """One notice on one channel to one address. `id` is the reference given to the provider, so a provider that
    dedupes on it never delivers a message twice. `key` makes the message once per cause (event, notice, channel).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(_("khóa chống gửi trùng"), max_length=120, unique=True)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị gửi"), on_delete=models.PROTECT, related_name="+")
    stream = models.CharField(_("luồng"), max_length=40, default="dossier")
    aggregate_id = models.BigIntegerField(_("mã đối tượng"), null=True, blank=True)
    subject_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True, db_index=True)
    event = models.CharField(_("sự kiện"), max_length=40)
    channel = models.CharField(_("kênh"), max_length=8, choices=ChannelKind.choices)
    to = models.CharField(_("người nhận"), max_length=254)  # digits of E.164 without "+" (84…), or an e-mail
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    text = models.TextField(_("nội dung"))
    template_id = models.CharField(_("mẫu Zalo"), max_length=40, blank=True)
    template_data = models.JSONField(_("dữ liệu mẫu Zalo"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.CREATED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lúc"))
    sending_since = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    claim = models.CharField(_("lượt gửi của worker"), max_length=32, blank=True)  # the batch that holds it
    provider = models.CharField(_("nhà cung cấp"), max_length=20, blank=True)
    provider_id = models.CharField(_("mã của nhà cung cấp"), max_length=100, blank=True)
    failure = models.CharField(_("lý do lỗi"), max_length=300, blank=True)
    fallback_of = models.ForeignKey(
        "self", verbose_name=_("thay cho tin"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    sent_at = models.DateTimeField(_("gửi được lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("đến nơi lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("tin nhắn thông báo")
        verbose_name_plural = _("tin nhắn thông báo")
        indexes = [
            # the worker's queue: due messages, oldest first (only the two waiting states are in the index)
            models.Index(
                fields=["next_attempt_at"],
                name="message_due_idx",
                condition=models.Q(status__in=["created", "temporary-failure"]),
            ),
            models.Index(
                fields=["sending_since"], name="message_sending_idx", condition=models.Q(status="sending")
            ),
            models.Index(fields=["unit", "-created_at"], name="message_unit_idx"),
            models.Index(fields=["provider", "provider_id"], name="message_provider_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.subject_code} {self.event}"


class Recipient(models.Model):
    """Who hears about an aggregate (a dossier) and on which channels: from the event that created it."""

    stream = models.CharField(_("luồng"), max_length=40)
    aggregate_id = models.BigIntegerField(_("mã đối tượng"))
    name = models.CharField(_("họ tên"), max_length=200, blank=True)
    sms = models.CharField(_("số nhận SMS"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    zalo = models.CharField(_("số Zalo"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))

    class Meta:
        verbose_name = _("người nhận thông báo")
        verbose_name_plural = _("người nhận thông báo")
        constraints = [
            models.UniqueConstraint(fields=["stream", "aggregate_id"], name="recipient_once_per_aggregate")
        ]

    def __str__(self) -> str:
        return f"{self.stream} #{self.aggregate_id}"


class NoticeTemplate(TimeStampedModel):
    """A unit's own wording of one notice on one channel (the built-in wording applies where it has none)."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    event = models.CharField(_("sự kiện"), max_length=40, choices=NoticeEvent.choices)
    channel = models.CharField(_("kênh"), max_length=8, choices=ChannelKind.choices)
    subject = models.CharField(_("tiêu đề thư"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    zalo_template_id = models.CharField(_("mã mẫu ZNS đã duyệt"), max_length=40, blank=True)
    is_active = models.BooleanField(_("gửi thông báo này"), default=True)

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        constraints = [
            models.UniqueConstraint(fields=["unit", "event", "channel"], name="notice_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.get_event_display()} — {self.get_channel_display()}"


class NoticeSettings(TimeStampedModel):
    """A unit's choices for its notices."""

    unit = models.OneToOneField(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    sms_without_diacritics = models.BooleanField(
        _("nhắn SMS không dấu"),
        default=False,
        help_text=_("Tin không dấu dài tới 160 ký tự một tin; tin có dấu chỉ 70 ký tự."),
    )
    hotline = models.CharField(_("số điện thoại đường dây nóng"), max_length=32, blank=True)
    quiet_start = models.TimeField(_("không nhắn tin từ"), null=True, blank=True)
    quiet_end = models.TimeField(_("đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("cài đặt thông báo")
        verbose_name_plural = _("cài đặt thông báo")

    def __str__(self) -> str:
        return str(self.unit)


class Suppression(models.Model):
    """An address that asked for no more messages (a link in an e-mail, an SMS reply per the provider)."""

    channel = models.CharField(_("kênh"), max_length=8, choices=ChannelKind.choices)
    address = models.CharField(_("địa chỉ"), max_length=254)
    reason = models.CharField(_("cách yêu cầu"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("từ lúc"))

    class Meta:
        verbose_name = _("địa chỉ từ chối nhận tin")
        verbose_name_plural = _("địa chỉ từ chối nhận tin")
        constraints = [models.UniqueConstraint(fields=["channel", "address"], name="suppression_once")]

    def __str__(self) -> str:
        return f"{self.channel}: {self.address}"
