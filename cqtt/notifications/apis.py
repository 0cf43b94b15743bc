"""The notices' API: a dossier's messages for staff; delivery receipts and SMS replies from the providers."""

from __future__ import annotations

import base64
import hashlib
import hmac
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cqtt.core.openapi import errors
from cqtt.core.serializer_fields import BoundedCharField

from . import rules, selectors, services


@extend_schema_serializer(component_name="NotificationMessage")
class MessageOutput(serializers.Serializer):
    id = serializers.UUIDField()
    channel = serializers.ChoiceField(choices=["sms", "email", "zalo"])
    to_masked = serializers.CharField()
    status = serializers.ChoiceField(
        choices=[
            "created",
            "sending",
            "sent",
            "delivered",
            "temporary-failure",
            "permanent-failure",
            "technical-failure",
        ]
    )
    attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    event = serializers.CharField()

    def to_representation(self, m):
        return {
            "id": str(m.pk),
            "channel": m.channel,
            "to_masked": rules.mask(m.channel, m.to),
            "status": m.status,
            "attempts": m.attempts,
            "created_at": m.created_at.isoformat(),
            "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            "event": m.event,
        }


class NotificationListApi(APIView):
    """The messages sent about one dossier, newest first (staff of the unit that sent them)."""

    @extend_schema(
        parameters=[OpenApiParameter("dossier", str, required=True, description="mã hồ sơ")],
        responses={200: MessageOutput(many=True), **errors(400)},
        operation_id="notifications_list",
        summary="Tin nhắn đã gửi về một hồ sơ",
    )
    def get(self, request):
        code = (request.query_params.get("dossier") or "").strip()
        if not code or len(code) > 40 or "\x00" in code:
            raise serializers.ValidationError({"dossier": [_("Nhập mã hồ sơ.")]})
        rows = selectors.messages_for(user=request.user, dossier_code=code)[:200]
        return Response([MessageOutput(m).data for m in rows])


def _token_ok(request) -> bool:
    expected = settings.NOTIFY.get("CALLBACK_TOKEN") or ""
    if not expected:
        return False
    header = request.headers.get("Authorization", "")
    given = header[7:] if header.startswith("Bearer ") else request.query_params.get("token", "")
    return hmac.compare_digest(given.encode(), expected.encode())


class _Callback(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, request.method.lower(), None) is None:
            raise MethodNotAllowed(request.method)
        if not _token_ok(request):
            raise NotFound()


class ReceiptInput(serializers.Serializer):
    reference = BoundedCharField(max_length=64, required=False, allow_blank=True, default="")
    id = BoundedCharField(max_length=100, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=["delivered", "failed"])
    reason = BoundedCharField(max_length=300, required=False, allow_blank=True, default="")


class HttpReceiptApi(_Callback):
    """A delivery receipt from the generic gateway: `{reference, status: delivered|failed, reason}` (or the
    gateway's `id` instead of our reference), with the callback token as a bearer token or `?token=`."""

    @extend_schema(
        request=ReceiptInput,
        responses={
            200: inline_serializer("ReceiptAnswer", {"matched": serializers.BooleanField()}),
            **errors(400, 404),
        },
        operation_id="notifications_receipt_http",
    )
    def post(self, request):
        data = ReceiptInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        matched = services.receipt_record(
            provider="http",
            status=v["status"],
            reference=v["reference"],
            provider_id=v["id"],
            reason=v["reason"],
        )
        return Response({"matched": matched})


def zalo_mac(app_id: str, raw_body: bytes, timestamp: str, secret: str) -> str:
    """Zalo's webhook signature: sha256 of the app id, the raw body, the timestamp and the OA secret key."""
    return hashlib.sha256(app_id.encode() + raw_body + timestamp.encode() + secret.encode()).hexdigest()


class ZaloReceiptApi(APIView):
    """Zalo's webhook: `user_received_message` marks the ZNS message (its `msg_id`) delivered. Signed by Zalo
    (`X-ZEvent-Signature: mac=…` with `NOTIFY_ZALO_APP_ID` and `NOTIFY_ZALO_OA_SECRET`); anything unsigned or
    wrongly signed is 404, like the other callbacks without their token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=inline_serializer("ZaloEvent", {"event_name": serializers.CharField()}),
        responses={
            200: inline_serializer("ZaloReceiptAnswer", {"matched": serializers.BooleanField()}),
            **errors(404),
        },
        operation_id="notifications_receipt_zalo",
    )
    def post(self, request):
        app_id, secret = settings.NOTIFY.get("ZALO_APP_ID", ""), settings.NOTIFY.get("ZALO_OA_SECRET", "")
        raw = request.body
        data = request.data if isinstance(request.data, dict) else {}
        given = request.headers.get("X-ZEvent-Signature", "").removeprefix("mac=").strip()
        expected = zalo_mac(str(data.get("app_id", "")), raw, str(data.get("timestamp", "")), secret)
        if (
            not (app_id and secret)
            or str(data.get("app_id", "")) != app_id
            or not hmac.compare_digest(given, expected)
        ):
            raise NotFound()
        if data.get("event_name") != "user_received_message":
            return Response({"matched": False})
        message = data.get("message") if isinstance(data.get("message"), dict) else {}
        matched = services.receipt_record(
            provider="zalo", status="delivered", provider_id=str(message.get("msg_id", ""))[:100]
        )
        return Response({"matched": matched})


class EsmsReceiptApi(_Callback):
    """eSMS's delivery report (GET with SMSID, SendStatus, SendSuccess, SendFailed, RequestId)."""

    @extend_schema(
        responses={
            200: inline_serializer("EsmsReceiptAnswer", {"matched": serializers.BooleanField()}),
            **errors(404),
        },
        operation_id="notifications_receipt_esms",
    )
    def get(self, request):
        q = request.query_params
        success, failed = q.get("SendSuccess", "0"), q.get("SendFailed", "0")
        if success.isdigit() and int(success) > 0:
            status = "delivered"
        elif (failed.isdigit() and int(failed) > 0) or q.get("SendStatus") == "4":
            status = "failed"
        else:
            return Response({"matched": False})  # still on its way
        matched = services.receipt_record(
            provider="esms",
            status=status,
            reference=(q.get("RequestId") or "")[:64],
            provider_id=(q.get("SMSID") or "")[:100],
            reason=f"eSMS SendStatus {q.get('SendStatus', '')}",
        )
        return Response({"matched": matched})


