"""The feedback API: the public submission, lookup, published answers and reactions; the staff list and one
endpoint per action; the Zalo OA and Facebook Messenger webhooks."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from cqtt.core.errors import NotInScope
from cqtt.core.openapi import errors
from cqtt.core.pagination import StandardPagination
from cqtt.core.ratelimit import client_ip, rate_limited
from cqtt.core.serializer_fields import BoundedCharField
from cqtt.units.selectors import unit_by_code

from . import channels, rules, selectors, services
from .models import PUBLIC_KIND_CHOICES, Channel, FeedbackItem, Kind, Status

log = logging.getLogger(__name__)


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


class SubmitThrottle(BaseThrottle):
    """The client address's budget of submissions, shared with the form (`FEEDBACK_SUBMIT_RATE`)."""

    def allow_request(self, request, view):
        return not rate_limited(request, group="feedback:submit", rate=settings.FEEDBACK_SUBMIT_RATE)

    def wait(self):
        return 60


class LookupThrottle(BaseThrottle):
    def allow_request(self, request, view):
        return not rate_limited(request, group="lookup", rate=settings.LOOKUP_RATE)

    def wait(self):
        return 60


def _text(max_length: int, **kwargs) -> BoundedCharField:
    return BoundedCharField(max_length=max_length, **kwargs)


# --- public ------------------------------------------------------------------------------------------------


class PublicFeedbackApi(APIView):
    """POST: a citizen's feedback (no account; anonymous allowed). GET: the published answers of a unit."""

    pagination_class = StandardPagination
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get_throttles(self):
        return [SubmitThrottle()] if self.request.method == "POST" else [LookupThrottle()]

    @extend_schema_serializer(component_name="PublicFeedbackInput")
    class InputSerializer(serializers.Serializer):
        unit_code = _text(32, error_messages={"required": _("Chọn xã, phường nhận phản ánh.")})
        kind = serializers.ChoiceField(
            choices=PUBLIC_KIND_CHOICES,
            error_messages={
                "invalid_choice": _(
                    "Loại không hợp lệ: report, recommendation, suggestion, "
                    "commendation, official_conduct hoặc regulation."
                )
            },
        )
        content = _text(services.CONTENT_MAX, error_messages={"blank": _("Vui lòng nhập nội dung phản ánh.")})
        name = _text(200, required=False, allow_blank=True, default="")
        phone = _text(20, required=False, allow_blank=True, default="")
        email = _text(254, required=False, allow_blank=True, default="")
        address = _text(300, required=False, allow_blank=True, default="")
        publish_consent = serializers.BooleanField(default=False)

    @extend_schema_serializer(component_name="PublicFeedbackCreated")
    class CreatedSerializer(serializers.Serializer):
        code = serializers.CharField()
        lookup_url = serializers.URLField()

    @extend_schema_serializer(component_name="PublishedFeedback")
    class PublishedSerializer(serializers.Serializer):
        code = serializers.CharField()
        kind = serializers.ChoiceField(choices=Kind.choices)
        content = serializers.CharField()
        answer = serializers.CharField()
        published_at = serializers.DateTimeField()
        likes = serializers.IntegerField()
        dislikes = serializers.IntegerField()

    @extend_schema(
        request=InputSerializer,
        responses={201: CreatedSerializer, **errors(400)},
        operation_id="public_feedback_submit",
        summary="Gửi phản ánh, kiến nghị, góp ý (không cần tài khoản)",
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        item = services.feedback_submit(
            unit=unit_by_code(code=v["unit_code"].strip()),
            kind=v["kind"],
            content=v["content"],
            channel=Channel.WEB,
            sender=services.SenderData(
                name=v["name"], phone=v["phone"], email=v["email"], address=v["address"]
            ),
            publish_consent=v["publish_consent"],
            client_address=client_ip(request),
        )
        body = {"code": item.code, "lookup_url": request.build_absolute_uri(_status_path(item))}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("unit", str, required=True, description="mã xã, phường")],
        responses={200: PublishedSerializer(many=True), **errors(400, 404)},
        operation_id="public_feedback_published",
        summary="Các câu trả lời đã công khai của một đơn vị",
    )
    def get(self, request):
        code = (request.query_params.get("unit") or "").strip()
        if not code or len(code) > 32 or "\x00" in code:
            raise serializers.ValidationError({"unit": [_("Cho biết mã đơn vị (?unit=…).")]})
        unit = unit_by_code(code=code)
        if unit is None:
            raise NotFound(_("Không tìm thấy đơn vị với mã này."))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.feedback_list_public(unit=unit), request, view=self)
        rows = [
            {
                "code": x.code,
                "kind": x.kind,
                "content": x.public_content,
                "answer": x.public_answer,
                "published_at": _iso(x.published_at),
                "likes": x.likes,
                "dislikes": x.dislikes,
            }
            for x in page
        ]
        return paginator.get_paginated_response(rows)


