"""The evaluation API: a unit's TT 01/2018 and QĐ 766 indicators and a province's ranking (staff, scoped), and
a unit's public scorecard. All read the read model only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cqtt.core.openapi import errors
from cqtt.units.models import UnitLevel
from cqtt.units.selectors import unit_by_code

from . import indices, selectors

PERIOD_HELP = "YYYY-MM, YYYY-Qn hoặc YYYY (mặc định: tháng hiện tại)"


def period_from(text: str | None) -> indices.Period:
    """The period of a query parameter (this month when left out), or a 400 in Vietnamese."""
    if not text:
        return indices.month_period(selectors.today())
    try:
        return indices.parse_period(text[:16])
    except indices.PeriodError:
        raise ValidationError(
            {"period": [_("Kỳ đánh giá không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm).")]}
        ) from None


@extend_schema_serializer(component_name="EvaluationTt01Indicator")
class Tt01Output(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    max = serializers.IntegerField()
    dossiers = serializers.IntegerField(allow_null=True)


@extend_schema_serializer(component_name="EvaluationQd766Component")
class ComponentOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    formula = serializers.CharField()
    rate = serializers.FloatField(allow_null=True)
    points = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    has_data = serializers.BooleanField()
    note = serializers.CharField()


@extend_schema_serializer(component_name="EvaluationQd766Group")
class GroupOutput(serializers.Serializer):
    group = serializers.IntegerField()
    name = serializers.CharField()
    points = serializers.FloatField(allow_null=True)
    max = serializers.IntegerField()
    components = ComponentOutput(many=True)


@extend_schema_serializer(component_name="EvaluationIndicators")
class IndicatorsOutput(serializers.Serializer):
    period = serializers.CharField()
    formula_version = serializers.CharField()
    tt01 = Tt01Output(many=True)
    qd766 = GroupOutput(many=True)
    total = serializers.FloatField(allow_null=True)


@extend_schema_serializer(component_name="EvaluationRankingRow")
class RankingOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    unit = serializers.CharField()
    name = serializers.CharField()
    total = serializers.FloatField(allow_null=True)
    tt01_total = serializers.FloatField(allow_null=True)
    tt01_band = serializers.CharField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)
    dossiers_finished = serializers.IntegerField()


@extend_schema_serializer(component_name="EvaluationRanking")
class RankingListOutput(serializers.Serializer):
    period = serializers.CharField()
    formula_version = serializers.CharField()
    province = serializers.CharField()
    communes = RankingOutput(many=True)


@extend_schema_serializer(component_name="PublicUnitScorecard")
class ScorecardOutput(serializers.Serializer):
    period = serializers.CharField()
    on_time_rate = serializers.FloatField(allow_null=True)
    satisfaction_rate = serializers.FloatField(allow_null=True)
    feedback_on_time_rate = serializers.FloatField(allow_null=True)
    letters = serializers.DictField(child=serializers.IntegerField())
    dossiers_finished = serializers.IntegerField()


@extend_schema_serializer(component_name="EvaluationEvidenceRecord")
class EvidenceRecordOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["dossier", "rating", "feedback"])
    id = serializers.IntegerField()
    code = serializers.CharField(allow_null=True)
    value = serializers.JSONField(
        allow_null=True, help_text="thời hạn (dossier), điểm 0–2 (rating), đúng hạn (feedback)"
    )


@extend_schema_serializer(component_name="EvaluationEvidence")
class EvidenceOutput(serializers.Serializer):
    unit = serializers.CharField()
    period = serializers.CharField()
    indicator = serializers.CharField()
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = EvidenceRecordOutput(many=True)


PERIOD = OpenApiParameter("period", str, required=False, description=PERIOD_HELP)


class EvaluationIndicatorsApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, required=True, description="mã đơn vị (tỉnh hoặc xã)"),
            PERIOD,
        ],
        responses={200: IndicatorsOutput, **errors(400, 401, 403, 404)},
        operation_id="evaluation_indicators",
        summary="Chỉ số TT 01/2018 và QĐ 766 (bản tính của nền tảng, qd766-v1) của một đơn vị trong một kỳ",
    )
    def get(self, request):
        period = period_from(request.query_params.get("period"))
        unit = selectors.access_evaluation_unit(
            user=request.user, code=request.query_params.get("unit") or ""
        )
        return Response(IndicatorsOutput(selectors.unit_indicators(unit=unit, period=period)).data)


class EvaluationRankingApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("province", str, required=True, description="mã tỉnh, thành phố"),
            PERIOD,
        ],
        responses={200: RankingListOutput, **errors(400, 401, 403, 404)},
        operation_id="evaluation_ranking",
        summary="Xếp hạng các xã, phường của một tỉnh theo tổng điểm QĐ 766 (qd766-v1)",
    )
    def get(self, request):
        period = period_from(request.query_params.get("period"))
        province = selectors.access_evaluation_unit(
            user=request.user, code=request.query_params.get("province") or ""
        )
        if province.level != UnitLevel.PROVINCE:
            raise NotFound(_("Không tìm thấy tỉnh, thành phố này."))
        rows = selectors.province_ranking(province=province, period=period)
        body = {
            "period": period.label,
            "formula_version": indices.FORMULA_VERSION,
            "province": province.code,
            "communes": rows,
        }
        return Response(RankingListOutput(body).data)


class PublicUnitScorecardApi(APIView):
    """A unit's public scorecard: on-time rate, satisfaction, feedback answered on time, letters by kind."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        parameters=[PERIOD],
        responses={200: ScorecardOutput, **errors(400, 404)},
        operation_id="public_unit_scorecard",
        summary="Bảng kết quả phục vụ công khai của một đơn vị trong một kỳ",
    )
    def get(self, request, code: str):
        unit = unit_by_code(code=code[:32])
        if unit is None or not unit.is_active or unit.level not in (UnitLevel.COMMUNE, UnitLevel.PROVINCE):
            raise NotFound(_("Không tìm thấy đơn vị này."))
        period = period_from(request.query_params.get("period"))
        return Response(ScorecardOutput(selectors.unit_scorecard(unit, period)).data)


