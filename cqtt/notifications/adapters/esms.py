"""eSMS.vn brandname SMS, customer-care type (SmsType 2), to its published JSON API
(`SendMultipleMessage_V4_post_json`). `RequestId` is the message id: eSMS refuses a second request with the same
id (CodeResult 124), so a message sent again after a crash is not delivered twice. Delivery receipts arrive by
GET on the callback URL (`/api/v1/notifications/callbacks/esms/`)."""

from __future__ import annotations

import httpx

from . import ACCEPTED, PERMANENT, TECHNICAL, TEMPORARY, Adapter, Outcome, conf
from .gateway import client, http_outcome

URL = "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
# CodeResult: 100 accepted; 124 the same RequestId was already accepted; 101 credentials, 104 brandname,
# 146 template not registered (our configuration); 103 balance; 99 their side; 118/119 the number or content
CONFIGURATION = {"101", "102", "104", "146"}
LATER = {"99", "103", "105"}


class Esms(Adapter):
    name = "esms"
    channel = "sms"
    idempotent = True

    def __init__(self) -> None:
        self.url = conf("ESMS_URL") or URL
        self.credentials = {
            "ApiKey": conf("ESMS_API_KEY", ""),
            "SecretKey": conf("ESMS_SECRET_KEY", ""),
            "Brandname": conf("ESMS_BRANDNAME", ""),
        }
        if not all(self.credentials.values()):
            raise ValueError(
                "eSMS needs NOTIFY_ESMS_API_KEY, NOTIFY_ESMS_SECRET_KEY and NOTIFY_ESMS_BRANDNAME"
            )
        self.callback = conf("CALLBACK_BASE_URL", "")
        self.http = client()

    def send(self, message) -> Outcome:
        body = {
            **self.credentials,
            "Phone": message.to,
            "Content": message.text,
            "SmsType": "2",
            "IsUnicode": "0" if message.text.isascii() else "1",
            "Sandbox": "1" if conf("ESMS_SANDBOX") else "0",
            "RequestId": str(message.pk),
        }
        if self.callback:
            token = conf("CALLBACK_TOKEN", "")
            body["CallbackUrl"] = (
                f"{self.callback.rstrip('/')}/api/v1/notifications/callbacks/esms/?token={token}"
            )
        try:
            response = self.http.post(self.url, json=body)
        except httpx.HTTPError as exc:
            return Outcome(TEMPORARY, reason=type(exc).__name__)
        decided = http_outcome(response)
        if decided is not None:
            return decided
        try:
            answer = response.json()
        except ValueError:
            return Outcome(TEMPORARY, reason="eSMS: not JSON")
        code = str(answer.get("CodeResult", ""))
        reason = f"eSMS {code}: {answer.get('ErrorMessage', '')}".strip()[:300]
        if code in ("100", "124"):
            return Outcome(
                ACCEPTED,
                provider_id=str(answer.get("SMSID") or "")[:100],
                reason="" if code == "100" else reason,
            )
        if code in CONFIGURATION:
            return Outcome(TECHNICAL, reason=reason)
        if code in LATER or not code:
            return Outcome(TEMPORARY, reason=reason or "eSMS: no CodeResult")
        return Outcome(PERMANENT, reason=reason)

    def close(self) -> None:
        self.http.close()
