import pytest

from cqtt.notifications import adapters
from tests.dossiers.conftest import world  # noqa: F401 (the dossier tests' world)

from .peers import Esms, Gateway, Mailbox, Zalo, serve


@pytest.fixture
def notify_settings(settings):
    """NOTIFY settings for a test; adapters rebuilt from them."""
    settings.NOTIFY = {
        **settings.NOTIFY,
        "PUBLIC_BASE_URL": "https://motcua.example.vn",
        "CALLBACK_TOKEN": "cb-secret",
    }
    adapters.reset()
    yield settings
    adapters.reset()


@pytest.fixture
def gateway(notify_settings):
    peer = Gateway()
    server, url = serve(peer)
    notify_settings.NOTIFY = {**notify_settings.NOTIFY, "SMS_GATEWAY_URL": f"{url}/sms", "SMS_BACKEND": ""}
    adapters.reset()
    peer.url = url
    yield peer
    server.shutdown()
    server.server_close()


@pytest.fixture
def zalo(notify_settings, gateway):
    peer = Zalo()
    server, url = serve(peer)
    notify_settings.NOTIFY = {
        **notify_settings.NOTIFY,
        "ZALO_URL": f"{url}/message/template",
        "ZALO_ACCESS_TOKEN": "zt",
    }
    adapters.reset()
    yield peer
    server.shutdown()
    server.server_close()


@pytest.fixture
def esms(notify_settings):
    peer = Esms()
    server, url = serve(peer)
    notify_settings.NOTIFY = {
        **notify_settings.NOTIFY,
        "SMS_BACKEND": "esms",
        "ESMS_URL": f"{url}/MainService.svc/json/SendMultipleMessage_V4_post_json/",
        "ESMS_API_KEY": "key",
        "ESMS_SECRET_KEY": "secret",
        "ESMS_BRANDNAME": "UBND-TDM",
        "CALLBACK_BASE_URL": "https://motcua.example.vn",
    }
    adapters.reset()
    yield peer
    server.shutdown()
    server.server_close()


@pytest.fixture
def mailbox(notify_settings):
    box = Mailbox()
    notify_settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    notify_settings.EMAIL_HOST = "127.0.0.1"
    notify_settings.EMAIL_PORT = box.port
    notify_settings.EMAIL_USE_TLS = False
    adapters.reset()
    yield box
    box.stop()


def make_message(
    unit, *, at, channel="sms", to="84912345678", text="Hồ sơ 25747-261123-9999 đã tiếp nhận", **extra
):
    """A message as the outbox consumer writes it: waiting, due at `at`."""
    import uuid

    from cqtt.notifications.models import Message

    fields = {
        "key": f"test-{uuid.uuid4().hex}",
        "unit": unit,
        "subject_code": "25747-261123-9999",
        "event": "received",
        "channel": channel,
        "to": to,
        "text": text,
        "created_at": at,
        "next_attempt_at": at,
        **extra,
    }
    if channel == "email":
        fields.setdefault("subject", "Đã tiếp nhận hồ sơ 25747-261123-9999")
    return Message.objects.create(**fields)
