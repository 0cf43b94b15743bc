"""Pure rules of the feedback inbox: the transitions table, the clocks' lengths, duplicate detection on folded
text, the sender's key, removing personal data before publication, what a mailbox may name (its password's
environment variable, its host, TLS), and the channels' signatures."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import hmac
import re

from django.utils.translation import gettext_lazy as _

from cqtt.accounts.models import Role
from cqtt.core.process import Process, transition
from cqtt.core.text import fold

from .models import OPEN_STATUSES, Status

S, R = Status, Role
SYSTEM = "system"  # the platform itself: the public form, the mail reader, the webhooks
INTAKE = {R.COUNTER_OFFICER, R.SPECIALIST, R.LEADER}
ROUTERS = {R.COUNTER_OFFICER, R.LEADER}
HANDLERS = {R.SPECIALIST, R.LEADER}
STAFF = {R.COUNTER_OFFICER, R.SPECIALIST, R.LEADER, R.UNIT_ADMIN}
OPEN = set(OPEN_STATUSES)
DONE = {S.ANSWERED, S.PUBLISHED}

FEEDBACK = Process(
    "feedback",
    [
        transition("receive", {""}, S.RECEIVED, {SYSTEM, *INTAKE}, _("Tiếp nhận")),
        transition("classify", OPEN, None, INTAKE, _("Phân loại")),
        transition("assign", OPEN - {S.SUPPLEMENT_REQUESTED}, S.IN_PROGRESS, ROUTERS, _("Giao xử lý")),
        transition(
            "request_supplement",
            {S.RECEIVED, S.IN_PROGRESS},
            S.SUPPLEMENT_REQUESTED,
            INTAKE,
            _("Đề nghị bổ sung thông tin"),
        ),
        transition(
            "supplement", {S.SUPPLEMENT_REQUESTED}, S.IN_PROGRESS, INTAKE, _("Ghi nhận thông tin bổ sung")
        ),
        transition("answer", {S.RECEIVED, S.IN_PROGRESS}, S.ANSWERED, HANDLERS, _("Trả lời")),
        transition("publish", {S.ANSWERED}, S.PUBLISHED, HANDLERS, _("Công khai trả lời")),
        transition("transfer", OPEN, S.RECEIVED, ROUTERS, _("Chuyển đơn vị có thẩm quyền")),
        transition("refuse", {S.RECEIVED, S.SUPPLEMENT_REQUESTED}, S.REFUSED, ROUTERS, _("Không tiếp nhận")),
        transition(
            "move_to_complaints", OPEN, S.MOVED, ROUTERS, _("Chuyển sang giải quyết khiếu nại, tố cáo")
        ),
        transition("reopen", {S.ANSWERED, S.PUBLISHED, S.REFUSED}, S.IN_PROGRESS, {R.LEADER}, _("Mở lại")),
        transition("link_official", OPEN | DONE, None, INTAKE, _("Gắn với cán bộ")),
        transition("draft_thanks", OPEN | DONE, None, INTAKE, _("Lập thư cảm ơn")),
    ],
    state_label=lambda state: Status(state).label if state else "",
)

# actions the item page offers as buttons with their own small form
PAGE_ACTIONS = (
    "assign",
    "request_supplement",
    "supplement",
    "answer",
    "publish",
    "transfer",
    "refuse",
    "move_to_complaints",
    "reopen",
)

# --- duplicates --------------------------------------------------------------------------------------------

SIMILAR_RATIO = 0.8
COMPARE_CHARS = 1500


def similarity(a: str, b: str) -> float:
    """How alike two texts are once folded (case, diacritics and spacing ignored): 0…1 (difflib's ratio)."""
    fa, fb = fold(a)[:COMPARE_CHARS], fold(b)[:COMPARE_CHARS]
    if not fa or not fb:
        return 0.0
    matcher = difflib.SequenceMatcher(None, fa, fb, autojunk=False)
    for bound in (matcher.real_quick_ratio, matcher.quick_ratio):  # cheap upper bounds first
        upper = bound()
        if upper < SIMILAR_RATIO:
            return upper
    return matcher.ratio()


def is_similar(a: str, b: str) -> bool:
    return similarity(a, b) >= SIMILAR_RATIO


def sender_key(
    secret: str, *, phone: str = "", email: str = "", external: str = "", address: str = ""
) -> str:
    """A keyed hash naming the sender for duplicate detection (phone, else e-mail, else a Zalo/Facebook id, else
    the client address), so the index holds no readable number. '' when nothing names the sender."""
    for label, value in (("p", phone), ("e", (email or "").lower()), ("x", external), ("ip", address)):
        if value:
            digest = hmac.new(secret.encode(), f"{label}:{value}".encode(), hashlib.sha256).hexdigest()
            return digest[:32]
    return ""


# --- personal data out of what is published ------------------------------------------------------------------

HIDDEN = "[…]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_DIGITS = re.compile(r"(?<!\d)(\+?\d[\d .\-]{7,14}\d)(?!\d)")  # phone numbers, ID numbers, account numbers


def redact(text: str, *names: str) -> str:
    """The text without e-mail addresses, runs of 9 or more digits (phones, ID numbers) and the given names."""
    out = _EMAIL.sub(HIDDEN, text or "")
    out = _DIGITS.sub(lambda m: HIDDEN if len(re.sub(r"\D", "", m.group(1))) >= 9 else m.group(1), out)
    for name in names:
        name = (name or "").strip()
        if len(name) >= 3:
            out = re.sub(re.escape(name), HIDDEN, out, flags=re.IGNORECASE)
    return out


# --- when an item was received ------------------------------------------------------------------------------

# how far back a received time may lie: the clocks (and indicator 5.2's on-time rate) run from it, so neither a
# sender (an e-mail's Date: header is theirs to write) nor a slip of the keyboard may start them long ago or later
RECEIVED_BACK_DAYS = 30
RECEIVED_AHEAD = dt.timedelta(minutes=5)  # a typed "now" a little ahead of the server's clock


def received_within(when: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """`when` kept within [now − 30 days, now]; now when there is none."""
    if when is None:
        return now
    return min(max(when, now - dt.timedelta(days=RECEIVED_BACK_DAYS)), now)


# --- mailboxes -----------------------------------------------------------------------------------------------

# the only environment variables a mailbox may name for its password: a unit's administrator must not be able to
# have the server send another secret of its environment (the database's, the secret key …) to a host they pick
PASSWORD_ENV = re.compile(r"^FEEDBACK_IMAP_PASSWORD_[A-Z0-9_]{1,60}$")
# hosts on this machine, where the tests' IMAP server runs without TLS; any other host is read over SSL/TLS only
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_HOST = re.compile(r"^(?=.{1,200}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")
_IPV6 = re.compile(r"^[0-9a-f:.]{2,45}$")


def password_env_allowed(name: str) -> bool:
    return bool(PASSWORD_ENV.fullmatch(name or ""))


def normal_host(host: str) -> str:
    """A mail server's name as stored and compared: trimmed, lower-case, without a trailing dot (or the brackets
    of an IPv6 address)."""
    host = (host or "").strip().rstrip(".").strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host


def host_valid(host: str) -> bool:
    return bool(_HOST.match(host) or (":" in host and _IPV6.match(host)))


def normal_folder(folder: str) -> str:
    """IMAP's INBOX is case-insensitive (RFC 3501): "inbox", "Inbox" … are all "INBOX"."""
    folder = (folder or "").strip()
    return "INBOX" if folder.upper() == "INBOX" else folder


def tls_required(host: str) -> bool:
    return normal_host(host) not in LOCAL_HOSTS


# --- channels' signatures ----------------------------------------------------------------------------------


def zalo_mac(app_id: str, raw_body: bytes, timestamp: str, secret: str) -> str:
    """Zalo OA's webhook signature (`X-ZEvent-Signature: mac=…`): sha256 of app id, raw body, timestamp, OA secret."""
    return hashlib.sha256(app_id.encode() + raw_body + timestamp.encode() + secret.encode()).hexdigest()


def facebook_signature(secret: str, raw_body: bytes) -> str:
    """Messenger's `X-Hub-Signature-256` value: `sha256=` + HMAC-SHA256 of the raw body with the app secret."""
    return "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


def signature_matches(given: str, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())
