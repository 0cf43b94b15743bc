"""Complaints (Luật Khiếu nại 2011), denunciations (Luật Tố cáo 2018) and petitions received by a unit, each a
case with its own process and legal periods. The person's identity lives apart from the case (`Identity`),
opened only through `services.identity_reveal`, which logs every opening (`IdentityAccess`): a denouncer's name,
address, handwriting and personal data are kept secret (Luật Tố cáo Arts. 9, 47, 56)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.units.models import Unit


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")
    PETITION = "petition", _("Kiến nghị, phản ánh")


CODE_PREFIX = {Kind.COMPLAINT: "KN", Kind.DENUNCIATION: "TC", Kind.PETITION: "KP"}


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp tại nơi tiếp công dân")
    POST = "post", _("Qua bưu chính")
    ONLINE = "online", _("Trực tuyến")
    TRANSFERRED = "transferred", _("Do cơ quan khác chuyển đến")


class Source(models.TextChoices):
    DIRECT = "", _("Tiếp nhận trực tiếp vào sổ")
    RECEPTION_VISIT = "reception_visit", _("Từ lượt tiếp công dân")
    FEEDBACK = "feedback", _("Chuyển từ hộp thư phản ánh, kiến nghị")
    SPLIT = "split", _("Tách từ đơn có nhiều nội dung")


class Status(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận, chưa thụ lý")
    ACCEPTED = "accepted", _("Đã thụ lý, đang giải quyết")
    SUSPENDED = "suspended", _("Tạm đình chỉ giải quyết")
    INFORMATION = "information", _("Không xử lý như tố cáo, xem xét như thông tin")
    CONCLUDED = "concluded", _("Đã giải quyết (có quyết định, kết luận)")
    REFUSED = "refused", _("Không thụ lý")
    TRANSFERRED = "transferred", _("Đã chuyển cơ quan có thẩm quyền")
    WITHDRAWN = "withdrawn", _("Đã rút, đình chỉ giải quyết")


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.SUSPENDED, Status.INFORMATION})


class Counting(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("Ngày theo lịch (kể cả ngày nghỉ)")
    WORKING_DAYS = "working_days", _("Ngày làm việc")


class ComplaintSettings(TimeStampedModel):
    """What the law leaves open for a unit: how the resolution periods written as plain "days" are counted, and
    how long a petition may take (legal-spec §14 item 6: the 2025 amendments were not read)."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="complaint_settings"
    )
    resolution_counting = models.CharField(
        _("cách tính thời hạn giải quyết"),
        max_length=16,
        choices=Counting.choices,
        default=Counting.CALENDAR_DAYS,
    )
    petition_days = models.PositiveSmallIntegerField(_("trả lời kiến nghị trong (ngày làm việc)"), default=15)

    class Meta:
        verbose_name = _("cài đặt giải quyết khiếu nại, tố cáo")
        verbose_name_plural = _("cài đặt giải quyết khiếu nại, tố cáo")

    def __str__(self) -> str:
        return str(self.unit)


