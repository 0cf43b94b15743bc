"""Inbound channels that push to us: Zalo OA and Facebook page messages (signature checks and turning their
events into feedback items, idempotently by message id), and the reader keys of likes and dislikes. Secrets come
from settings.FEEDBACK (the environment); which unit a message belongs to from the unit's settings (its OA id or
page id)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.utils import timezone

from cqtt.core.errors import ServiceError
from cqtt.core.ratelimit import client_ip

from . import rules, services
from .models import Channel, FeedbackItem, FeedbackSettings, Kind

log = logging.getLogger(__name__)


def same(given: str, expected: str) -> bool:
    return hmac.compare_digest((given or "").encode(), (expected or "").encode())


def _conf(name: str) -> str:
    return str(settings.FEEDBACK.get(name, "") or "")


# --- Zalo OA -----------------------------------------------------------------------------------------------


def zalo_signed(raw: bytes, header: str) -> bool:
    app_id, secret = _conf("ZALO_APP_ID"), _conf("ZALO_OA_SECRET")
    if not (app_id and secret):
        return False
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return False
    if not isinstance(data, dict) or str(data.get("app_id", "")) != app_id:
        return False
    given = (header or "").strip().removeprefix("mac=").strip()
    return rules.signature_matches(given, rules.zalo_mac(app_id, raw, str(data.get("timestamp", "")), secret))


def _unit_by(field: str, value: str):
    if not value:
        return None
    config = FeedbackSettings.objects.select_related("unit").filter(**{field: value}).first()
    return config.unit if config else None


def _at(ms) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(ms) / 1000, tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return timezone.now()


def _make(*, unit, channel: str, external_id: str, sender_id: str, text: str, at: dt.datetime):
    """One item per message id; a message the inbox refuses (too short) is logged, not retried by the sender."""
    try:
        return services.feedback_submit(
            unit=unit,
            kind=Kind.REPORT,
            content=text,
            channel=channel,
            sender=services.SenderData(external_id=sender_id),
            external_id=external_id,
            received_at=at if at <= timezone.now() else None,
        )
    except ServiceError as error:
        log.info("feedback: %s message %s not taken: %s", channel, external_id, error.message_dict)
        return None


def zalo_event(data: dict) -> FeedbackItem | None:
    """`user_send_text` to a unit's OA becomes an item (kind "report" until staff classify it)."""
    if not isinstance(data, dict) or data.get("event_name") != "user_send_text":
        return None
    message = data.get("message") if isinstance(data.get("message"), dict) else {}
    sender = data.get("sender") if isinstance(data.get("sender"), dict) else {}
    recipient = data.get("recipient") if isinstance(data.get("recipient"), dict) else {}
    unit = _unit_by("zalo_oa_id", str(recipient.get("id", ""))[:40])
    msg_id = str(message.get("msg_id", ""))[:150]
    if unit is None or not msg_id:
        return None
    return _make(
        unit=unit,
        channel=Channel.ZALO,
        external_id=msg_id,
        sender_id=str(sender.get("id", ""))[:64],
        text=str(message.get("text", "")),
        at=_at(data.get("timestamp")),
    )


# --- Facebook Messenger ------------------------------------------------------------------------------------


def facebook_signed(raw: bytes, header: str) -> bool:
    secret = _conf("FACEBOOK_APP_SECRET")
    return bool(secret) and rules.signature_matches(
        (header or "").strip(), rules.facebook_signature(secret, raw)
    )


def facebook_events(data: dict) -> list[FeedbackItem]:
    if not isinstance(data, dict) or data.get("object") != "page":
        return []
    made = []
    for entry in data.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        unit = _unit_by("facebook_page_id", str(entry.get("id", ""))[:40])
        if unit is None:
            continue
        for event in entry.get("messaging") or []:
            message = event.get("message") if isinstance(event, dict) else None
            if not isinstance(message, dict) or message.get("is_echo") or not message.get("mid"):
                continue
            sender = event.get("sender") if isinstance(event.get("sender"), dict) else {}
            item = _make(
                unit=unit,
                channel=Channel.FACEBOOK,
                external_id=str(message["mid"])[:200],
                sender_id=str(sender.get("id", ""))[:64],
                text=str(message.get("text", "")),
                at=_at(event.get("timestamp")),
            )
            if item is not None:
                made.append(item)
    return made


# --- readers of published answers ------------------------------------------------------------------------------


def _keyed(base: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), base.encode(), hashlib.sha256).hexdigest()[:32]


def voter_key(request) -> str:
    """Who reacts to a published answer on the pages: the browser session, keyed with the secret key. Only a
    session this server issued counts: a cookie naming no stored session (made up by the client) gets a new,
    real session instead, so a reader cannot pick its own identity."""
    session = request.session
    key = session.session_key
    if not key or not session.exists(key):
        session.create()  # a fresh key, saved now; the response sets its cookie
        key = session.session_key
    return _keyed(key)


def address_voter_key(request) -> str:
    """Who reacts through the API: the client address only (an API client can present any cookie it likes),
    keyed with the secret key, so the table holds no address."""
    return _keyed(f"ip:{client_ip(request)}")
