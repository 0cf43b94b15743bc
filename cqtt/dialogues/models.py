"""Dialogues of a unit's People's Committee with its citizens (đối thoại với Nhân dân — Luật Thực hiện dân chủ
ở cơ sở 2022): the sessions (annual with the Fatherland Front, periodic, youth, thematic), the questions collected
beforehand (the public form, the feedback inbox, the floor), the minutes, and the commitments made there, tracked
as tasks with a working-day due date and reported back publicly."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.units.models import Unit


class Kind(models.TextChoices):
    ANNUAL_FRONT = "annual_front", _("Đối thoại định kỳ hằng năm với Mặt trận Tổ quốc")
    PERIODIC = "periodic", _("Đối thoại định kỳ theo quy chế của đơn vị")
    YOUTH = "youth", _("Đối thoại với thanh niên")
    THEMATIC = "thematic", _("Đối thoại chuyên đề, đột xuất")


class Status(models.TextChoices):
    PLANNED = "planned", _("Dự kiến")
    ANNOUNCED = "announced", _("Đã thông báo")
    HELD = "held", _("Đã tổ chức")
    MINUTES_PUBLISHED = "minutes_published", _("Đã công khai biên bản")
    CANCELLED = "cancelled", _("Đã hủy")


PUBLIC_STATUSES = (Status.ANNOUNCED, Status.HELD, Status.MINUTES_PUBLISHED)
HELD_STATUSES = frozenset({Status.HELD, Status.MINUTES_PUBLISHED})


class QuestionSource(models.TextChoices):
    WEB = "web", _("Gửi qua cổng thông tin")
    FEEDBACK = "feedback", _("Từ hộp phản ánh, kiến nghị")
    FLOOR = "floor", _("Nêu tại buổi đối thoại")


class QuestionStatus(models.TextChoices):
    RECEIVED = "received", _("Mới nhận")
    ACCEPTED = "accepted", _("Đưa vào đối thoại")
    MERGED = "merged", _("Gộp với câu hỏi khác")
    REJECTED = "rejected", _("Không đưa vào")
    ANSWERED = "answered", _("Đã trả lời")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    DONE = "done", _("Đã thực hiện")
    DROPPED = "dropped", _("Không thực hiện")


def new_code() -> str:
    """DT-XXXXX-XXXXX in Crockford's base32 (no I, L, O, U): short to read out, not a count of dialogues."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _i in range(10))
    return f"DT-{raw[:5]}-{raw[5:]}"


class Dialogue(TimeStampedModel):
    code = models.CharField(
        _("mã buổi đối thoại"), max_length=20, unique=True, default=new_code, editable=False
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("hình thức"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    topic = models.CharField(_("chủ đề"), max_length=300)
    starts_at = models.DateTimeField(_("thời gian"))
    place = models.CharField(_("địa điểm"), max_length=300)
    chair = models.CharField(_("người chủ trì"), max_length=200)
    co_organiser = models.CharField(_("đơn vị phối hợp"), max_length=200, blank=True)
    announced_at = models.DateTimeField(_("thông báo lúc"), null=True, blank=True)
    attendees = models.PositiveIntegerField(_("số người tham dự"), null=True, blank=True)
    summary = models.TextField(_("tóm tắt biên bản"), blank=True)
    minutes_published_at = models.DateTimeField(_("công khai biên bản lúc"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("buổi đối thoại")
        verbose_name_plural = _("buổi đối thoại")
        indexes = [models.Index(fields=["unit", "-starts_at"], name="dialogue_unit_starts_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.topic}"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def was_held(self) -> bool:
        return self.status in HELD_STATUSES


class Question(TimeStampedModel):
    """A question or proposal for a dialogue: sent through the portal, pulled from the feedback inbox (linked by
    the item's code) or raised at the meeting; moderated, then answered there."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("buổi đối thoại"), on_delete=models.CASCADE, related_name="questions"
    )
    source = models.CharField(_("nguồn"), max_length=12, choices=QuestionSource.choices)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=QuestionStatus.choices, default=QuestionStatus.RECEIVED
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    text = models.TextField(_("nội dung câu hỏi"))
    asker_name = models.CharField(_("họ tên người hỏi"), max_length=200, blank=True)
    asker_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    feedback_code = models.CharField(_("mã phản ánh"), max_length=20, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("gộp vào"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("lý do không đưa vào"), blank=True)
    answer = models.TextField(_("trả lời tại buổi đối thoại"), blank=True)
    answered_by = models.CharField(_("người trả lời"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"))

    audit_masked_fields = ("asker_name", "asker_phone")

    class Meta:
        verbose_name = _("câu hỏi đối thoại")
        verbose_name_plural = _("câu hỏi đối thoại")
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "feedback_code"],
                name="dialogue_feedback_once",
                condition=~models.Q(feedback_code=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.dialogue_id} #{self.pk}"


class Commitment(TimeStampedModel):
    """A commitment made at a dialogue: a task with an owner and a due date in working days from the dialogue's
    date. Overdue is computed (open after its due date); kept on time = done on or before the due date."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("buổi đối thoại"), on_delete=models.CASCADE, related_name="commitments"
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("câu hỏi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    text = models.TextField(_("nội dung cam kết"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chịu trách nhiệm"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_days = models.PositiveSmallIntegerField(_("số ngày làm việc"), null=True, blank=True)
    due_date = models.DateField(_("hạn thực hiện"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    evidence = models.TextField(_("kết quả, minh chứng"), blank=True)
    reason = models.TextField(_("lý do không thực hiện"), blank=True)

    class Meta:
        verbose_name = _("cam kết tại đối thoại")
        verbose_name_plural = _("cam kết tại đối thoại")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="dialogue_commitment_due_idx")]

    def __str__(self) -> str:
        return f"{self.dialogue_id} #{self.pk}"


class DialogueEvent(models.Model):
    """Every change of a dialogue, of its questions and of its commitments: what, who, when."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="events")
    target = models.CharField(max_length=12)  # "dialogue", "question", "commitment"
    target_id = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["dialogue", "at"], name="dialogue_event_idx")]

    def __str__(self) -> str:
        return f"{self.target} {self.target_id} {self.action}"
