from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.procedures.models import Procedure, RequiredDocument
from cqtt.units.models import Counter, Unit


class Status(models.TextChoices):
    SUBMITTED_ONLINE = "submitted_online", _("Nộp trực tuyến, chờ tiếp nhận")
    INTAKE_SUPPLEMENT = "intake_supplement", _("Chờ bổ sung để tiếp nhận")
    INTAKE_REFUSED = "intake_refused", _("Từ chối tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận, chờ phân công")
    IN_PROGRESS = "in_progress", _("Đang giải quyết")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Tạm dừng, chờ công dân bổ sung")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt, đang hoàn thiện kết quả")
    READY = "ready", _("Có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp tại Bộ phận Một cửa")
    POST = "post", _("Qua dịch vụ bưu chính")
    ONLINE = "online", _("Trực tuyến")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Dossier(TimeStampedModel):
    """A dossier (hồ sơ) from submission to result. The procedure is the version in force at receipt."""

    # citizens' personal data: an audit diff shows only that it changed (cqtt.core.audit, ADR 0014)
    audit_masked_fields = (
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "collected_by",
    )
    audit_excluded_fields = ("lookup_token", "due_explanation", "search_text")

    # unique through Meta.constraints: a field's own `unique` adds a second (LIKE) index on PostgreSQL that no
    # query uses and every write pays for
    code = models.CharField(_("mã hồ sơ"), max_length=64)
    lookup_token = models.CharField(_("mã tra cứu"), max_length=32, editable=False)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    receiving_unit = models.ForeignKey(  # indexed by the composite indexes it leads
        Unit,
        db_index=False,
        verbose_name=_("đơn vị tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="dossiers_received",
    )
    handling_unit = models.ForeignKey(  # indexed by the composite indexes it leads
        Unit,
        db_index=False,
        verbose_name=_("đơn vị giải quyết"),
        on_delete=models.PROTECT,
        related_name="dossiers_handled",
    )
    current_unit = models.ForeignKey(  # indexed by the composite indexes it leads
        Unit,
        db_index=False,
        verbose_name=_("đơn vị đang xử lý"),
        on_delete=models.PROTECT,
        related_name="dossiers_current",
    )
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("quầy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices)
    channel = models.CharField(_("hình thức nộp"), max_length=16, choices=Channel.choices)
    delivery = models.CharField(_("hình thức nhận kết quả"), max_length=16, choices=Channel.choices)
    sets_count = models.PositiveSmallIntegerField(_("số lượng hồ sơ (bộ)"), default=1)

    applicant_kind = models.CharField(
        _("người nộp là"), max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("họ tên người nộp / tên tổ chức"), max_length=200)
    applicant_id_number = models.CharField(_("số định danh / mã số thuế"), max_length=14, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    applicant_commune = models.ForeignKey(
        Unit,
        verbose_name=_("xã, phường nơi cư trú"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(_("hạn giải quyết ban đầu"), null=True, blank=True)
    stat_due_at = models.DateTimeField(_("hạn theo thống kê (trừ thời gian tạm dừng)"), null=True, blank=True)
    due_explanation = models.JSONField(_("cách tính hạn"), default=list, blank=True)
    risk_at = models.DateTimeField(_("có nguy cơ trễ hạn từ"), null=True, blank=True)
    extended_at = models.DateTimeField(_("gia hạn lúc"), null=True, blank=True)
    extension_reason = models.TextField(_("lý do gia hạn"), blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung khi giải quyết"), default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        db_index=False,  # dossier_assignee_status_due
        verbose_name=_("chuyên viên thụ lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers_assigned",
    )
    finished_at = models.DateTimeField(_("hoàn thành xử lý lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    collected_by = models.CharField(_("người nhận kết quả"), max_length=200, blank=True)
    timeliness = models.CharField(
        _("kết quả đúng hạn (theo luật)"), max_length=8, choices=Timeliness.choices, blank=True
    )
    stat_timeliness = models.CharField(
        _("kết quả đúng hạn (thống kê quốc gia)"), max_length=8, choices=Timeliness.choices, blank=True
    )
    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    refusal_number = models.PositiveIntegerField(_("số phiếu từ chối"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("lý do rút hồ sơ"), blank=True)
    fees_total = models.PositiveBigIntegerField(_("tổng phí, lệ phí (đồng)"), default=0)
    book_year = models.PositiveSmallIntegerField(_("năm sổ theo dõi"), null=True, blank=True)
    book_number = models.PositiveIntegerField(_("số thứ tự trong sổ"), null=True, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    # the citizen's notice channels for this dossier, chosen at intake (the notifications app reads them from the
    # outbox event that creates the dossier)
    notify_sms = models.BooleanField(_("nhắn tin SMS"), default=False)
    notify_email = models.BooleanField(_("gửi thư điện tử"), default=False)
    notify_zalo = models.BooleanField(_("nhắn qua Zalo"), default=False)
    # the control slip's state, kept with the locked row so a hand-over needs no read of the steps: the highest
    # step number so far, and the due time of the open hand-over step (None when none is open)
    step_seq = models.PositiveSmallIntegerField(_("số bước đã mở"), default=0, editable=False)
    step_due_at = models.DateTimeField(_("hạn của bước đang xử lý"), null=True, blank=True, editable=False)
    # folded code, name, ID number and phone for the staff search (rules.search_text; ADR 0012); on PostgreSQL
    # a trigram index serves it (migration 0009)
    search_text = models.CharField(_("nội dung tìm kiếm"), max_length=400, blank=True, editable=False)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["due_at", "id"]
        # every index is paid for by each write of a dossier (about five per lifecycle): only those the lists,
        # overviews and lookups use (bench/explain_paths.py checks them); status is always read with a unit
        indexes = [
            models.Index(fields=["handling_unit", "status", "due_at"], name="dossier_unit_status_due"),
            models.Index(fields=["current_unit", "status", "due_at"], name="dossier_current_status_due"),
            models.Index(fields=["receiving_unit", "received_at"], name="dossier_recv_unit_at"),
            models.Index(fields=["receiving_unit", "status", "due_at"], name="dossier_recv_status_due"),
            models.Index(fields=["assignee", "status", "due_at"], name="dossier_assignee_status_due"),
            # the apology sweep (letters): open dossiers coming to risk; finished ones have no risk time
            models.Index(
                fields=["risk_at"], name="dossier_risk_idx", condition=models.Q(risk_at__isnull=False)
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="dossier_code_unique"),
            models.UniqueConstraint(fields=["lookup_token"], name="dossier_lookup_token_unique"),
            models.UniqueConstraint(
                fields=["receiving_unit", "book_year", "book_number"], name="dossier_unique_book_entry"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_finished(self) -> bool:
        return self.status in FINAL_STATUSES or self.status == Status.READY

    @property
    def is_extended(self) -> bool:
        return self.extended_at is not None


FINAL_STATUSES = frozenset({Status.INTAKE_REFUSED, Status.RETURNED, Status.REFUSED, Status.WITHDRAWN})


class DocumentKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
    ELECTRONIC = "electronic", _("Bản điện tử")


class DossierDocument(models.Model):
    """A document submitted with the dossier (or missing, when `submitted` is False), with its upload."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="documents"
    )
    required_document = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("thành phần theo quy định"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    kind = models.CharField(_("loại"), max_length=16, choices=DocumentKind.choices, default=DocumentKind.COPY)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    submitted = models.BooleanField(_("đã nộp"), default=True)
    file = models.FileField(_("tệp đính kèm"), upload_to="dossiers/%Y/%m/", blank=True)
    original_filename = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(_("kiểu tệp"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)

    class Meta:
        verbose_name = _("thành phần hồ sơ đã nộp")
        verbose_name_plural = _("thành phần hồ sơ đã nộp")
        ordering = ["dossier", "order", "id"]

    def __str__(self) -> str:
        return self.name


class DossierFee(models.Model):
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="fees"
    )
    name = models.CharField(_("tên phí, lệ phí"), max_length=300)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"), default=0)
    exempted = models.BooleanField(_("được miễn"), default=False)

    class Meta:
        verbose_name = _("phí, lệ phí của hồ sơ")
        verbose_name_plural = _("phí, lệ phí của hồ sơ")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class PauseStage(models.TextChoices):
    INTAKE = "intake", _("Khi tiếp nhận")
    APPRAISAL = "appraisal", _("Trong quá trình giải quyết")


class SupplementRequest(models.Model):
    """A request for supplement (Mẫu 02). During appraisal it pauses the clock until `resolved_at`; the law
    then restarts the period from zero, the national statistic subtracts the pause."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="supplements"
    )
    stage = models.CharField(_("giai đoạn"), max_length=16, choices=PauseStage.choices)
    items = models.JSONField(_("nội dung cần bổ sung"), default=list)
    reason = models.TextField(_("lý do"), blank=True)
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    late_warning = models.BooleanField(_("yêu cầu sau 3 ngày làm việc kể từ khi tiếp nhận"), default=False)
    number = models.PositiveIntegerField(_("số phiếu"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("công dân bổ sung lúc"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận bổ sung"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.requested_at:%d/%m/%Y}"


class StepKind(models.TextChoices):
    HANDOVER = "handover", _("Chuyển xử lý")
    TRANSFER = "transfer", _("Chuyển liên thông")
    CONSULTATION = "consultation", _("Lấy ý kiến")


class DossierStep(models.Model):
    """One row of the control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ): a hand-over of the dossier
    to a unit or person, with its allotted time and, once handed on, its verdict."""

    # steps are only ever read by dossier (dossier_step_unique_seq); the unit and user references are not
    # indexed: a unit or account is deactivated, never deleted, once it has handled dossiers
    dossier = models.ForeignKey(
        Dossier, db_index=False, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="steps"
    )
    seq = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại"), max_length=16, choices=StepKind.choices, default=StepKind.HANDOVER)
    name = models.CharField(_("nội dung"), max_length=300)
    from_unit = models.ForeignKey(
        Unit, db_index=False, verbose_name=_("bên giao"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, db_index=False, verbose_name=_("bên nhận"), on_delete=models.PROTECT, related_name="+"
    )
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        db_index=False,
        verbose_name=_("người giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        db_index=False,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("giao nhận lúc"))
    allotted_days = models.DecimalField(
        _("thời gian được giao (ngày làm việc)"), max_digits=5, decimal_places=2
    )
    due_at = models.DateTimeField(_("hạn của bước"))
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    timeliness = models.CharField(_("kết quả"), max_length=8, choices=Timeliness.choices, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("phiếu kiểm soát quá trình")
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_step_unique_seq")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.name}"


class DossierEvent(models.Model):
    """Audit trail and citizen timeline: one row per state change or notable action."""

    dossier = models.ForeignKey(  # event_dossier_time_idx
        Dossier, db_index=False, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="events"
    )
    occurred_at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("hành động"), max_length=32)
    from_status = models.CharField(_("từ trạng thái"), max_length=24, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=24, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    is_public = models.BooleanField(_("hiện cho công dân"), default=True)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("nhật ký hồ sơ")
        ordering = ["dossier", "occurred_at", "id"]
        indexes = [
            # a dossier's events in order: its history for staff and, filtered, the citizen's timeline
            models.Index(fields=["dossier", "occurred_at", "id"], name="event_dossier_time_idx")
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%d/%m/%Y %H:%M} {self.action}"


class DailySequence(models.Model):
    """Last dossier number issued by a receiving unit on a day (the NNNN of the code)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số thứ tự hồ sơ trong ngày")
        verbose_name_plural = _("số thứ tự hồ sơ trong ngày")
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="daily_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.last}"


class YearlySequence(models.Model):
    """Last number a receiving unit issued in a year for one kind of numbering: the tracking-book entry
    ("book"), supplement slips ("supplement"), refusal slips ("refusal")."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số thứ tự trong năm")
        verbose_name_plural = _("số thứ tự trong năm")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "kind"], name="yearly_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.kind}: {self.last}"


class AssignmentRule(TimeStampedModel):
    """Automatic assignment at reception: dossiers of a procedure (or of a whole field) received by `unit` go to
    `department`, to `specialist` if set, else to the department's specialist with the fewest open dossiers."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tiếp nhận"), on_delete=models.CASCADE, related_name="assignment_rules"
    )
    procedure_code = models.CharField(
        _("mã thủ tục"), max_length=32, blank=True, help_text=_("Để trống để áp dụng cho cả lĩnh vực.")
    )
    field_code = models.CharField(_("mã lĩnh vực"), max_length=32, blank=True)
    department = models.ForeignKey(
        Unit, verbose_name=_("phòng, ban thụ lý"), on_delete=models.CASCADE, related_name="+"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chuyên viên (nếu cố định)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("quy tắc phân công tự động")
        verbose_name_plural = _("quy tắc phân công tự động")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(procedure_code="", field_code=""), name="assignment_rule_has_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.procedure_code or self.field_code} → {self.department.name}"


class DossierTally(models.Model):
    """How many dossiers each unit has finished for good (returned, refused, withdrawn, refused at intake), by
    final state and timeliness: the overview adds these to a live count of the open dossiers instead of counting
    every dossier of a province on each visit. Kept by the dossier services (a dossier enters a final state
    once), filled by the generator and rebuilt by `dossier_tally_rebuild`."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị giải quyết"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices)
    timeliness = models.CharField(_("kết quả đúng hạn"), max_length=8, choices=Timeliness.choices, blank=True)
    count = models.PositiveIntegerField(_("số hồ sơ"), default=0)

    class Meta:
        verbose_name = _("số hồ sơ đã kết thúc")
        verbose_name_plural = _("số hồ sơ đã kết thúc")
        constraints = [
            models.UniqueConstraint(fields=["unit", "status", "timeliness"], name="dossier_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.status} {self.timeliness}: {self.count}"


class IdempotencyKey(models.Model):
    """The answer to an intake sent with an `Idempotency-Key` header, written in the intake's own transaction: a
    retry of the same request by the same user gets this answer again instead of a second dossier."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique (user, key) index serves the lookups by user
    )
    key = models.CharField(_("khóa"), max_length=100)
    fingerprint = models.CharField(_("dấu vết yêu cầu (SHA-256)"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("mã trạng thái trả lời"))
    response_body = models.JSONField(_("nội dung trả lời"), default=dict)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("khóa chống gửi trùng")
        verbose_name_plural = _("khóa chống gửi trùng")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="dossier_idempotency_user_key")]

    def __str__(self) -> str:
        return self.key
