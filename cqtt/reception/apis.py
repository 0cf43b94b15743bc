"""The reception API: the public schedule of a unit (no personal data), the staff's sessions (created published,
under the 5-working-day rule) and the register's visits."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from cqtt.accounts.models import User
from cqtt.core.openapi import errors
from cqtt.core.pagination import StandardPagination
from cqtt.core.ratelimit import rate_limited
from cqtt.core.serializer_fields import BoundedCharField
from cqtt.units.selectors import unit_by_code

from . import selectors, services
from .models import RefusalGround, Session, SessionStatus, Visit, VisitKind, VisitStatus


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def _text(max_length: int, **kwargs) -> BoundedCharField:
    return BoundedCharField(max_length=max_length, **kwargs)


class LookupThrottle(BaseThrottle):
    def allow_request(self, request, view):
        return not rate_limited(request, group="lookup", rate=settings.LOOKUP_RATE)

    def wait(self):
        return 60


def _unit_param(request, name: str = "unit"):
    code = (request.query_params.get(name) or "").strip()
    if not code or len(code) > 32 or "\x00" in code:
        raise serializers.ValidationError({name: [_("Cho biết mã đơn vị (?unit=…).")]})
    return code


@extend_schema_serializer(component_name="PublicReceptionSession")
class PublicSessionOutput(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    previous_starts_at = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    leader = serializers.CharField()
    position = serializers.CharField()
    place = serializers.CharField()
    content = serializers.CharField()
    online = serializers.BooleanField()

    def to_representation(self, s: Session):
        return {
            "starts_at": _iso(s.starts_at),
            "previous_starts_at": _iso(s.previous_starts_at),
            "status": s.status,
            "leader": s.leader.full_name or s.leader.username,
            "position": s.leader.position,
            "place": s.place,
            "content": s.content,
            "online": s.online,
        }


class PublicReceptionApi(APIView):
    """GET: the published schedule of a unit's leaders (postponed sessions with their new expected date)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    pagination_class = StandardPagination

    def get_throttles(self):
        return [LookupThrottle()]

    @extend_schema(
        parameters=[OpenApiParameter("unit", str, required=True, description="mã xã, phường")],
        responses={200: PublicSessionOutput(many=True), **errors(400, 404)},
        operation_id="public_reception_schedule",
        summary="Lịch tiếp công dân đã công bố của một đơn vị",
    )
    def get(self, request):
        unit = selectors.public_unit(code=_unit_param(request))
        if unit is None:
            raise NotFound(_("Không tìm thấy đơn vị với mã này."))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.session_list_public(unit=unit), request, view=self)
        return paginator.get_paginated_response([PublicSessionOutput(s).data for s in page])


@extend_schema_serializer(component_name="ReceptionSession")
class SessionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    unit_code = serializers.CharField()
    leader = serializers.CharField()
    starts_at = serializers.DateTimeField()
    previous_starts_at = serializers.DateTimeField(allow_null=True)
    place = serializers.CharField()
    content = serializers.CharField()
    online = serializers.BooleanField()
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    published_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()

    def to_representation(self, s: Session):
        return {
            "id": s.pk,
            "unit_code": s.unit.code,
            "leader": s.leader.username,
            "starts_at": _iso(s.starts_at),
            "previous_starts_at": _iso(s.previous_starts_at),
            "place": s.place,
            "content": s.content,
            "online": s.online,
            "status": s.status,
            "published_at": _iso(s.published_at),
            "version": s.version,
        }


def _staff_unit(request, code: str):
    unit = unit_by_code(code=code.strip())
    if unit is None or unit not in selectors.reception_units(request.user):
        raise NotFound(_("Không tìm thấy đơn vị này trong các đơn vị của bạn."))
    return unit


