"""Local stand-ins for the outside services, each a real server on a free port of 127.0.0.1: the platform's
adapters talk to them over real sockets, with the providers' own formats."""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Gateway:
    """The generic JSON SMS gateway: accepts `{to, text, reference}`, dedupes on `reference` (a second post of the
    same reference answers the first id and is not delivered again). `script`: status codes to answer next."""

    posts: list[dict] = field(default_factory=list)
    delivered: dict[str, dict] = field(default_factory=dict)  # reference → the post delivered to a phone
    script: list[int] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, path: str, body: dict, headers: dict) -> tuple[int, dict]:
        import time

        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.posts.append(body)
            self.headers.append(headers)
            if self.script:
                code = self.script.pop(0)
                if code >= 300:
                    return code, {"error": "scripted"}
            ref = body.get("reference", "")
            if ref not in self.delivered:
                self.delivered[ref] = body
            return 200, {"id": f"gw-{list(self.delivered).index(ref) + 1}"}

    def deliveries_per_reference(self) -> Counter:
        return Counter(p["reference"] for p in self.posts)


@dataclass
class Zalo:
    """The ZNS endpoint: `{phone, template_id, template_data, tracking_id}` with an `access_token` header;
    `refuse`: phones that have no Zalo account (error -118)."""

    posts: list[dict] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    def handle(self, path: str, body: dict, headers: dict) -> tuple[int, dict]:
        self.posts.append(body)
        self.tokens.append(headers.get("access_token", ""))
        if body.get("phone") in self.refuse:
            return 200, {"error": -118, "message": "Zalo account not existed"}
        return 200, {
            "error": 0,
            "message": "Success",
            "data": {"msg_id": f"z{len(self.posts)}", "sent_time": "1"},
        }


class Esms:
    """eSMS's JSON API: CodeResult 100 with an SMSID; 124 for a RequestId already seen."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.seen: dict[str, str] = {}

    def handle(self, path: str, body: dict, headers: dict) -> tuple[int, dict]:
        self.posts.append(body)
        if body.get("ApiKey") != "key" or body.get("SecretKey") != "secret":
            return 200, {"CodeResult": "101", "ErrorMessage": "Authorize Failed"}
        rid = body.get("RequestId", "")
        if rid in self.seen:
            return 200, {"CodeResult": "124", "ErrorMessage": "Request exist 1", "SendStatus": "5"}
        self.seen[rid] = f"e{len(self.seen) + 1}"
        return 200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": self.seen[rid]}


def serve(peer) -> tuple[ThreadingHTTPServer, str]:
    """Start `peer` on a free port; returns the server and its base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if len(raw) < length:  # the client went away mid-request (a killed worker): nothing to handle
                self.close_connection = True
                return
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"_raw": raw.decode("utf-8", "replace")}
            code, answer = peer.handle(self.path, body, {k.lower(): v for k, v in self.headers.items()})
            data = json.dumps(answer).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class Mailbox:
    """An SMTP server (aiosmtpd) that keeps what it receives."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list = []
        mailbox = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address.startswith("bounce@"):
                    return "550 5.1.1 mailbox unavailable"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                from email import message_from_bytes, policy

                mailbox.messages.append(message_from_bytes(envelope.content, policy=policy.default))
                return "250 Message accepted for delivery"

        import socket

        with (
            socket.socket() as probe
        ):  # a free port (the controller checks its own start by connecting to it)
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