class InboundSmsApi(_Callback):
    """A citizen's SMS reply through the gateway `{from, text}`: an opt-out word stops their messages."""

    @extend_schema(
        request=inline_serializer(
            "InboundSms", {"from": serializers.CharField(), "text": serializers.CharField()}
        ),
        responses={
            200: inline_serializer("InboundAnswer", {"opted_out": serializers.BooleanField()}),
            **errors(400, 404),
        },
        operation_id="notifications_inbound_sms",
    )
    def post(self, request):
        sender = str(request.data.get("from", ""))[:20] if isinstance(request.data, dict) else ""
        text = str(request.data.get("text", ""))[:500] if isinstance(request.data, dict) else ""
        if not sender:
            raise serializers.ValidationError({"from": [_("Thiếu số gửi.")]})
        return Response({"opted_out": services.inbound_sms(sender=sender, text=text)})


def esms_mo_sign(cpid: str, smsid: str, content: str, receiver_time: str, private_key: str) -> str:
    """eSMS's signature of an MO request: base64 of MD5(cpid + smsid + content + receiverTime + private key)."""
    raw = (cpid + smsid + content + receiver_time + private_key).encode()
    return base64.b64encode(hashlib.md5(raw, usedforsecurity=False).digest()).decode()


def _esms_reply(stopped: bool) -> str:
    """What eSMS texts back to the citizen (its MO answer's Message): in the platform's language, without
    diacritics so it fits one GSM-7 SMS."""
    with translation.override(settings.LANGUAGE_CODE):
        if stopped:
            text = gettext("Đã ngừng gửi tin nhắn thông báo hồ sơ tới số này.")
        else:
            text = gettext("Tin nhắn tự động, không nhận trả lời. Nhắn TC để ngừng nhận thông báo hồ sơ.")
    return rules.without_diacritics(text)


class EsmsInboundSmsApi(_Callback):
    """eSMS's MO callback: a citizen's SMS to the unit's service number, sent by eSMS as a GET with `sender`
    (84…), `content`, `keyword`, `serviceNumber`, `smsid`, `receiverTime` (yyyyMMddHHmmss), `cpid` and `sign`.
    The URL registered with eSMS carries the callback token (`?token=`), as for its receipts; when
    `NOTIFY_ESMS_MO_PRIVATE_KEY` is set, eSMS's `sign` must match too. An opt-out word ("TC", "HUY", "STOP")
    stops the number's messages. The answer is eSMS's `ClientResponse` XML, whose `Message` eSMS texts back."""

    @extend_schema(
        parameters=[
            OpenApiParameter("token", str, required=True, description="NOTIFY_CALLBACK_TOKEN"),
            OpenApiParameter("sender", str, required=True, description="số gửi, dạng 84…"),
            OpenApiParameter("content", str, description="nội dung tin nhắn"),
            OpenApiParameter("keyword", str, description="từ khóa đầu tiên của cú pháp"),
            OpenApiParameter("smsid", str, description="mã tin của eSMS"),
            OpenApiParameter("receiverTime", str, description="yyyyMMddHHmmss"),
            OpenApiParameter("cpid", str),
            OpenApiParameter("sign", str),
        ],
        responses={
            (200, "application/xml"): OpenApiResponse(OpenApiTypes.STR, description="eSMS ClientResponse"),
            **errors(400, 404),
        },
        operation_id="notifications_inbound_esms",
    )
    def get(self, request):
        q = request.query_params
        key = settings.NOTIFY.get("ESMS_MO_PRIVATE_KEY") or ""
        if key:
            parts = (q.get(name) or "" for name in ("cpid", "smsid", "content", "receiverTime"))
            expected = esms_mo_sign(*parts, key)
            if not hmac.compare_digest((q.get("sign") or "").encode(), expected.encode()):
                raise NotFound()
        content, smsid = (q.get("content") or "")[:500], (q.get("smsid") or "")[:100]
        sender = (q.get("sender") or "")[:20]
        if not sender:
            raise serializers.ValidationError({"sender": [_("Thiếu số gửi.")]})
        text = rules.mo_text(content, q.get("keyword") or "")
        services.inbound_sms(sender=sender, text=text)
        message, smsid, sender = escape(_esms_reply(rules.is_opt_out(text))), escape(smsid), escape(sender)
        xml = (
            f"<ClientResponse><Message>{message}</Message><Smsid>{smsid}</Smsid>"
            f"<Receiver>{sender}</Receiver></ClientResponse>"
        )
        return HttpResponse(xml, content_type="application/xml; charset=utf-8")
