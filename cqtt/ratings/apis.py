"""The ratings' API: a citizen's rating by the dossier's token (public) and the unit's summary (scoped)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import user_roles_in
from cqtt.core.openapi import errors
from cqtt.core.ratelimit import client_ip, rate_limited
from cqtt.core.serializer_fields import BoundedCharField, BoundedListField
from cqtt.units.models import Unit

from . import rules, selectors, services
from .models import Level, RatingChannel

SUMMARY_ROLES = frozenset({Role.LEADER, Role.UNIT_ADMIN, Role.PROVINCIAL_SUPERVISOR, Role.OBSERVER})
OFFICER_ROLES = frozenset({Role.LEADER, Role.UNIT_ADMIN, Role.PROVINCIAL_SUPERVISOR})


class RatingThrottle(BaseThrottle):
    def allow_request(self, request, view):
        return not rate_limited(request, group="rating-link", rate="60/h")

    def wait(self):
        return 600


class RatingInput(serializers.Serializer):
    token = BoundedCharField(max_length=32)
    level = BoundedCharField(max_length=20, help_text=", ".join(Level.values))
    reasons = BoundedListField(child=BoundedCharField(max_length=40), max_length=20, required=False)
    comment = BoundedCharField(max_length=rules.COMMENT_MAX, required=False, allow_blank=True)
    contacts = serializers.IntegerField(min_value=0, max_value=20, required=False, allow_null=True)
    bodies = serializers.IntegerField(min_value=0, max_value=20, required=False, allow_null=True)


class RatingOutput(serializers.Serializer):
    dossier = serializers.CharField()
    level = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    rated_at = serializers.DateTimeField()


class PublicRatingApi(APIView):
    """A citizen rates a dossier by its token: 201; the same dossier again by any channel 409."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [RatingThrottle]

    @extend_schema(
        request=RatingInput,
        responses={201: RatingOutput, **errors(400, 404, 409)},
        operation_id="public_rating_create",
        summary="Đánh giá mức độ hài lòng về hồ sơ",
    )
    def post(self, request):
        data = RatingInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        dossier = selectors.dossier_by_token(v["token"])
        if dossier is None:
            raise NotFound(_("Không tìm thấy hồ sơ của mã đánh giá này."))
        rating, _created = services.rating_submit(
            dossier=dossier,
            level=v["level"],
            reasons=v.get("reasons") or [],
            comment=v.get("comment") or "",
            contacts=v.get("contacts"),
            bodies=v.get("bodies"),
            channel=RatingChannel.WEB,
            source=services.source_of_address(client_ip(request)),
        )
        return Response(
            {
                "dossier": dossier.code,
                "level": rating.level,
                "reasons": rating.reasons,
                "rated_at": rating.rated_at.isoformat(),
            },
            status=201,
        )


class SummaryFilter(serializers.Serializer):
    unit = BoundedCharField(max_length=20)
    period = serializers.RegexField(
        rules.PERIOD.pattern,
        max_length=7,
        error_messages={
            "invalid": _("Kỳ có dạng YYYY-MM (tháng) hoặc YYYY-Qn (quý), ví dụ 2026-11 hoặc 2026-Q4.")
        },
    )


class OfficerOutput(serializers.Serializer):
    username = serializers.CharField()
    count = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True)


class SummaryOutput(serializers.Serializer):
    count = serializers.IntegerField()
    by_level = serializers.DictField(child=serializers.IntegerField())
    satisfaction_rate = serializers.FloatField(
        allow_null=True, help_text="phần trăm hài lòng và rất hài lòng"
    )
    by_officer = OfficerOutput(many=True)


class RatingSummaryApi(APIView):
    """Counted ratings of a unit (and the units under it) in a month or a quarter."""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, required=True, description="mã đơn vị"),
            OpenApiParameter("period", str, required=True, description="YYYY-MM hoặc YYYY-Qn"),
        ],
        responses={200: SummaryOutput, **errors(400, 404)},
        operation_id="ratings_summary",
        summary="Tổng hợp đánh giá của đơn vị theo tháng hoặc quý",
    )
    def get(self, request):
        f = SummaryFilter(data=request.query_params)
        f.is_valid(raise_exception=True)
        unit = Unit.objects.filter(code=f.validated_data["unit"]).first()
        if unit is None or not (user_roles_in(request.user, unit) & SUMMARY_ROLES):
            raise NotFound(_("Không tìm thấy đơn vị này trong các đơn vị của bạn."))
        start, end = rules.parse_period(f.validated_data["period"])
        answer = selectors.summary(unit=unit, start=start, end=end)
        if not (user_roles_in(request.user, unit) & OFFICER_ROLES):
            answer[
                "by_officer"
            ] = []  # the Fatherland Front observer reads the unit's figures, not its officers'
        return Response(answer)
