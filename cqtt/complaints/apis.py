"""The complaints API: intake, the list, a case (redacted; the identity only for the handler with `?reveal=1&reason=`,
logged), one endpoint per action, and who opened the identity. Nothing here ever lists or exports the identity."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from cqtt.core.errors import NotInScope
from cqtt.core.openapi import errors
from cqtt.core.pagination import StandardPagination
from cqtt.core.serializer_fields import BoundedCharField
from cqtt.units.selectors import unit_by_code

from . import rules, selectors, services
from .models import Case, Channel, Kind, Status


def _text(max_length: int, **kwargs) -> BoundedCharField:
    return BoundedCharField(max_length=max_length, **kwargs)


def _not_found():
    return NotFound(_("Không tìm thấy đơn hoặc bạn không có quyền xem."))


@extend_schema_serializer(component_name="ComplaintPerson")
class PersonInput(serializers.Serializer):
    full_name = _text(200, required=False, allow_blank=True, default="")
    id_number = _text(20, required=False, allow_blank=True, default="")
    address = _text(300, required=False, allow_blank=True, default="")
    phone = _text(20, required=False, allow_blank=True, default="")
    email = _text(254, required=False, allow_blank=True, default="")


class CaseInput(serializers.Serializer):
    unit_code = _text(32, error_messages={"required": _("Ghi mã đơn vị nhận đơn.")})
    kind = serializers.ChoiceField(
        choices=Kind.choices,
        error_messages={"invalid_choice": _("Loại đơn phải là complaint, denunciation hoặc petition.")},
    )
    received_on = serializers.DateField(
        error_messages={"invalid": _("Ngày nhận đơn theo dạng YYYY-MM-DD, ví dụ 2026-12-01.")}
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        error_messages={"invalid_choice": _("Hình thức phải là in_person, post, online hoặc transferred.")},
    )
    person = PersonInput(required=False)
    content = _text(services.CONTENT_MAX, error_messages={"required": _("Ghi nội dung đơn.")})
    remote_area = serializers.BooleanField(required=False, default=False)
    complex = serializers.BooleanField(required=False, default=False)
    several_places = serializers.BooleanField(required=False, default=False)
    anonymous = serializers.BooleanField(required=False, default=False)
    decision_known_on = serializers.DateField(required=False, allow_null=True, default=None)
    instance = serializers.ChoiceField(choices=[(1, "1"), (2, "2")], required=False, default=1)


class CaseOutput(serializers.Serializer):
    """A case as the API shows it: the redacted content, deadlines, the rule behind the current one."""

    def to_representation(self, case: Case) -> dict:
        due = services.case_explanation(case)
        return {
            "code": case.code,
            "unit_code": case.unit.code,
            "kind": case.kind,
            "status": case.status,
            "status_label": str(Status(case.status).label),
            "channel": case.channel,
            "received_on": case.received_on.isoformat(),
            "acceptance_due_on": case.acceptance_due_on.isoformat(),
            "forward_due_on": case.forward_due_on.isoformat() if case.forward_due_on else None,
            "accepted_on": case.accepted_on.isoformat() if case.accepted_on else None,
            "resolution_due_on": case.resolution_due_on.isoformat() if case.resolution_due_on else None,
            "closed_on": case.closed_on.isoformat() if case.closed_on else None,
            "on_time": case.on_time,
            "extension_count": case.extension_count,
            "instance": case.instance,
            "remote_area": case.remote_area,
            "complex": case.complex,
            "anonymous": case.anonymous,
            "content": case.content,
            "outcome": case.outcome,
            "decision_number": case.decision_number,
            "target_body": case.target_body,
            "version": case.version,
            "rule": {
                **{k: v for k, v in due.as_dict().items() if k != "days"},
                "text": rules.explanation_text(due),
            },
            "explanation": due.explanation,
            "person": None,
        }


def _case(request, code: str) -> Case:
    try:
        return selectors.case_get_for(user=request.user, code=code)
    except NotInScope:
        raise _not_found() from None


class CaseListCreateApi(APIView):
    pagination_class = StandardPagination

    class FilterSerializer(serializers.Serializer):
        unit = _text(32, required=False)
        kind = serializers.ChoiceField(choices=Kind.choices, required=False)
        status = serializers.ChoiceField(choices=Status.choices, required=False)
        overdue = serializers.BooleanField(required=False, allow_null=True, default=None)

    @extend_schema(
        parameters=[FilterSerializer],
        responses={200: CaseOutput(many=True), **errors(400, 404)},
        operation_id="complaints_list",
        summary="Đơn khiếu nại, tố cáo, kiến nghị của các đơn vị bạn làm việc (bản đã che thông tin cá nhân)",
    )
    def get(self, request):
        f = self.FilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        v = f.validated_data
        unit = None
        if v.get("unit"):
            unit = unit_by_code(code=v["unit"])
            if unit is None or unit not in selectors.case_units(request.user):
                raise NotFound(_("Không tìm thấy đơn vị này trong các đơn vị của bạn."))
        rows = selectors.case_list_for(
            user=request.user, unit=unit, kind=v.get("kind"), status=v.get("status"), overdue=v.get("overdue")
        ).select_related("unit")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response([_list_row(c) for c in page])

    @extend_schema(
        request=CaseInput,
        responses={201: CaseOutput, **errors(400, 403)},
        operation_id="complaints_create",
        summary="Tiếp nhận đơn khiếu nại, tố cáo hoặc kiến nghị",
    )
    def post(self, request):
        data = CaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        unit = unit_by_code(code=v["unit_code"])
        if unit is None:
            return Response(
                {
                    "detail": _("Dữ liệu không hợp lệ."),
                    "errors": {"unit_code": [_("Không tìm thấy đơn vị.")]},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        if not selectors.may_open(request.user) or unit not in selectors.intake_units(request.user):
            raise PermissionDenied(_("Bạn không được tiếp nhận đơn cho đơn vị này."))
        case = services.case_receive(
            actor=request.user,
            unit=unit,
            kind=v["kind"],
            received_on=v["received_on"],
            channel=v["channel"],
            person=v.get("person") or {},
            content=v["content"],
            remote_area=v["remote_area"],
            complex=v["complex"],
            several_places=v["several_places"],
            anonymous=v["anonymous"],
            decision_known_on=v.get("decision_known_on"),
            instance=int(v["instance"]),
        )
        return Response(CaseOutput(case).data, status=status.HTTP_201_CREATED)


def _list_row(case: Case) -> dict:
    return {
        "code": case.code,
        "unit_code": case.unit.code,
        "kind": case.kind,
        "status": case.status,
        "channel": case.channel,
        "received_on": case.received_on.isoformat(),
        "acceptance_due_on": case.acceptance_due_on.isoformat(),
        "resolution_due_on": case.resolution_due_on.isoformat() if case.resolution_due_on else None,
        "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        "on_time": case.on_time,
        "anonymous": case.anonymous,
    }


class CaseDetailApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "reveal", OpenApiTypes.BOOL, description="1: mở thông tin người gửi (chỉ người quản lý)"
            ),
            OpenApiParameter(
                "reason", OpenApiTypes.STR, description="Lý do mở (bắt buộc khi reveal=1, được ghi lại)"
            ),
        ],
        responses={200: CaseOutput, **errors(400, 403, 404)},
        operation_id="complaints_detail",
        summary="Một đơn (bản đã che; thông tin người gửi chỉ khi người quản lý mở, có ghi nhật ký)",
    )
    def get(self, request, code: str):
        case = _case(request, code)
        body = CaseOutput(case).data
        if request.query_params.get("reveal") in ("1", "true"):
            if isinstance(request.successful_authenticator, SessionAuthentication):
                # a GET with the browser's cookie could be a link someone else made: the API reveals to tokens
                raise PermissionDenied(
                    _(
                        "Mở thông tin người gửi qua API cần mã truy cập (Token); trên trang web hãy dùng nút “Mở thông tin”."
                    )
                )
            reason = request.query_params.get("reason", "")
            if "\x00" in reason:
                raise NotFound()
            identity = services.identity_reveal(actor=request.user, case=case, reason=reason[:500], via="api")
            body["person"] = {
                "full_name": identity.full_name,
                "id_number": identity.id_number,
                "address": identity.address,
                "phone": identity.phone,
                "email": identity.email,
                "original_content": identity.original_content,
            }
        return Response(body)


class _CaseVersioned(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=0)


class CaseAcceptInput(_CaseVersioned):
    accepted_on = serializers.DateField(required=False, allow_null=True, default=None)


class CaseReasonInput(_CaseVersioned):
    reason = _text(services.REASON_MAX, required=False, allow_blank=True, default="")


class CaseAssignInput(_CaseVersioned):
    assignee = _text(150, required=False, allow_blank=True, default="")
    handler = _text(150, required=False, allow_blank=True, default="")


class CaseExtendInput(CaseReasonInput):
    decision_number = _text(64, required=False, allow_blank=True, default="")


class CaseConcludeInput(_CaseVersioned):
    outcome = _text(
        services.CONTENT_MAX, error_messages={"required": _("Ghi nội dung quyết định, kết luận.")}
    )
    decision_number = _text(64, required=False, allow_blank=True, default="")
    concluded_on = serializers.DateField(required=False, allow_null=True, default=None)


class CaseTransferInput(CaseReasonInput):
    target_body = _text(300, error_messages={"required": _("Ghi cơ quan có thẩm quyền nhận đơn.")})


ACTIONS = {
    "accept": (CaseAcceptInput, lambda v: {"accepted_on": v.get("accepted_on")}),
    "refuse": (CaseReasonInput, lambda v: {"reason": v["reason"]}),
    "assign": (CaseAssignInput, lambda v: {"assignee": v["assignee"], "handler": v["handler"]}),
    "extend": (CaseExtendInput, lambda v: {"reason": v["reason"], "decision_number": v["decision_number"]}),
    "conclude": (
        CaseConcludeInput,
        lambda v: {
            "outcome": v["outcome"],
            "decision_number": v["decision_number"],
            "concluded_on": v.get("concluded_on"),
        },
    ),
    "withdraw": (CaseReasonInput, lambda v: {"reason": v["reason"]}),
    "transfer": (CaseTransferInput, lambda v: {"target_body": v["target_body"], "reason": v["reason"]}),
}
assert tuple(ACTIONS) == rules.API_ACTIONS


def _action_view(action: str):
    input_serializer, arguments = ACTIONS[action]

    class CaseActionApi(APIView):
        @extend_schema(
            request=input_serializer,
            responses={200: CaseOutput, **errors(400, 403, 404, 409)},
            operation_id=f"complaints_{action}",
            summary=f"Đơn: {action}",
        )
        def post(self, request, code: str):
            case = _case(request, code)
            data = input_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            v = data.validated_data
            case = services.case_act(
                action, actor=request.user, case=case, expected_version=v.get("version"), **arguments(v)
            )
            return Response(CaseOutput(Case.objects.select_related("unit").get(pk=case.pk)).data)

    CaseActionApi.__name__ = f"Case{action.title()}Api"
    return CaseActionApi.as_view()


ACTION_VIEWS = {action: _action_view(action) for action in ACTIONS}


class AccessLogApi(APIView):
    @extend_schema(
        responses={
            200: serializers.ListSerializer(child=serializers.DictField()),
            **errors(403, 404),
        },
        operation_id="complaints_access_log",
        summary="Ai đã mở thông tin người gửi đơn, khi nào, vì sao",
    )
    def get(self, request, code: str):
        case = _case(request, code)
        if not selectors.may_read_access_log(request.user, case):
            raise PermissionDenied(_("Chỉ lãnh đạo đơn vị và thanh tra cấp tỉnh xem được nhật ký này."))
        return Response(
            [
                {
                    "at": timezone.localtime(a.at).isoformat(),
                    "user": a.user.username,
                    "full_name": a.user.full_name,
                    "reason": a.reason,
                    "via": a.via,
                }
                for a in selectors.access_log(case)
            ]
        )
