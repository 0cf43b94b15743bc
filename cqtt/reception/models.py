"""Citizen reception (tiếp công dân — Luật Tiếp công dân 2013, ND 154/2026): the leaders' reception schedule with
its publication and postponements, the reception register (Sổ tiếp công dân, Mẫu 03/TCD) with one row per
visit, the documents received against a receipt (Mẫu 02/TCD), refusals with their notice (Mẫu 01/TCD), the
10-working-day answer of Art. 28, and the leader's conclusions with their follow-up tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.units.models import Unit


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đã công bố")
    POSTPONED = "postponed", _("Đã hoãn")
    HELD = "held", _("Đã tiếp")
    CANCELLED = "cancelled", _("Đã hủy")


# what the public schedule shows
PUBLIC_SESSION_STATUSES = (SessionStatus.PUBLISHED, SessionStatus.POSTPONED, SessionStatus.HELD)


class Session(TimeStampedModel):
    """A reception session of the chairman or another leader (lịch tiếp công dân)."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lãnh đạo tiếp"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("thời gian tiếp"))
    place = models.CharField(_("địa điểm"), max_length=300)
    content = models.TextField(_("nội dung dự kiến"), blank=True)
    participants = models.CharField(_("thành phần tham dự"), max_length=500, blank=True)
    online = models.BooleanField(_("tiếp trực tuyến"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    previous_starts_at = models.DateTimeField(_("thời gian trước khi hoãn"), null=True, blank=True)
    reason = models.TextField(_("lý do hoãn, hủy"), blank=True)

    class Meta:
        verbose_name = _("buổi tiếp công dân")
        verbose_name_plural = _("lịch tiếp công dân")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["unit", "status", "starts_at"], name="reception_session_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.starts_at:%d/%m/%Y %H:%M}"


class VisitKind(models.TextChoices):
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")
    PETITION = "petition", _("Kiến nghị")
    REPORT = "report", _("Phản ánh")


class VisitStatus(models.TextChoices):
    OPEN = "open", _("Chờ trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    REFUSED = "refused", _("Từ chối tiếp")


class AnswerKind(models.TextChoices):
    """What the person is told within 10 working days (Luật Tiếp công dân, Art. 28)."""

    ACCEPTED = "accepted", _("Thụ lý giải quyết")
    MORE_TIME = "more_time", _("Cần thêm thời gian xem xét để thụ lý")
    REFUSED = "refused", _("Không thụ lý")
    FORWARDED = "forwarded", _("Chuyển cơ quan có thẩm quyền")


class RefusalGround(models.TextChoices):
    """Grounds to refuse a reception (Luật Tiếp công dân Art. 9; ND 154/2026 Art. 4)."""

    INCAPACITATED = (
        "incapacitated",
        _(
            "Trong tình trạng say do dùng chất kích thích, mắc bệnh tâm thần hoặc bệnh khác làm mất khả năng nhận thức, điều khiển hành vi"
        ),
    )
    THREATENING = (
        "threatening",
        _("Có hành vi đe dọa, xúc phạm người tiếp hoặc vi phạm nội quy nơi tiếp công dân"),
    )
    PERSISTENT = (
        "persistent",
        _(
            "Khiếu nại, tố cáo vụ việc đã giải quyết đúng pháp luật, đã được kiểm tra, rà soát và trả lời nhưng vẫn cố tình khiếu nại, tố cáo kéo dài"
        ),
    )
    WEAPONS = "weapons", _("Mang vũ khí, vật dễ cháy nổ, chất độc hại hoặc vật nguy hiểm khác")
    SECURITY_CHECK = "security_check", _("Không chấp hành việc kiểm tra an ninh")
    RECORDING = "recording", _("Ghi âm, ghi hình, phát trực tiếp sau khi đã được đề nghị không thực hiện")
    INCITEMENT = "incitement", _("Lôi kéo, kích động người khác gây mất trật tự")
    NO_REPRESENTATIVE = (
        "no_representative",
        _("Không có năng lực hành vi mà không có người đại diện hợp pháp"),
    )
    UNPROVEN_REPRESENTATION = "unproven_representation", _("Không chứng minh được tư cách người đại diện")
    OUT_OF_SCOPE = "out_of_scope", _("Nội dung không phải khiếu nại, tố cáo, kiến nghị, phản ánh")
    REPEATED_PETITION = (
        "repeated_petition",
        _("Kiến nghị, phản ánh lặp lại đã được trả lời, không có tình tiết mới"),
    )
    FINAL_JUDGMENT = (
        "final_judgment",
        _("Vụ việc đã có bản án, quyết định có hiệu lực của Tòa án, không thuộc diện xem xét lại"),
    )
    HANDLED_ELSEWHERE = (
        "handled_elsewhere",
        _("Vụ việc đang được cơ quan có thẩm quyền khác xem xét, giải quyết"),
    )


class Visit(TimeStampedModel):
    """One row of the reception register (Sổ tiếp công dân, Mẫu 03/TCD): who came, about what, what was done."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số thứ tự"))  # column 1, per unit and year
    session = models.ForeignKey(
        Session,
        verbose_name=_("buổi tiếp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    received_on = models.DateField(_("ngày tiếp"))  # column 2
    person_name = models.CharField(_("họ tên"), max_length=200)  # column 3
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)  # column 3
    id_number = models.CharField(
        _("số CCCD, định danh cá nhân hoặc hộ chiếu"), max_length=20, blank=True
    )  # 4
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    content = models.TextField(_("tóm tắt nội dung vụ việc"))  # column 5
    kind = models.CharField(_("loại đơn"), max_length=14, choices=VisitKind.choices)  # column 6
    people = models.PositiveSmallIntegerField(_("số người cùng nội dung"), default=1)  # column 7
    is_group = models.BooleanField(_("đoàn đông người"), default=False)
    representatives = models.TextField(_("người đại diện của đoàn"), blank=True)
    handled_before_by = models.CharField(_("cơ quan đã giải quyết"), max_length=300, blank=True)  # column 8
    within_competence = models.BooleanField(_("thuộc thẩm quyền"), default=True)  # column 9
    guidance = models.TextField(_("hướng dẫn công dân đến cơ quan có thẩm quyền"), blank=True)  # column 10
    accepting_body = models.CharField(_("cơ quan, đơn vị thụ lý"), max_length=300, blank=True)  # column 11
    follow_up = models.TextField(_("theo dõi kết quả giải quyết"), blank=True)  # column 12
    note = models.TextField(_("ghi chú"), blank=True)  # column 13
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.OPEN
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tiếp"), on_delete=models.PROTECT, related_name="+"
    )
    # the answer of Art. 28
    answer_due_on = models.DateField(_("hạn trả lời"))
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    answer_kind = models.CharField(
        _("hình thức trả lời"), max_length=10, choices=AnswerKind.choices, blank=True
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    on_time = models.BooleanField(_("đúng hạn"), null=True, blank=True)
    # a refusal and its notice (Mẫu 01/TCD)
    refusal_ground = models.CharField(
        _("lý do từ chối"), max_length=24, choices=RefusalGround.choices, blank=True
    )
    refusal_notice_due_on = models.DateField(_("hạn gửi thông báo từ chối"), null=True, blank=True)
    refusal_notice_on = models.DateField(_("ngày thông báo từ chối"), null=True, blank=True)
    # documents received (Mẫu 02/TCD): [{"name", "pages", "condition"}]
    documents = models.JSONField(_("thông tin, tài liệu nhận"), default=list, blank=True)
    documents_copies = models.PositiveSmallIntegerField(_("số bản biên nhận"), default=2)
    documents_received_at = models.DateTimeField(_("nhận tài liệu lúc"), null=True, blank=True)
    # what the visit produced
    feedback_code = models.CharField(_("mã phản ánh, kiến nghị"), max_length=20, blank=True)
    case_code = models.CharField(_("mã vụ việc khiếu nại, tố cáo"), max_length=32, blank=True)

    audit_masked_fields = ("person_name", "address", "id_number", "phone", "representatives")
    audit_excluded_fields = ("content", "documents")

    class Meta:
        verbose_name = _("lượt tiếp công dân")
        verbose_name_plural = _("sổ tiếp công dân")
        ordering = ["-received_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="reception_visit_number_once")
        ]
        indexes = [
            models.Index(fields=["unit", "status", "answer_due_on"], name="reception_visit_due_idx"),
            models.Index(fields=["unit", "-received_on"], name="reception_visit_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} #{self.number} {self.received_on:%d/%m/%Y}"


class Conclusion(TimeStampedModel):
    """The leader's conclusions after a session (Thông báo kết luận việc tiếp công dân, ND 154/2026 Art. 25)."""

    session = models.OneToOneField(
        Session, verbose_name=_("buổi tiếp"), on_delete=models.PROTECT, related_name="conclusion"
    )
    number = models.CharField(_("số thông báo"), max_length=40, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    text = models.TextField(_("nội dung kết luận"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người kết luận"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("thông báo kết luận tiếp công dân")
        verbose_name_plural = _("thông báo kết luận tiếp công dân")

    def __str__(self) -> str:
        return f"{self.session_id} {self.issued_on:%d/%m/%Y}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class Task(TimeStampedModel):
    """A follow-up task of a conclusion: who does what, within how many working days."""

    conclusion = models.ForeignKey(
        Conclusion, verbose_name=_("thông báo kết luận"), on_delete=models.CASCADE, related_name="tasks"
    )
    content = models.TextField(_("nội dung giao"))
    owner = models.CharField(_("cơ quan, người thực hiện"), max_length=300)
    days = models.PositiveSmallIntegerField(_("thời hạn (ngày làm việc)"))
    due_on = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(
        _("trạng thái"), max_length=6, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    result = models.TextField(_("kết quả"), blank=True)

    class Meta:
        verbose_name = _("việc giao sau tiếp công dân")
        verbose_name_plural = _("việc giao sau tiếp công dân")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.conclusion_id} {self.owner}"


class ReceptionEvent(models.Model):
    """The timeline of a session or a visit: every change, who made it, from which state to which."""

    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.session_id or self.visit_id} {self.action}"