class SessionListApi(APIView):
    """GET: the sessions of a unit of yours. POST: a new session, published at once (≥ 5 working days ahead)."""

    pagination_class = StandardPagination

    @extend_schema_serializer(component_name="ReceptionSessionInput")
    class InputSerializer(serializers.Serializer):
        unit_code = _text(32, error_messages={"required": _("Cho biết mã đơn vị (unit_code).")})
        leader = _text(
            150, error_messages={"required": _("Cho biết tên đăng nhập của lãnh đạo tiếp (leader).")}
        )
        starts_at = serializers.DateTimeField(
            error_messages={
                "required": _("Cho biết thời gian tiếp (starts_at)."),
                "invalid": _("Thời gian tiếp không đúng dạng ISO 8601, ví dụ 2026-12-07T08:00:00+07:00."),
            }
        )
        place = _text(300, error_messages={"required": _("Cho biết địa điểm tiếp (place).")})
        content = _text(5000, required=False, allow_blank=True, default="")
        participants = _text(500, required=False, allow_blank=True, default="")
        online = serializers.BooleanField(default=False)

    @extend_schema(
        parameters=[OpenApiParameter("unit", str, required=True, description="mã đơn vị")],
        responses={200: SessionOutput(many=True), **errors(400, 404)},
        operation_id="reception_sessions_list",
        summary="Các buổi tiếp công dân của một đơn vị",
    )
    def get(self, request):
        unit = _staff_unit(request, _unit_param(request))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.session_list_for(user=request.user, unit=unit), request, view=self
        )
        return paginator.get_paginated_response([SessionOutput(s).data for s in page])

    @extend_schema(
        request=InputSerializer,
        responses={201: SessionOutput, **errors(400, 403, 404)},
        operation_id="reception_sessions_create",
        summary="Lập và công bố buổi tiếp công dân (chậm nhất 5 ngày làm việc trước ngày tiếp)",
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        unit = _staff_unit(request, v["unit_code"])
        session = services.session_create(
            actor=request.user,
            unit=unit,
            leader=User.objects.filter(username=v["leader"].strip()).first(),
            starts_at=v["starts_at"],
            place=v["place"],
            content=v["content"],
            participants=v["participants"],
            online=v["online"],
            publish=True,
        )
        return Response(SessionOutput(session).data, status=status.HTTP_201_CREATED)


@extend_schema_serializer(component_name="ReceptionVisit")
class VisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    unit_code = serializers.CharField()
    number = serializers.IntegerField()
    received_on = serializers.DateField()
    person_name = serializers.CharField()
    id_number = serializers.CharField()
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    people = serializers.IntegerField()
    is_group = serializers.BooleanField()
    status = serializers.ChoiceField(choices=VisitStatus.choices)
    answer_due_on = serializers.DateField()
    answered_on = serializers.DateField(allow_null=True)
    answer_kind = serializers.CharField(allow_blank=True)
    on_time = serializers.BooleanField(allow_null=True)
    refusal_ground = serializers.CharField(allow_blank=True)
    refusal_notice_due_on = serializers.DateField(allow_null=True)
    feedback_code = serializers.CharField(allow_blank=True)
    case_code = serializers.CharField(allow_blank=True)

    def to_representation(self, v: Visit):
        full = self.context.get("full", False)
        return {
            "id": v.pk,
            "unit_code": v.unit.code,
            "number": v.number,
            "received_on": v.received_on.isoformat(),
            "person_name": v.person_name,
            "id_number": selectors.shown_id(v.id_number, full),
            "kind": v.kind,
            "people": v.people,
            "is_group": v.is_group,
            "status": v.status,
            "answer_due_on": v.answer_due_on.isoformat(),
            "answered_on": v.answered_on.isoformat() if v.answered_on else None,
            "answer_kind": v.answer_kind,
            "on_time": v.on_time,
            "refusal_ground": v.refusal_ground,
            "refusal_notice_due_on": v.refusal_notice_due_on.isoformat() if v.refusal_notice_due_on else None,
            "feedback_code": v.feedback_code,
            "case_code": v.case_code,
        }


class VisitListApi(APIView):
    """GET: the register of a unit of yours (overdue filter). POST: a new row of the register."""

    pagination_class = StandardPagination

    class FilterSerializer(serializers.Serializer):
        unit = _text(32, error_messages={"required": _("Cho biết mã đơn vị (?unit=…).")})
        kind = serializers.ChoiceField(choices=VisitKind.choices, required=False)
        overdue = serializers.BooleanField(required=False, allow_null=True, default=None)

    @extend_schema_serializer(component_name="ReceptionVisitInput")
    class InputSerializer(serializers.Serializer):
        unit_code = _text(32, error_messages={"required": _("Cho biết mã đơn vị (unit_code).")})
        session_id = serializers.IntegerField(required=False, allow_null=True, default=None)
        received_on = serializers.DateField(required=False, allow_null=True, default=None)
        person_name = _text(200, error_messages={"required": _("Cho biết họ tên người đến (person_name).")})
        address = _text(300, required=False, allow_blank=True, default="")
        id_number = _text(20, required=False, allow_blank=True, default="")
        phone = _text(20, required=False, allow_blank=True, default="")
        content = _text(5000, error_messages={"required": _("Cho biết nội dung vụ việc (content).")})
        kind = serializers.ChoiceField(
            choices=VisitKind.choices,
            error_messages={"invalid_choice": _("Loại đơn: complaint, denunciation, petition hoặc report.")},
        )
        people = serializers.IntegerField(default=1)
        is_group = serializers.BooleanField(default=False)
        representatives = _text(2000, required=False, allow_blank=True, default="")
        handled_before_by = _text(300, required=False, allow_blank=True, default="")
        within_competence = serializers.BooleanField(default=True)
        guidance = _text(2000, required=False, allow_blank=True, default="")
        accepting_body = _text(300, required=False, allow_blank=True, default="")
        follow_up = _text(2000, required=False, allow_blank=True, default="")
        note = _text(2000, required=False, allow_blank=True, default="")
        refusal_ground = serializers.ChoiceField(
            choices=RefusalGround.choices, required=False, allow_blank=True, default=""
        )

    @extend_schema(
        parameters=[FilterSerializer],
        responses={200: VisitOutput(many=True), **errors(400, 404)},
        operation_id="reception_visits_list",
        summary="Sổ tiếp công dân của một đơn vị (lọc quá hạn)",
    )
    def get(self, request):
        f = self.FilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        v = f.validated_data
        unit = _staff_unit(request, v["unit"])
        rows = selectors.visit_list_for(
            user=request.user, unit=unit, kind=v.get("kind"), overdue=v.get("overdue")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        context = {"full": selectors.sees_personal_data(request.user, unit)}
        return paginator.get_paginated_response([VisitOutput(x, context=context).data for x in page])

    @extend_schema(
        request=InputSerializer,
        responses={201: VisitOutput, **errors(400, 403, 404)},
        operation_id="reception_visits_create",
        summary="Ghi một lượt tiếp vào sổ tiếp công dân",
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        unit = _staff_unit(request, v["unit_code"])
        session = None
        if v["session_id"] is not None:
            session = Session.objects.filter(pk=v["session_id"], unit=unit).first()
            if session is None:
                raise serializers.ValidationError({"session_id": [_("Buổi tiếp này không thuộc đơn vị.")]})
        fields = {k: v[k] for k in services.VisitData.__dataclass_fields__ if k in v}
        visit = services.visit_record(
            actor=request.user,
            unit=unit,
            data=services.VisitData(**fields),
            session=session,
            received_on=v["received_on"],
            refusal_ground=v["refusal_ground"],
        )
        context = {"full": selectors.sees_personal_data(request.user, unit)}
        return Response(VisitOutput(visit, context=context).data, status=status.HTTP_201_CREATED)