def _status_path(item: FeedbackItem) -> str:
    from django.urls import reverse

    return reverse("feedback:status", args=[item.code])


def public_answer(item: FeedbackItem) -> str | None:
    """What the citizen's lookup shows as the answer: the published text, else the private answer (the code is
    the sender's key) with personal data taken out all the same — a code may be passed on — and nothing while
    there is none (or while a reopened item is handled again)."""
    if item.status == Status.PUBLISHED:
        return item.public_answer
    if item.status == Status.ANSWERED and item.answer:
        return public_text(item, item.answer)
    return None


def public_text(item: FeedbackItem, text: str) -> str:
    return rules.redact(text, item.sender_name, item.sender_address)


class PublicFeedbackDetailApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LookupThrottle]

    @extend_schema(
        responses={
            200: inline_serializer(
                "PublicFeedbackStatus",
                {
                    "status": serializers.ChoiceField(choices=Status.choices),
                    "status_label": serializers.CharField(),
                    "due_at": serializers.DateTimeField(),
                    "answer": serializers.CharField(required=False),
                    "answered_at": serializers.DateTimeField(required=False),
                    "reason": serializers.CharField(required=False),
                },
            ),
            **errors(404),
        },
        operation_id="public_feedback_lookup",
        summary="Tình trạng một phản ánh theo mã (không có thông tin cá nhân)",
    )
    def get(self, request, code: str):
        item = selectors.feedback_public_by_code(code=code)
        if item is None:
            raise NotFound(_("Không tìm thấy phản ánh với mã này."))
        body = {
            "status": item.status,
            "status_label": str(item.get_status_display()),
            "due_at": _iso(item.due_at),
        }
        answer = public_answer(item)
        if answer:
            body["answer"] = answer
            body["answered_at"] = _iso(item.answered_at)
        if item.status in (Status.REFUSED, Status.SUPPLEMENT_REQUESTED) and item.reason:
            body["reason"] = public_text(item, item.reason)
        return Response(body)


