"""Adapters to the outside services that carry notices. Each takes a `Message` and answers an `Outcome`; none
writes to the database (the worker records the outcome). `idempotent`: sending the same message again is safe
because the provider dedupes on the reference we give it (the message id), so a message left in `sending` by a
crash may be sent again; otherwise it is not resent blindly (ADR 0016).

Chosen by settings (`NOTIFY` in config/settings/base.py): SMS `console` (development), `http` (a generic JSON
gateway, selected by `NOTIFY_SMS_GATEWAY_URL` alone) or `esms` (eSMS.vn brandname SMS); e-mail through Django's
mail backend (SMTP in production); Zalo ZNS when an access token is configured.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

ACCEPTED, TEMPORARY, PERMANENT, TECHNICAL = "accepted", "temporary", "permanent", "technical"


@dataclass(frozen=True)
class Outcome:
    """What a provider answered: `accepted` (with its id), `temporary` (try again later), `permanent` (this
    address will never take it: e.g. an invalid number, no Zalo account), `technical` (our side is wrong:
    credentials, a refused template — retrying will not help until someone fixes it)."""

    result: str
    provider_id: str = ""
    reason: str = ""


class Adapter:
    name = ""
    channel = ""
    idempotent = False

    def send(self, message) -> Outcome:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass


ADAPTERS = {
    "console": "cqtt.notifications.adapters.console.ConsoleSms",
    "http": "cqtt.notifications.adapters.gateway.HttpGateway",
    "esms": "cqtt.notifications.adapters.esms.Esms",
    "email": "cqtt.notifications.adapters.email.Email",
    "zalo": "cqtt.notifications.adapters.zalo.ZaloZns",
}


def conf(name: str, default=None):
    return settings.NOTIFY.get(name, default)


def sms_adapter_name() -> str:
    name = conf("SMS_BACKEND") or ("http" if conf("SMS_GATEWAY_URL") else "console")
    if name not in ("console", "http", "esms"):
        raise ValueError(f"NOTIFY_SMS_BACKEND: unknown SMS adapter {name!r} (console, http, esms)")
    return name


def zalo_enabled() -> bool:
    return bool(conf("ZALO_ACCESS_TOKEN"))


_BUILT: dict[str, Adapter] = {}


def _build(name: str) -> Adapter:
    adapter = _BUILT.get(name)
    if adapter is None:
        adapter = _BUILT[name] = import_string(ADAPTERS[name])()
    return adapter


def adapter_for(channel: str) -> Adapter:
    """The configured adapter of a channel, one per process (HTTP adapters keep their connections open)."""
    if channel == "sms":
        return _build(sms_adapter_name())
    if channel in ("email", "zalo"):
        return _build(channel)
    raise ValueError(channel)


def reset() -> None:
    """Close and forget the adapters built so far (after a change of settings: tests, a worker's restart)."""
    for adapter in _BUILT.values():
        adapter.close()
    _BUILT.clear()
