"""Surveys of a unit (khảo sát ý kiến): forms built from a few question types, campaigns that run a form in a unit
over a period (before and after the model, the Fatherland Front's twice-yearly survey, after each result), and
the answers, stored without an account, a name (unless the form asks) or an address (ND 61/2018 Art. 27)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.units.models import Unit


class QuestionType(models.TextChoices):
    SELECT_ONE = "select_one", _("Chọn một")
    SELECT_MULTIPLE = "select_multiple", _("Chọn nhiều")
    LIKERT = "likert", _("Thang đo 5 mức")
    LIKERT_MATRIX = "likert_matrix", _("Bảng thang đo 5 mức")
    INTEGER = "integer", _("Số nguyên")
    TEXT = "text", _("Trả lời ngắn")
    TEXTAREA = "textarea", _("Trả lời dài")
    NOTE = "note", _("Đoạn ghi chú")
    SECTION = "section", _("Phần (tiêu đề nhóm câu hỏi)")


CHOICE_TYPES = frozenset({QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE, QuestionType.LIKERT})
ANSWER_TYPES = frozenset(QuestionType.values) - {QuestionType.NOTE, QuestionType.SECTION}


class CampaignKind(models.TextChoices):
    BEFORE_MODEL = "before_model", _("Trước khi thực hiện mô hình")
    AFTER_MODEL = "after_model", _("Sau khi thực hiện mô hình")
    FATHERLAND_FRONT = "fatherland_front", _("MTTQ lấy ý kiến định kỳ")
    AFTER_RESULT = "after_result", _("Sau khi trả kết quả")
    OTHER = "other", _("Khảo sát khác")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa mở")
    OPEN = "open", _("Đang nhận ý kiến")
    CLOSED = "closed", _("Đã kết thúc")


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến (mã QR, đường dẫn)")
    PAPER = "paper", _("Phiếu giấy do cán bộ nhập")


def _public_id() -> str:
    return secrets.token_urlsafe(9)


def new_response_id() -> str:
    """A random id for a response (16 URL-safe characters): the order of the ids says nothing of the answers'."""
    return secrets.token_urlsafe(12)


def _response_id() -> str:  # the field's default, named by migration 0001
    return new_response_id()


class SurveyForm(TimeStampedModel):
    """A questionnaire. Built-in forms (PKS01–PKS07, SIPAS) belong to no unit and are read-only; a unit copies one
    to change it. A form whose campaigns have answers is not changed either (the answers would lose their
    meaning): it is copied."""

    code = models.CharField(_("ký hiệu"), max_length=40)
    title = models.CharField(_("tên biểu mẫu"), max_length=300)
    description = models.TextField(_("lời giới thiệu"), blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    builtin = models.BooleanField(_("mẫu có sẵn"), default=False)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("biểu mẫu khảo sát")
        verbose_name_plural = _("biểu mẫu khảo sát")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], name="survey_builtin_code_once", condition=models.Q(unit__isnull=True)
            ),
            models.UniqueConstraint(fields=["unit", "code"], name="survey_form_code_once_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class Question(models.Model):
    """One item of a form, in order. Choices are `[{value, label}]`; a Likert matrix also has `rows` (the same
    shape) and its answers are stored flattened under `<key>.<row>`. `relevant` is the XLSForm show-if
    expression (the supported subset is in `rules.parse_relevant`)."""

    form = models.ForeignKey(SurveyForm, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("thứ tự"))
    key = models.CharField(_("mã câu hỏi"), max_length=40)
    type = models.CharField(_("loại câu hỏi"), max_length=20, choices=QuestionType.choices)
    label = models.TextField(_("nội dung câu hỏi"))
    hint = models.CharField(_("gợi ý"), max_length=300, blank=True)
    required = models.BooleanField(_("bắt buộc"), default=False)
    relevant = models.CharField(_("chỉ hiện khi"), max_length=300, blank=True)
    choices = models.JSONField(_("lựa chọn"), default=list, blank=True)
    rows = models.JSONField(_("các dòng"), default=list, blank=True)
    min_value = models.IntegerField(_("giá trị nhỏ nhất"), null=True, blank=True)
    max_value = models.IntegerField(_("giá trị lớn nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["form", "position"]
        constraints = [models.UniqueConstraint(fields=["form", "key"], name="survey_question_key_once")]

    def __str__(self) -> str:
        return f"{self.key}: {self.label[:60]}"


class Campaign(TimeStampedModel):
    """A form run in a unit over a period. `public_id` (random, URL-safe) is the id in the public link, the QR
    and the API; the integer pk stays internal (events). `paired_with` is the earlier campaign of the same form
    that this one is compared with (before/after the model)."""

    public_id = models.CharField(_("mã công khai"), max_length=16, unique=True, default=_public_id)
    form = models.ForeignKey(
        SurveyForm, verbose_name=_("biểu mẫu"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại đợt khảo sát"), max_length=20, choices=CampaignKind.choices)
    title = models.CharField(_("tên đợt khảo sát"), max_length=300)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    paired_with = models.ForeignKey(
        "self",
        verbose_name=_("so sánh với đợt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("mở lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đợt khảo sát")
        verbose_name_plural = _("đợt khảo sát")
        indexes = [models.Index(fields=["unit", "status", "-starts_on"], name="survey_campaign_unit_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="survey_period"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Response(models.Model):
    """One filled-in form. No account, name or address of the respondent, and only the day it came in (ND 61
    Art. 27); a paper form keeps the officer who typed it (`entered_by`, never shown with the results). The id is
    random so that the order of the rows says nothing about the order of the answers."""

    id = models.CharField(primary_key=True, max_length=20, default=_response_id, editable=False)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("đợt khảo sát"), on_delete=models.CASCADE, related_name="responses"
    )
    channel = models.CharField(_("hình thức"), max_length=8, choices=Channel.choices)
    submitted_on = models.DateField(_("ngày trả lời"))
    answers = models.JSONField(_("câu trả lời"), default=dict)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ nhập phiếu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    audit_excluded_fields = ("answers",)

    class Meta:
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")
        indexes = [models.Index(fields=["campaign", "submitted_on"], name="survey_response_campaign_idx")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.submitted_on}"