class Case(TimeStampedModel):
    """One complaint, denunciation or petition. Holds no personal data of the person who brought it: the
    content here is the redacted copy the verifiers work on."""

    # free texts stay out of the audit diffs: a copy corrected by the handler must not survive there
    audit_excluded_fields = ("content", "reason", "outcome")

    code = models.CharField(_("mã đơn"), max_length=32, unique=True)
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(_("loại đơn"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    channel = models.CharField(_("hình thức tiếp nhận"), max_length=16, choices=Channel.choices)
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices, blank=True)
    source_ref = models.CharField(_("tham chiếu nguồn"), max_length=64, blank=True)
    split_from = models.ForeignKey(
        "self",
        verbose_name=_("tách từ đơn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="splits",
    )
    instance = models.PositiveSmallIntegerField(_("lần giải quyết"), default=1)
    remote_area = models.BooleanField(_("vùng sâu, vùng xa, đi lại khó khăn"), default=False)
    complex = models.BooleanField(_("vụ việc phức tạp"), default=False)
    several_places = models.BooleanField(_("phải xác minh ở nhiều địa điểm"), default=False)
    anonymous = models.BooleanField(_("giấu tên, mạo danh hoặc không rõ người tố cáo"), default=False)
    identity_sealed = models.BooleanField(_("thông tin người gửi được giữ bí mật"), default=False)
    content = models.TextField(_("nội dung (bản đã che thông tin cá nhân)"))
    received_on = models.DateField(_("ngày nhận đơn"))
    decision_known_on = models.DateField(
        _("ngày biết quyết định, hành vi bị khiếu nại"), null=True, blank=True
    )
    acceptance_due_on = models.DateField(_("hạn thụ lý / xử lý ban đầu"))
    forward_due_on = models.DateField(_("hạn chuyển đơn nếu không thuộc thẩm quyền"), null=True, blank=True)
    accepted_on = models.DateField(_("ngày thụ lý"), null=True, blank=True)
    resolution_due_on = models.DateField(_("hạn giải quyết"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("số lần gia hạn"), default=0)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    on_time = models.BooleanField(_("đúng hạn"), null=True)
    resolution_counting = models.CharField(
        _("cách tính thời hạn giải quyết"), max_length=16, choices=Counting.choices, blank=True
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người được giao quản lý thông tin người gửi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_handled",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác minh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_assigned",
    )
    target_body = models.CharField(_("cơ quan được chuyển đến"), max_length=300, blank=True)
    outcome = models.TextField(_("kết quả, quyết định, kết luận"), blank=True)
    decision_number = models.CharField(_("số quyết định, văn bản"), max_length=64, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("đơn khiếu nại, tố cáo, kiến nghị")
        verbose_name_plural = _("đơn khiếu nại, tố cáo, kiến nghị")
        indexes = [
            # the list: a unit's cases newest first, and the open ones by their next deadline
            models.Index(fields=["unit", "-received_on", "-id"], name="case_unit_received"),
            models.Index(fields=["unit", "status", "acceptance_due_on"], name="case_unit_status_due"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def sealed(self) -> bool:
        """A denouncer's identity is classified (Art. 56): a denunciation's, and that of every case split from
        or into one; other kinds' identity is still opened only by the log."""
        return self.identity_sealed


class Identity(TimeStampedModel):
    """The person's data, kept apart from the case. Never listed, exported or sent by the API; read only through
    `services.identity_reveal`, which logs who, when and why."""

    audit_excluded_fields = (
        "full_name",
        "id_number",
        "address",
        "phone",
        "email",
        "original_content",
        "original_scan",
    )

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    email = models.CharField(_("thư điện tử"), max_length=254, blank=True)
    original_content = models.TextField(_("nội dung nguyên văn"), blank=True)
    original_scan = models.FileField(
        _("bản quét đơn (chữ viết tay)"), upload_to="complaints/sealed/%Y/", blank=True
    )

    class Meta:
        verbose_name = _("thông tin người gửi đơn (mật)")
        verbose_name_plural = _("thông tin người gửi đơn (mật)")

    def __str__(self) -> str:
        return f"#{self.case_id}"


class IdentityAccess(models.Model):
    """One opening of a case's identity: who, when, why, by which way (page, API, printed notice)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="identity_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"))
    reason = models.CharField(_("lý do"), max_length=500)
    via = models.CharField(_("qua"), max_length=16)

    class Meta:
        verbose_name = _("lần mở thông tin người gửi đơn")
        verbose_name_plural = _("lần mở thông tin người gửi đơn")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%Y-%m-%d %H:%M}"


class CaseEvent(models.Model):
    """The case's timeline: one row per action, with the period it started (for the printed notices)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class CaseSequence(models.Model):
    """The next number of a unit's cases of one kind in one year (one locked row per unit, kind and year)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "year"], name="case_sequence_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"
