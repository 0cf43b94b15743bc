"""Feedback and suggestion boxes (phản ánh, kiến nghị, góp ý — ND 20/2008): one inbox per unit for every channel
(portal form, paper boxes, e-mail, Zalo OA, Facebook page, hotline), with the DVCQG working-day clocks, routing,
transfer, answer, publication with the sender's consent, likes and dislikes of published answers (QĐ 766 5.3),
and the officials' record of commendations."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.letters.models import Letter
from cqtt.units.models import Unit


class Kind(models.TextChoices):
    REPORT = "report", _("Phản ánh")
    RECOMMENDATION = "recommendation", _("Kiến nghị")
    SUGGESTION = "suggestion", _("Góp ý")
    COMMENDATION = "commendation", _("Khen, biểu dương")
    OFFICIAL_CONDUCT = "official_conduct", _("Về thái độ, hành vi của cán bộ")
    REGULATION = "regulation", _("Về quy định hành chính")
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")


# what a citizen may pick (complaints and denunciations are recognised by staff and moved to their track)
PUBLIC_KINDS = (
    Kind.REPORT,
    Kind.RECOMMENDATION,
    Kind.SUGGESTION,
    Kind.COMMENDATION,
    Kind.OFFICIAL_CONDUCT,
    Kind.REGULATION,
)
PUBLIC_KIND_CHOICES = [(k.value, k.label) for k in PUBLIC_KINDS]
OFFICIAL_KINDS = frozenset({Kind.COMMENDATION, Kind.OFFICIAL_CONDUCT})
LEGAL_TRACK_KINDS = frozenset({Kind.COMPLAINT, Kind.DENUNCIATION})


class Channel(models.TextChoices):
    WEB = "web", _("Cổng thông tin (trực tuyến)")
    PAPER_BOX = "paper_box", _("Hòm thư góp ý")
    EMAIL = "email", _("Thư điện tử")
    ZALO = "zalo", _("Zalo OA")
    FACEBOOK = "facebook", _("Trang Facebook")
    HOTLINE = "hotline", _("Đường dây nóng")


class Status(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Chờ người gửi bổ sung")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    PUBLISHED = "published", _("Đã trả lời và công khai")
    REFUSED = "refused", _("Không tiếp nhận")
    MOVED = "moved", _("Chuyển sang giải quyết khiếu nại, tố cáo")


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.SUPPLEMENT_REQUESTED, Status.IN_PROGRESS})


def new_code() -> str:
    """A short code the citizen can read out on the phone: GY-XXXXX-XXXXX in Crockford's base32 (no I, L, O,
    U), 50 random bits: unguessable, so the lookup needs no second secret."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _i in range(10))
    return f"GY-{raw[:5]}-{raw[5:]}"