class PublicReactionApi(APIView):
    """Like or dislike a published answer (QĐ 766 indicator 5.3), once per client address."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LookupThrottle]

    @extend_schema_serializer(component_name="FeedbackReactionInput")
    class InputSerializer(serializers.Serializer):
        value = serializers.ChoiceField(
            choices=["like", "dislike"], error_messages={"invalid_choice": _("Chọn like hoặc dislike.")}
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            200: inline_serializer(
                "FeedbackReactionCounts",
                {"likes": serializers.IntegerField(), "dislikes": serializers.IntegerField()},
            ),
            **errors(404, 409),
        },
        operation_id="public_feedback_react",
    )
    def post(self, request, code: str):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = selectors.feedback_public_by_code(code=code)
        if item is None:
            raise NotFound(_("Không tìm thấy phản ánh với mã này."))
        item = services.feedback_react(
            item=item,
            voter=channels.address_voter_key(request),
            value=1 if data.validated_data["value"] == "like" else -1,
        )
        return Response({"likes": item.likes, "dislikes": item.dislikes})


# --- staff -------------------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="FeedbackItem")
class FeedbackOutput(serializers.Serializer):
    code = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    overdue = serializers.BooleanField()
    subject = serializers.CharField()
    content = serializers.CharField()
    assignee = serializers.CharField(allow_null=True)
    department = serializers.CharField(allow_null=True)
    duplicate_of = serializers.CharField(allow_null=True)
    answer = serializers.CharField(allow_null=True)
    version = serializers.IntegerField()

    def to_representation(self, x):
        return {
            "code": x.code,
            "unit": x.unit.code,
            "kind": x.kind,
            "channel": x.channel,
            "status": x.status,
            "received_at": _iso(x.received_at),
            "due_at": _iso(x.due_at),
            "overdue": x.is_open and x.due_at < _now(),
            "subject": x.subject,
            "content": x.content,
            "assignee": x.assignee.username if x.assignee_id else None,
            "department": x.department.code if x.department_id else None,
            "duplicate_of": x.duplicate_of.code if x.duplicate_of_id else None,
            "answer": x.answer or None,
            "version": x.version,
        }


def _now():
    return timezone.now()


class FeedbackListApi(APIView):
    pagination_class = StandardPagination

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Status.choices, required=False)
        kind = serializers.ChoiceField(choices=Kind.choices, required=False)
        channel = serializers.ChoiceField(choices=Channel.choices, required=False)
        overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
        unit = _text(32, required=False)

    @extend_schema(
        parameters=[FilterSerializer],
        responses={200: FeedbackOutput(many=True), **errors(400, 404)},
        operation_id="feedback_list",
        summary="Phản ánh, kiến nghị của các đơn vị bạn làm việc (lọc theo trạng thái, quá hạn)",
    )
    def get(self, request):
        f = self.FilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        v = f.validated_data
        unit = None
        if v.get("unit"):
            unit = unit_by_code(code=v["unit"])
            if unit is None or not selectors.reaches(request.user, unit):
                raise NotFound(_("Không tìm thấy đơn vị này trong các đơn vị của bạn."))
        rows = selectors.feedback_list_for(
            user=request.user,
            unit=unit,
            status=v.get("status"),
            kind=v.get("kind"),
            channel=v.get("channel"),
            overdue=v.get("overdue"),
        ).select_related("duplicate_of")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response([FeedbackOutput(x).data for x in page])


class _Versioned(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=0)


@extend_schema_serializer(component_name="FeedbackAssignInput")
class AssignInput(_Versioned):
    department = _text(32, required=False, allow_blank=True, default="")
    officer = _text(150, required=False, allow_blank=True, default="")
    note = _text(500, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="FeedbackAnswerInput")
class AnswerInput(_Versioned):
    answer = _text(services.CONTENT_MAX, error_messages={"required": _("Nhập nội dung trả lời.")})
    publish = serializers.BooleanField(default=False)


@extend_schema_serializer(component_name="FeedbackTransferInput")
class TransferInput(_Versioned):
    unit_code = _text(32, error_messages={"required": _("Chọn đơn vị nhận chuyển.")})
    reason = _text(services.REASON_MAX, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="FeedbackReasonInput")
class ReasonInput(_Versioned):
    reason = _text(services.REASON_MAX, error_messages={"required": _("Ghi lý do.")})


@extend_schema_serializer(component_name="FeedbackMoveInput")
class MoveInput(_Versioned):
    track = serializers.ChoiceField(choices=["complaint", "denunciation"])
    reason = _text(services.REASON_MAX, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="FeedbackPublishInput")
class PublishInput(_Versioned):
    public_content = _text(services.CONTENT_MAX * 2, required=False, allow_blank=True, default="")
    public_answer = _text(services.CONTENT_MAX, required=False, allow_blank=True, default="")


def _assign_args(v: dict, item: FeedbackItem) -> dict:
    from cqtt.accounts.selectors import active_user_by_username

    department = assignee = None
    if v["department"]:
        department = unit_by_code(code=v["department"])
        if department is None:
            raise serializers.ValidationError({"department": [_("Không tìm thấy phòng, ban này.")]})
    if v["officer"]:
        assignee = active_user_by_username(username=v["officer"])
        if assignee is None:
            raise serializers.ValidationError({"officer": [_("Không tìm thấy cán bộ này.")]})
    return {"department": department, "assignee": assignee, "note": v["note"]}


ACTIONS = {
    "assign": (AssignInput, _assign_args),
    "answer": (AnswerInput, lambda v, item: {"answer": v["answer"], "publish": v["publish"]}),
    "transfer": (TransferInput, lambda v, item: {"unit_code": v["unit_code"], "reason": v["reason"]}),
    "refuse": (ReasonInput, lambda v, item: {"reason": v["reason"]}),
    "request_supplement": (ReasonInput, lambda v, item: {"reason": v["reason"]}),
    "reopen": (ReasonInput, lambda v, item: {"reason": v["reason"]}),
    "move_to_complaints": (MoveInput, lambda v, item: {"track": v["track"], "reason": v["reason"]}),
    "publish": (
        PublishInput,
        lambda v, item: {
            "public_content": v["public_content"] or None,
            "public_answer": v["public_answer"] or None,
        },
    ),
}


def _action_view(action: str):
    input_serializer, arguments = ACTIONS[action]

    class FeedbackActionApi(APIView):
        @extend_schema(
            request=input_serializer,
            responses={200: FeedbackOutput, **errors(403, 409)},
            operation_id=f"feedback_{action}",
            summary=f"Phản ánh: {action}",
        )
        def post(self, request, code: str):
            try:
                item = selectors.access_feedback(user=request.user, code=code)
            except NotInScope:
                raise NotFound(_("Không tìm thấy phản ánh hoặc bạn không có quyền xem.")) from None
            data = input_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            v = data.validated_data
            item = services.feedback_act(
                action, actor=request.user, item=item, expected_version=v.get("version"), **arguments(v, item)
            )
            item = FeedbackItem.objects.select_related("unit", "assignee", "department", "duplicate_of").get(
                pk=item.pk
            )
            return Response(FeedbackOutput(item).data)

    FeedbackActionApi.__name__ = f"Feedback{action.title().replace('_', '')}Api"
    return FeedbackActionApi.as_view()


ACTION_VIEWS = {action: _action_view(action) for action in ACTIONS}


# --- webhooks ----------------------------------------------------------------------------------------------


class ZaloWebhookApi(APIView):
    """Zalo OA: a follower's text message becomes a feedback item of the OA's unit (once per `msg_id`). Signed
    by Zalo (`X-ZEvent-Signature: mac=…`, FEEDBACK_ZALO_APP_ID / FEEDBACK_ZALO_OA_SECRET); anything unsigned or
    wrongly signed is 404."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=inline_serializer("ZaloOaEvent", {"event_name": serializers.CharField()}),
        responses={
            200: inline_serializer("ZaloOaAnswer", {"code": serializers.CharField(allow_null=True)}),
            **errors(404),
        },
        operation_id="feedback_webhook_zalo",
    )
    def post(self, request):
        raw = request.body
        if not channels.zalo_signed(raw, request.headers.get("X-ZEvent-Signature", "")):
            raise NotFound()
        item = channels.zalo_event(json.loads(raw or b"{}"))
        return Response({"code": item.code if item else None})