class EvaluationEvidenceApi(APIView):
    """The drill-down: the dossiers, ratings or feedback behind one indicator (codes only, no personal data)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, required=True, description="mã đơn vị (tỉnh hoặc xã)"),
            OpenApiParameter(
                "indicator", str, required=True, description="chỉ số: " + ", ".join(selectors.EVIDENCE)
            ),
            PERIOD,
            OpenApiParameter("page", str, required=False, description="trang (50 bản ghi một trang)"),
        ],
        responses={200: EvidenceOutput, **errors(400, 401, 403, 404)},
        operation_id="evaluation_evidence",
        summary="Các hồ sơ, lượt đánh giá, phản ánh đứng sau một chỉ số của một đơn vị trong một kỳ",
    )
    def get(self, request):
        period = period_from(request.query_params.get("period"))
        indicator = (request.query_params.get("indicator") or "").strip()[:8]
        if indicator not in selectors.EVIDENCE:
            raise ValidationError(
                {
                    "indicator": [
                        _("Chỉ số không có phần chi tiết; dùng một trong: %(l)s.")
                        % {"l": ", ".join(selectors.EVIDENCE)}
                    ]
                }
            )
        page = request.query_params.get("page") or "1"
        if not (page.isascii() and page.isdigit() and 0 < len(page) < 7):
            raise ValidationError({"page": [_("Số trang không hợp lệ.")]})
        unit = selectors.access_evaluation_unit(
            user=request.user, code=request.query_params.get("unit") or ""
        )
        found = selectors.indicator_evidence(
            user=request.user, unit=unit, period=period, indicator=indicator, page=int(page)
        )
        body = {"unit": unit.code, "period": period.label, "indicator": indicator, **found}
        return Response(EvidenceOutput(body).data)
