"""Zalo Notification Service: a template message approved by Zalo, sent to a phone number (`84…`) with the
template's values (`POST https://business.openapi.zalo.me/message/template`, header `access_token`). The
message id is the `tracking_id`. Zalo does not dedupe on it, so a message left in `sending` by a crash is not
sent again: it is marked for a person to check. When Zalo refuses the citizen (no Zalo account, blocked, the
number not on Zalo), the notice goes by SMS instead."""

from __future__ import annotations

import httpx

from . import ACCEPTED, PERMANENT, TECHNICAL, TEMPORARY, Adapter, Outcome, conf
from .gateway import client, http_outcome

URL = "https://business.openapi.zalo.me/message/template"
# error codes: the citizen cannot receive it (→ SMS instead); our configuration; try later
REFUSED = {-108, -109, -114, -118, -119, -139, -141, -147}
CONFIGURATION = {-124, -125, -126, -131, -132, -135, -137, -144}
LATER = {-1, -32, -110, -133, -140, -145}


class ZaloZns(Adapter):
    name = "zalo"
    channel = "zalo"
    idempotent = False

    def __init__(self) -> None:
        self.url = conf("ZALO_URL") or URL
        self.token = conf("ZALO_ACCESS_TOKEN", "")
        self.http = client()

    def send(self, message) -> Outcome:
        body = {
            "phone": message.to,
            "template_id": message.template_id,
            "template_data": message.template_data,
            "tracking_id": str(message.pk),
        }
        if conf("ZALO_DEVELOPMENT"):
            body["mode"] = "development"
        try:
            response = self.http.post(self.url, json=body, headers={"access_token": self.token})
        except httpx.HTTPError as exc:
            return Outcome(TEMPORARY, reason=type(exc).__name__)
        decided = http_outcome(response)
        if decided is not None:
            return decided
        try:
            answer = response.json()
            error = int(answer.get("error", -1))
        except (ValueError, TypeError, AttributeError):
            return Outcome(TEMPORARY, reason="Zalo: not JSON")
        reason = f"Zalo {error}: {answer.get('message', '')}"[:300]
        if error == 0:
            data = answer.get("data") or {}
            return Outcome(ACCEPTED, provider_id=str(data.get("msg_id") or "")[:100])
        if error in REFUSED:
            return Outcome(PERMANENT, reason=reason)
        if error in CONFIGURATION:
            return Outcome(TECHNICAL, reason=reason)
        if error in LATER:
            return Outcome(TEMPORARY, reason=reason)
        return Outcome(PERMANENT, reason=reason)

    def close(self) -> None:
        self.http.close()
