"""Zalo OA and Facebook page messages: signed webhooks make one item per message id; unsigned or wrongly signed
requests are refused, the Messenger handshake echoes the challenge only for the right token."""

import hashlib
import hmac
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
def channels(world, admin_a, settings):
    settings.FEEDBACK = {
        **settings.FEEDBACK,
        "ZALO_APP_ID": "4321",
        "ZALO_OA_SECRET": "oa-secret",
        "FACEBOOK_APP_SECRET": "fb-secret",
        "FACEBOOK_VERIFY_TOKEN": "verify-me",
    }
    services.settings_save(
        actor=admin_a, unit=world.a, zalo_oa_id="579745863508352884", facebook_page_id="1029384756"
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


# --- known answers: the signatures computed outside the code under test (openssl dgst), for fixed bodies ------

ZALO_KAT_BODY = (
    b'{"app_id":"4321","event_name":"user_send_text","timestamp":"1795927200000",'
    b'"sender":{"id":"2512523625412515"},"recipient":{"id":"579745863508352884"},'
    b'"message":{"text":"Den duong khu pho 3 tat ca tuan nay, de nghi sua.","msg_id":"kat-1"}}'
)
# sha256("4321" + body + "1795927200000" + "oa-secret")
ZALO_KAT_MAC = "e6e2354e96d1aedd807812b2a2d72da562311b3f8faa3799757c3d90da12e50f"
FB_KAT_BODY = (
    b'{"object":"page","entry":[{"id":"1029384756","time":1795927200000,"messaging":[{"sender":{"id":"6789"},'
    b'"recipient":{"id":"1029384756"},"timestamp":1795927200000,'
    b'"message":{"mid":"m_kat","text":"De nghi phuong sua bien ten duong bi do."}}]}]}'
)
# HMAC-SHA256(key "fb-secret", body)
FB_KAT_HEX = "932fa7566da14ec9b112248606dfcccfbbcd8554bb6ea702e68daa9c77ed6292"


def test_zalo_signature_known_answer(channels, world):
    assert (
        hashlib.sha256(b"4321" + ZALO_KAT_BODY + b"1795927200000" + b"oa-secret").hexdigest() == ZALO_KAT_MAC
    )
    assert rules.zalo_mac("4321", ZALO_KAT_BODY, "1795927200000", "oa-secret") == ZALO_KAT_MAC
    r = zalo_post(channels, ZALO_KAT_BODY, mac=ZALO_KAT_MAC)
    assert r.status_code == 200 and r.json()["code"]
    assert FeedbackItem.objects.get().external_id == "kat-1"


def test_messenger_signature_known_answer(channels, world):
    assert hmac.new(b"fb-secret", FB_KAT_BODY, hashlib.sha256).hexdigest() == FB_KAT_HEX
    assert rules.facebook_signature("fb-secret", FB_KAT_BODY) == f"sha256={FB_KAT_HEX}"
    r = channels.post(
        FB, FB_KAT_BODY, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=f"sha256={FB_KAT_HEX}"
    )
    assert r.status_code == 200 and len(r.json()["codes"]) == 1
    assert FeedbackItem.objects.get().external_id == "m_kat"


def test_a_valid_signature_of_another_body_is_refused(channels):
    other_zalo = ZALO_KAT_BODY.replace(b"de nghi sua.", b"xin tra loi.").replace(b"kat-1", b"kat-2")
    assert zalo_post(channels, other_zalo, mac=ZALO_KAT_MAC).status_code == 404
    other_fb = FB_KAT_BODY.replace(b"bi do.", b"bi nghieng.")
    refused = channels.post(
        FB, other_fb, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=f"sha256={FB_KAT_HEX}"
    )
    assert refused.status_code == 403
    assert not FeedbackItem.objects.exists()
