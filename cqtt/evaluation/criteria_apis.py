"""The criteria's JSON endpoints under /api/v1/evaluation/criteria/ (staff, session or token): a province's
roll-out targets with their progress, outreach sessions counted per unit and year, and one unit's assessment."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from cqtt.core.errors import NotInScope
from cqtt.core.openapi import errors

from . import criteria_selectors as selectors


def _points(value) -> float | None:
    return None if value is None else float(value)


class CriteriaTargetListApi(APIView):
    @extend_schema(
        responses={
            200: inline_serializer(
                "CriteriaTargetList",
                {
                    "province": serializers.CharField(),
                    "targets": inline_serializer(
                        "CriteriaTarget",
                        {
                            "id": serializers.IntegerField(),
                            "name": serializers.CharField(),
                            "due_on": serializers.DateField(),
                            "percent": serializers.IntegerField(allow_null=True),
                            "count": serializers.IntegerField(allow_null=True),
                            "wanted": serializers.IntegerField(),
                            "recognised": serializers.IntegerField(),
                            "progress": serializers.FloatField(allow_null=True),
                            "met": serializers.BooleanField(),
                            "overdue": serializers.BooleanField(),
                        },
                        many=True,
                    ),
                },
            ),
            **errors(404),
        },
        operation_id="evaluation_criteria_targets",
        summary="Chỉ tiêu nhân rộng mô hình của tỉnh và tiến độ (số đơn vị đã công nhận ÷ số cần đạt, từ 0 đến 1)",
        parameters=[
            OpenApiParameter("province", str, description="Mã tỉnh; bỏ trống: tỉnh đầu tiên của bạn")
        ],
    )
    def get(self, request):
        try:
            province = selectors.access_province(user=request.user, code=request.query_params.get("province"))
        except NotInScope as missing:
            raise NotFound(str(missing)) from None
        rows = selectors.targets_progress(province=province)
        return Response(
            {
                "province": province.code,
                "targets": [
                    {
                        "id": r.target.pk,
                        "name": r.target.name,
                        "due_on": r.target.due_on.isoformat(),
                        "percent": r.target.percent,
                        "count": r.target.count,
                        "wanted": r.progress.wanted,
                        "recognised": r.progress.recognised,
                        "progress": r.progress.fraction,
                        "met": r.progress.met,
                        "overdue": r.overdue,
                    }
                    for r in rows
                ],
            }
        )


class CriteriaOutreachCountsApi(APIView):
    @extend_schema(
        responses={
            200: inline_serializer(
                "CriteriaOutreachCount",
                {
                    "unit": serializers.CharField(),
                    "unit_name": serializers.CharField(),
                    "year": serializers.IntegerField(),
                    "sessions": serializers.IntegerField(),
                    "attendees": serializers.IntegerField(),
                },
                many=True,
            ),
        },
        operation_id="evaluation_criteria_outreach",
        summary="Số buổi tuyên truyền và số người tham dự theo đơn vị và năm (các đơn vị bạn xem được)",
    )
    def get(self, request):
        return Response(selectors.outreach_counts(user=request.user))


class CriteriaAssessmentDetailApi(APIView):
    @extend_schema(
        responses={
            200: inline_serializer(
                "CriteriaAssessment",
                {
                    "id": serializers.IntegerField(),
                    "cycle": serializers.CharField(),
                    "unit": serializers.CharField(),
                    "status": serializers.CharField(),
                    "self_total": serializers.FloatField(allow_null=True),
                    "inspection_total": serializers.FloatField(allow_null=True),
                    "pass_mark": serializers.FloatField(),
                    "decision_number": serializers.CharField(),
                    "decision_date": serializers.DateField(allow_null=True),
                    "actions": serializers.ListField(child=serializers.CharField()),
                    "criteria": inline_serializer(
                        "CriteriaAssessmentScore",
                        {
                            "code": serializers.CharField(),
                            "weight": serializers.FloatField(),
                            "kind": serializers.CharField(),
                            "auto_value": serializers.FloatField(allow_null=True),
                            "self_score": serializers.FloatField(allow_null=True),
                            "inspection_score": serializers.FloatField(allow_null=True),
                            "evidence": serializers.IntegerField(),
                        },
                        many=True,
                    ),
                },
            ),
            **errors(404),
        },
        operation_id="evaluation_criteria_assessment",
        summary="Kết quả tự đánh giá và kiểm tra của một đơn vị trong một đợt",
        parameters=[OpenApiParameter("pk", str, OpenApiParameter.PATH, description="Mã số kết quả đánh giá")],
    )
    def get(self, request, pk: int):
        try:
            a = selectors.access_assessment(user=request.user, pk=pk)
        except NotInScope:
            raise NotFound(_("Không tìm thấy kết quả đánh giá hoặc bạn không có quyền xem.")) from None
        return Response(
            {
                "id": a.pk,
                "cycle": a.cycle.name,
                "unit": a.unit.code,
                "status": a.status,
                "self_total": _points(a.self_total),
                "inspection_total": _points(a.inspection_total),
                "pass_mark": float(a.cycle.criteria_set.pass_mark),
                "decision_number": a.decision_number,
                "decision_date": a.decision_date.isoformat() if a.decision_date else None,
                "actions": [t.action for t in selectors.assessment_actions(request.user, a)],
                "criteria": [
                    {
                        "code": r["criterion"].code,
                        "weight": float(r["criterion"].weight),
                        "kind": r["criterion"].kind,
                        "auto_value": r["score"].auto_value,
                        "self_score": _points(r["score"].self_score),
                        "inspection_score": _points(r["score"].inspection_score),
                        "evidence": len(r["evidence"]),
                    }
                    for r in selectors.assessment_rows(a)
                ],
            }
        )


__all__ = ["CriteriaAssessmentDetailApi", "CriteriaOutreachCountsApi", "CriteriaTargetListApi"]
