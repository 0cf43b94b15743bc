"""The surveys' API: the open campaigns of a unit, a campaign's questions and answering it (public, no account,
rate-limited per address in the cache only), and a campaign's counts for the staff."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from cqtt.core.errors import TransitionNotAllowed
from cqtt.core.openapi import errors
from cqtt.core.ratelimit import rate_limited

from . import selectors, services
from .models import Channel, QuestionType

ANSWER_GROUP = "surveys:answer"


def answer_rate() -> str:
    return getattr(settings, "SURVEY_ANSWER_RATE", "30/h")


class AnswerThrottle(BaseThrottle):
    """The client address's budget of answers (shared with the answer page), counted in the cache only."""

    def allow_request(self, request, view):
        return not rate_limited(request, group=ANSWER_GROUP, rate=answer_rate())

    def wait(self):
        return 60


class ChoiceOutput(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


@extend_schema_serializer(component_name="SurveyQuestion")
class QuestionOutput(serializers.Serializer):
    key = serializers.CharField(help_text="mã câu hỏi; câu trả lời của bảng thang đo: <key>.<row>")
    type = serializers.ChoiceField(choices=QuestionType.values)
    label = serializers.CharField()
    hint = serializers.CharField()
    required = serializers.BooleanField()
    relevant = serializers.CharField(help_text="điều kiện hiển thị (XLSForm), rỗng: luôn hiện")
    choices = ChoiceOutput(many=True)
    rows = ChoiceOutput(many=True, help_text="các dòng của bảng thang đo (likert_matrix)")


@extend_schema_serializer(component_name="PublicSurvey")
class SurveyOutput(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    unit = serializers.CharField()
    questions = QuestionOutput(many=True)


def _question(q) -> dict:
    return {
        "key": q.key,
        "type": q.type,
        "label": q.label,
        "hint": q.hint,
        "required": q.required,
        "relevant": q.relevant,
        "choices": [{"value": c["value"], "label": c["label"]} for c in q.choices],
        "rows": [{"value": r["value"], "label": r["label"]} for r in q.rows],
    }


def _public(public_id: str):
    campaign = selectors.campaign_public(public_id=public_id)
    if campaign is None:
        raise NotFound(_("Không tìm thấy đợt khảo sát đang nhận ý kiến với mã này."))
    return campaign


class PublicSurveyListApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    class FilterSerializer(serializers.Serializer):
        unit = serializers.RegexField(
            r"^[0-9A-Za-z.\-]{1,32}$",
            error_messages={
                "invalid": gettext_lazy("Mã đơn vị không hợp lệ."),
                "required": gettext_lazy("Ghi mã đơn vị (unit)."),
            },
        )

    @extend_schema(
        parameters=[FilterSerializer],
        responses={
            200: inline_serializer(
                "PublicSurveyLink",
                {
                    "id": serializers.CharField(),
                    "title": serializers.CharField(),
                    "url": serializers.URLField(),
                },
                many=True,
            ),
            **errors(400),
        },
        operation_id="public_surveys_list",
        summary="Các đợt khảo sát đang nhận ý kiến của một đơn vị",
    )
    def get(self, request):
        f = self.FilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        rows = selectors.campaigns_open_public(unit_code=f.validated_data["unit"])[:100]
        return Response(
            [
                {
                    "id": c.public_id,
                    "title": c.title,
                    "url": request.build_absolute_uri(reverse("surveys:answer", args=[c.public_id])),
                }
                for c in rows
            ]
        )


class PublicSurveyDetailApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        responses={200: SurveyOutput, **errors(404)},
        operation_id="public_surveys_detail",
        summary="Câu hỏi của một đợt khảo sát đang nhận ý kiến",
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)],
    )
    def get(self, request, public_id: str):
        campaign = _public(public_id)
        return Response(
            {
                "id": campaign.public_id,
                "title": campaign.title,
                "description": campaign.form.description,
                "unit": campaign.unit.full_name,
                "questions": [_question(q) for q in selectors.form_rules(campaign.form)],
            }
        )


class AnswersInput(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        allow_empty=False,
        help_text="{mã câu hỏi: giá trị, hoặc danh sách giá trị cho câu chọn nhiều}",
        error_messages={
            "required": gettext_lazy("Gửi các câu trả lời trong trường answers."),
            "not_a_dict": gettext_lazy("Gửi các câu trả lời dạng đối tượng JSON: mã câu hỏi → giá trị."),
            "empty": gettext_lazy("Phiếu chưa có câu trả lời nào."),
        },
    )


class PublicSurveyResponseApi(APIView):
    """An answer, without an account; the address counts against a budget in the cache and is not stored."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnswerThrottle]

    @extend_schema(
        request=AnswersInput,
        responses={
            201: inline_serializer("SurveyAnswered", {"detail": serializers.CharField()}),
            **errors(400, 404, 429),
        },
        operation_id="public_surveys_respond",
        summary="Gửi ý kiến (400 nêu câu hỏi thiếu hoặc sai)",
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)],
    )
    def post(self, request, public_id: str):
        campaign = _public(public_id)
        data = AnswersInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.response_submit(
                campaign=campaign, answers=data.validated_data["answers"], channel=Channel.ONLINE
            )
        except TransitionNotAllowed:
            raise NotFound(_("Không tìm thấy đợt khảo sát đang nhận ý kiến với mã này.")) from None
        return Response({"detail": _("Cảm ơn ông/bà đã góp ý kiến.")}, status=status.HTTP_201_CREATED)


class SurveyResultsApi(APIView):
    @extend_schema(
        responses={
            200: inline_serializer(
                "SurveyResults",
                {
                    "id": serializers.CharField(),
                    "title": serializers.CharField(),
                    "responses": serializers.IntegerField(),
                    "min_cell": serializers.IntegerField(),
                    "questions": serializers.ListField(child=serializers.DictField()),
                },
            ),
            **errors(404),
        },
        operation_id="surveys_results",
        summary="Kết quả theo câu hỏi và phương án (ô dưới 5 phiếu: count = null; mean = null khi có ô ẩn)",
        description="Câu `withheld` (chỉ hỏi một nhóm có thể làm lộ ô ẩn): answered, count, mean đều null.",
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)],
    )
    def get(self, request, public_id: str):
        campaign = selectors.campaign_for(user=request.user, public_id=public_id)
        if campaign is None:
            raise NotFound(_("Không tìm thấy đợt khảo sát hoặc bạn không có quyền xem."))
        return Response(selectors.results_as_data(selectors.campaign_results(campaign)))
