"""Zalo OA and Facebook page messages: signed webhooks make one item per message id; unsigned or wrongly signed
requests are refused, the Messenger handshake echoes the challenge only for the right token."""

import json

import pytest
import time_machine
from rest_framework.test import APIClient

from cqtt.feedback import rules, services
from cqtt.feedback.models import Channel, FeedbackItem
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db
NOW = at(2026, 11, 24, 10, 0)
ZALO = "/api/v1/feedback/webhooks/zalo/"
FB = "/api/v1/feedback/webhooks/facebook/"


@pytest.fixture
def channels(world, settings):
    settings.FEEDBACK = {
        **settings.FEEDBACK,
        "ZALO_APP_ID": "4321",
        "ZALO_OA_SECRET": "oa-secret",
        "FACEBOOK_APP_SECRET": "fb-secret",
        "FACEBOOK_VERIFY_TOKEN": "verify-me",
    }
    services.settings_save(
        actor=world.leader, unit=world.a, zalo_oa_id="579745863508352884", facebook_page_id="1029384756"
    )
    with time_machine.travel(NOW, tick=False):
        yield APIClient()


def zalo_body(msg_id="msg-1", text="Xin hỏi vì sao đèn đường khu phố 3 tắt cả tuần nay?"):
    return json.dumps(
        {
            "app_id": "4321",
            "event_name": "user_send_text",
            "timestamp": "1795927200000",
            "sender": {"id": "2512523625412515"},
            "recipient": {"id": "579745863508352884"},
            "message": {"text": text, "msg_id": msg_id},
        },
        ensure_ascii=False,
    ).encode()


def zalo_post(client, raw, mac=None):
    mac = mac if mac is not None else rules.zalo_mac("4321", raw, "1795927200000", "oa-secret")
    return client.post(ZALO, raw, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=f"mac={mac}")


def test_a_signed_zalo_message_becomes_an_item_once(channels, world):
    raw = zalo_body()
    r = zalo_post(channels, raw)
    assert r.status_code == 200, r.content
    item = FeedbackItem.objects.get()
    assert (
        item.channel == Channel.ZALO
        and item.unit == world.a
        and item.sender_external_id == "2512523625412515"
    )
    assert "đèn đường" in item.content
    assert zalo_post(channels, raw).json()["code"] == item.code
    assert FeedbackItem.objects.count() == 1


def test_an_unsigned_or_wrongly_signed_zalo_call_is_404(channels):
    raw = zalo_body()
    assert zalo_post(channels, raw, mac="0" * 64).status_code == 404
    assert channels.post(ZALO, raw, content_type="application/json").status_code == 404
    assert zalo_post(channels, b"not json", mac="x").status_code == 404
    assert not FeedbackItem.objects.exists()


def test_messenger_handshake(channels):
    ok = channels.get(
        FB, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    bad = channels.get(FB, {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"})
    assert bad.status_code == 403


def fb_body(mid="m_1"):
    return json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": "1029384756",
                    "time": 1795927200000,
                    "messaging": [
                        {
                            "sender": {"id": "6789"},
                            "recipient": {"id": "1029384756"},
                            "timestamp": 1795927200000,
                            "message": {"mid": mid, "text": "Đề nghị phường sửa lại biển tên đường bị đổ."},
                        },
                        {
                            "sender": {"id": "1029384756"},
                            "recipient": {"id": "6789"},
                            "timestamp": 1795927200001,
                            "message": {"mid": "echo-1", "text": "Cảm ơn bạn", "is_echo": True},
                        },
                    ],
                }
            ],
        },
        ensure_ascii=False,
    ).encode()


def test_signed_messenger_messages_become_items_once(channels, world):
    raw = fb_body()
    sig = rules.facebook_signature("fb-secret", raw)
    r = channels.post(FB, raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=sig)
    assert r.status_code == 200 and len(r.json()["codes"]) == 1
    channels.post(FB, raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=sig)
    item = FeedbackItem.objects.get()
    assert item.channel == Channel.FACEBOOK and item.unit == world.a and item.external_id == "m_1"


def test_a_wrongly_signed_messenger_post_is_403(channels):
    raw = fb_body()
    assert (
        channels.post(
            FB, raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256="sha256=00"
        ).status_code
        == 403
    )
    assert channels.post(FB, raw, content_type="application/json").status_code == 403
    assert not FeedbackItem.objects.exists()


def test_without_secrets_configured_everything_is_refused(world, settings):
    settings.FEEDBACK = {
        **settings.FEEDBACK,
        "ZALO_APP_ID": "",
        "FACEBOOK_APP_SECRET": "",
        "FACEBOOK_VERIFY_TOKEN": "",
    }
    client = APIClient()
    assert zalo_post(client, zalo_body()).status_code == 404
    assert (
        client.get(FB, {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}).status_code
        == 403
    )
    assert (
        client.post(
            FB,
            fb_body(),
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=rules.facebook_signature("", fb_body()),
        ).status_code
        == 403
    )