class FacebookWebhookApi(APIView):
    """Facebook page (Messenger): GET is the subscription handshake (the challenge echoed when the verify token
    matches, else 403); POST carries messages signed with `X-Hub-Signature-256` (else 403), each becoming a
    feedback item of the page's unit once per message id."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="feedback_webhook_facebook_verify",
        parameters=[
            OpenApiParameter("hub.mode", str),
            OpenApiParameter("hub.verify_token", str),
            OpenApiParameter("hub.challenge", str),
        ],
        responses={(200, "text/plain"): OpenApiTypes.STR, **errors(403)},
    )
    def get(self, request):
        q = request.query_params
        token = settings.FEEDBACK.get("FACEBOOK_VERIFY_TOKEN", "")
        if q.get("hub.mode") == "subscribe" and token and channels.same(q.get("hub.verify_token", ""), token):
            return HttpResponse(q.get("hub.challenge", ""), content_type="text/plain")
        raise PermissionDenied(_("Mã xác minh không đúng."))

    @extend_schema(
        operation_id="feedback_webhook_facebook",
        request=inline_serializer("MessengerEvent", {"object": serializers.CharField()}),
        responses={
            200: inline_serializer("MessengerAnswer", {"codes": serializers.ListField()}),
            **errors(403),
        },
    )
    def post(self, request):
        raw = request.body
        if not channels.facebook_signed(raw, request.headers.get("X-Hub-Signature-256", "")):
            raise PermissionDenied(_("Chữ ký không hợp lệ."))
        items = channels.facebook_events(json.loads(raw or b"{}"))
        return Response({"codes": [x.code for x in items]})
