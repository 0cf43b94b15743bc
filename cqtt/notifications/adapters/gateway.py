"""The generic JSON SMS gateway (`NOTIFY_SMS_GATEWAY_URL`): `POST {"to": "84…", "text": "…", "reference":
"<message id>"}`; a 2xx answer with `{"id": "<provider id>"}` means accepted. The gateway may dedupe on
`reference`, so sending a message again after a crash is safe. An optional bearer token
(`NOTIFY_SMS_GATEWAY_TOKEN`)."""

from __future__ import annotations

import httpx

from . import ACCEPTED, PERMANENT, TECHNICAL, TEMPORARY, Adapter, Outcome, conf


def client() -> httpx.Client:
    """One pooled HTTP client per adapter: connections are kept open between messages."""
    return httpx.Client(
        timeout=httpx.Timeout(conf("HTTP_TIMEOUT_SECONDS", 10.0)),
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=32),
        headers={"User-Agent": "cqtt-notifications/1"},
    )


def http_outcome(response: httpx.Response) -> Outcome | None:
    """The outcome an HTTP status alone decides, or None for a 2xx (whose body decides)."""
    code = response.status_code
    if 200 <= code < 300:
        return None
    reason = f"HTTP {code}"
    if code in (408, 425, 429) or code >= 500:
        return Outcome(TEMPORARY, reason=reason)
    if code in (401, 403, 404, 405):
        return Outcome(TECHNICAL, reason=reason)  # our credentials or address: retrying will not help
    return Outcome(PERMANENT, reason=reason)  # the gateway refused this message (e.g. an invalid number)


class HttpGateway(Adapter):
    name = "http"
    channel = "sms"
    idempotent = True

    def __init__(self) -> None:
        self.url = conf("SMS_GATEWAY_URL")
        if not self.url:
            raise ValueError("NOTIFY_SMS_GATEWAY_URL is not set")
        self.http = client()
        token = conf("SMS_GATEWAY_TOKEN")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def send(self, message) -> Outcome:
        body = {"to": message.to, "text": message.text, "reference": str(message.pk)}
        try:
            response = self.http.post(self.url, json=body, headers=self.headers)
        except httpx.HTTPError as exc:
            return Outcome(TEMPORARY, reason=type(exc).__name__)
        decided = http_outcome(response)
        if decided is not None:
            return decided
        try:
            provider_id = str(response.json().get("id") or "")
        except (ValueError, AttributeError):
            provider_id = ""
        if not provider_id:
            # accepted without the id the contract promises: sent, but no receipt can be matched to it
            return Outcome(ACCEPTED, reason="no id in the gateway's answer")
        return Outcome(ACCEPTED, provider_id=provider_id[:100])

    def close(self) -> None:
        self.http.close()