class FeedbackSettings(TimeStampedModel):
    """A unit's deadlines (working days, DVCQG defaults) and the accounts of its channels."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="feedback_settings"
    )
    refuse_days = models.PositiveSmallIntegerField(_("từ chối trong (ngày làm việc)"), default=2)
    supplement_days = models.PositiveSmallIntegerField(_("yêu cầu bổ sung trong (ngày làm việc)"), default=5)
    handle_days = models.PositiveSmallIntegerField(_("xử lý xong trong (ngày làm việc)"), default=15)
    publish_days = models.PositiveSmallIntegerField(_("công khai trong (ngày làm việc)"), default=2)
    transfer_days = models.PositiveSmallIntegerField(_("chuyển đơn vị khác trong (ngày làm việc)"), default=5)
    duplicate_window_days = models.PositiveSmallIntegerField(_("xét trùng lặp trong (ngày)"), default=30)
    zalo_oa_id = models.CharField(_("mã Zalo OA"), max_length=40, blank=True, db_index=True)
    facebook_page_id = models.CharField(_("mã trang Facebook"), max_length=40, blank=True, db_index=True)

    class Meta:
        verbose_name = _("cài đặt phản ánh, kiến nghị")
        verbose_name_plural = _("cài đặt phản ánh, kiến nghị")
        # an OA or a page belongs to one unit: its messages must reach one inbox
        constraints = [
            models.UniqueConstraint(
                fields=["zalo_oa_id"], name="feedback_zalo_oa_once", condition=~models.Q(zalo_oa_id="")
            ),
            models.UniqueConstraint(
                fields=["facebook_page_id"],
                name="feedback_facebook_page_once",
                condition=~models.Q(facebook_page_id=""),
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit)


# what staff see of a failed read (`Mailbox.last_error` holds the key; the exception's text goes to the log only,
# so the page never shows what a server answered or where a connection went)
MAIL_ERRORS = {
    "connect": _("Không kết nối được máy chủ thư"),
    "login": _("Máy chủ thư từ chối đăng nhập (tên đăng nhập hoặc mật khẩu)"),
    "folder": _("Không tìm thấy thư mục trên hộp thư"),
    "config": _(
        "Hộp thư khai báo chưa đúng: biến môi trường mật khẩu chưa có hoặc không hợp lệ, hoặc thiếu SSL/TLS"
    ),
}
MAIL_ERROR_OTHER = _("Không đọc được hộp thư")


class Mailbox(TimeStampedModel):
    """A unit's feedback mailbox, read over IMAP. The password is never stored: `password_env` names the
    environment variable that holds it (only `FEEDBACK_IMAP_PASSWORD_…`). `uid_validity`/`last_uid` say where
    the reader stopped; `last_error` the kind of the last failure (a key of `MAIL_ERRORS`)."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    host = models.CharField(_("máy chủ IMAP"), max_length=200)
    port = models.PositiveIntegerField(_("cổng"), default=993)
    use_ssl = models.BooleanField(_("dùng SSL/TLS"), default=True)
    username = models.CharField(_("tên đăng nhập"), max_length=200)
    password_env = models.CharField(_("biến môi trường chứa mật khẩu"), max_length=100, default="")
    folder = models.CharField(_("thư mục"), max_length=100, default="INBOX")
    is_active = models.BooleanField(_("đang dùng"), default=True)
    uid_validity = models.BigIntegerField(null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    last_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("hộp thư góp ý")
        verbose_name_plural = _("hộp thư góp ý")
        constraints = [
            models.UniqueConstraint(fields=["host", "username", "folder"], name="feedback_mailbox_once")
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.host}/{self.folder}"

    @property
    def error_label(self) -> str:
        if not self.last_error:
            return ""
        return str(MAIL_ERRORS.get(self.last_error, MAIL_ERROR_OTHER))


class Box(TimeStampedModel):
    """A paper suggestion box (hòm thư góp ý) and where it hangs."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("tên hòm thư"), max_length=120)
    place = models.CharField(_("nơi đặt"), max_length=300)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("hòm thư góp ý")
        verbose_name_plural = _("hòm thư góp ý")
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="feedback_box_name_once")]

    def __str__(self) -> str:
        return f"{self.name} — {self.place}"


class BoxOpening(TimeStampedModel):
    """One opening of a box: when, who opened it, the witnesses and how many letters were inside."""

    box = models.ForeignKey(Box, verbose_name=_("hòm thư"), on_delete=models.PROTECT, related_name="openings")
    opened_at = models.DateTimeField(_("mở lúc"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người mở"), on_delete=models.PROTECT, related_name="+"
    )
    witnesses = models.CharField(_("người chứng kiến"), max_length=500)
    letter_count = models.PositiveSmallIntegerField(_("số thư trong hòm"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("lần mở hòm thư")
        verbose_name_plural = _("lần mở hòm thư")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.box} {self.opened_at:%d/%m/%Y}"


class FeedbackItem(TimeStampedModel):
    code = models.CharField(_("mã phản ánh"), max_length=20, unique=True, default=new_code, editable=False)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=12, choices=Channel.choices)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices, default=Status.RECEIVED)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    content = models.TextField(_("nội dung"))
    # the sender (all optional: anonymous feedback is handled, with no reply channel)
    sender_name = models.CharField(_("họ tên người gửi"), max_length=200, blank=True)
    sender_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    sender_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    sender_external_id = models.CharField(_("mã người gửi trên Zalo/Facebook"), max_length=64, blank=True)
    sender_key = models.CharField(max_length=32, blank=True, editable=False)  # for duplicate detection
    publish_consent = models.BooleanField(_("đồng ý công khai"), default=False)
    external_id = models.CharField(max_length=200, blank=True, editable=False)  # message id of its channel
    scan = models.FileField(_("bản quét thư"), upload_to="feedback/scans/%Y/%m/", blank=True)
    box_opening = models.ForeignKey(
        BoxOpening,
        verbose_name=_("lần mở hòm thư"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng với"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # routing
    department = models.ForeignKey(
        Unit,
        verbose_name=_("phòng, ban xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ được nhắc đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transferred_from = models.ForeignKey(
        Unit,
        verbose_name=_("chuyển từ đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # clocks (working days from the unit's calendar, set by the services)
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    refuse_by = models.DateTimeField(_("hạn từ chối"))
    supplement_by = models.DateTimeField(_("hạn yêu cầu bổ sung"))
    transfer_by = models.DateTimeField(_("hạn chuyển đơn vị khác"))
    due_at = models.DateTimeField(_("hạn xử lý"))
    publish_by = models.DateTimeField(_("hạn công khai"), null=True, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    on_time = models.BooleanField(_("đúng hạn"), null=True, blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    # outcome
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    public_content = models.TextField(_("nội dung công khai (đã bỏ thông tin cá nhân)"), blank=True)
    public_answer = models.TextField(_("trả lời công khai (đã bỏ thông tin cá nhân)"), blank=True)
    reason = models.TextField(
        _("lý do"), blank=True
    )  # of a refusal, a supplement request, a transfer, a move
    reopen_count = models.PositiveSmallIntegerField(_("số lần mở lại"), default=0)
    likes = models.PositiveIntegerField(_("hài lòng"), default=0)
    dislikes = models.PositiveIntegerField(_("không hài lòng"), default=0)
    thanks_letter = models.ForeignKey(
        Letter,
        verbose_name=_("thư cảm ơn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    audit_masked_fields = (
        "sender_name",
        "sender_phone",
        "sender_email",
        "sender_address",
        "sender_external_id",
    )
    audit_excluded_fields = ("sender_key", "content", "public_content")

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                name="feedback_external_once",
                condition=~models.Q(external_id=""),
            )
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_at"], name="feedback_unit_status_due_idx"),
            models.Index(fields=["unit", "-received_at"], name="feedback_unit_received_idx"),
            models.Index(fields=["sender_key", "received_at"], name="feedback_sender_idx"),
            models.Index(fields=["official", "kind"], name="feedback_official_idx"),
            models.Index(
                fields=["unit", "-published_at"],
                name="feedback_published_idx",
                condition=models.Q(status="published"),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def scan_filename(self) -> str:
        return self.scan.name.rsplit("/", 1)[-1] if self.scan else ""

    @property
    def is_anonymous(self) -> bool:
        return not (self.sender_phone or self.sender_email or self.sender_external_id)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class FeedbackEvent(models.Model):
    """The item's timeline: every change, who made it, and what the citizen sees of it."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["item", "at"], name="feedback_event_item_idx")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.action}"

    @property
    def status_label(self) -> str:
        return str(Status(self.to_status).label) if self.to_status in Status.values else self.to_status


class Reaction(models.Model):
    """A like or dislike of a published answer, once per reader (a hashed browser token or address)."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="+")
    voter = models.CharField(max_length=32)
    value = models.SmallIntegerField()  # 1 like, -1 dislike
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "voter"], name="feedback_reaction_once")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.value:+d}"
