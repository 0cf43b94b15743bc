"""The e-mail channel: an IMAP adapter (`ImapReader`, the standard library's imaplib over a real socket) and the
import of a unit's new mail into its inbox.

UID-based and idempotent: the reader asks only for UIDs above the mailbox's `last_uid` (UIDVALIDITY checked;
when the server renumbers, it starts again from 0), each message becomes an item in its own transaction together
with the move of `last_uid`, and the item's external id is the message's Message-ID (else mailbox, UIDVALIDITY
and UID) under a unique constraint — so a reader killed mid-batch, or a renumbered mailbox, never imports a
message twice. The password is read from the environment variable the mailbox names (`FEEDBACK_IMAP_PASSWORD_…`
only), never stored; SSL/TLS with the certificate checked for any host but this machine's own."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import imaplib
import logging
import os
import re
import ssl
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cqtt.core.errors import ServiceError

from . import rules, services
from .models import Channel, FeedbackItem, Kind, Mailbox

log = logging.getLogger(__name__)


class MailError(Exception):
    """The mailbox could not be read. `category` is what staff are shown (a key of `models.MAIL_ERRORS`:
    connect, login, folder, config); the message is for the log only."""

    def __init__(self, category: str, message: str = ""):
        super().__init__(message or category)
        self.category = category


@dataclass
class RawMessage:
    uid: int
    data: bytes
    internal_date: dt.datetime | None = None  # when the server received it (IMAP INTERNALDATE)


_INTERNALDATE = re.compile(
    rb'INTERNALDATE "\s?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"'
)
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1)}


def internal_date(response: bytes) -> dt.datetime | None:
    """The INTERNALDATE of a FETCH response ('INTERNALDATE "24-Nov-2026 09:05:00 +0700"'), None when absent."""
    found = _INTERNALDATE.search(response or b"")
    if found is None:
        return None
    day, month, year, hh, mm, ss, sign, oh, om = (g.decode() for g in found.groups())
    if month.title() not in _MONTHS:
        return None
    offset = dt.timedelta(hours=int(oh), minutes=int(om)) * (1 if sign == "+" else -1)
    try:
        return dt.datetime(
            int(year), _MONTHS[month.title()], int(day), int(hh), int(mm), int(ss), tzinfo=dt.timezone(offset)
        )
    except ValueError:
        return None


class ImapReader:
    """Reads messages by UID from one folder. Used as a context manager."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        username: str,
        password: str,
        folder: str,
        use_ssl: bool,
        timeout: float,
    ):
        self.host, self.port, self.username, self.password = host, port, username, password
        self.folder, self.use_ssl, self.timeout = folder, use_ssl, timeout
        self.conn: imaplib.IMAP4 | None = None
        self.uid_validity: int | None = None

    def __enter__(self) -> ImapReader:
        try:
            if self.use_ssl:
                # the certificate and the host name are checked (imaplib's default context checks neither)
                context = ssl.create_default_context()
                self.conn = imaplib.IMAP4_SSL(self.host, self.port, ssl_context=context, timeout=self.timeout)
            else:
                self.conn = imaplib.IMAP4(self.host, self.port, timeout=self.timeout)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailError("connect", str(exc)) from exc
        try:
            self._step("login", self.conn.login, self.username, self.password)
            status, _data = self._step("folder", self.conn.select, self._quoted(self.folder), readonly=True)
            if status != "OK":
                raise MailError("folder", f"cannot open folder {self.folder!r}")
            validity = self.conn.response("UIDVALIDITY")[1]
            self.uid_validity = int(validity[0]) if validity and validity[0] else None
        except MailError:
            self.__exit__()
            raise
        return self

    @staticmethod
    def _step(category: str, call, *args, **kwargs):
        """One command of the opening: refused by the server → `category`; the connection lost → "connect"."""
        try:
            return call(*args, **kwargs)
        except imaplib.IMAP4.abort as exc:
            raise MailError("connect", str(exc)) from exc
        except imaplib.IMAP4.error as exc:
            raise MailError(category, str(exc)) from exc
        except OSError as exc:
            raise MailError("connect", str(exc)) from exc

    def __exit__(self, *exc) -> None:
        if self.conn is not None:
            try:
                self.conn.logout()
            except (OSError, imaplib.IMAP4.error):
                pass

    @staticmethod
    def _quoted(folder: str) -> str:
        return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def _uid(self, *args):
        """A UID command; a connection lost or refused midway is a MailError (the other mailboxes are read on)."""
        try:
            return self.conn.uid(*args)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailError("connect", str(exc)) from exc

    def uids_after(self, last_uid: int) -> list[int]:
        status, data = self._uid("search", None, f"UID {last_uid + 1}:*")
        if status != "OK":
            raise MailError("connect", "search failed")
        uids = sorted(int(x) for x in (data[0] or b"").split())
        return [u for u in uids if u > last_uid]  # "n:*" always returns the last message, even below n

    def fetch(self, uid: int) -> RawMessage | None:
        status, data = self._uid("fetch", str(uid), "(INTERNALDATE BODY.PEEK[])")
        if status != "OK":
            raise MailError("connect", f"fetch {uid} failed")
        # the literal (the message), and the response's text around it: INTERNALDATE may come before or after
        body, around = None, b""
        for part in data:
            if isinstance(part, tuple) and len(part) == 2:
                body = body if body is not None else part[1]
                around += part[0] + b" "
            elif isinstance(part, bytes):
                around += part + b" "
        return (
            RawMessage(uid=uid, data=body, internal_date=internal_date(around)) if body is not None else None
        )


def reader_for(mailbox: Mailbox) -> ImapReader:
    """The reader of a mailbox — only as `services.mailbox_save` allows one (checked again here, for a row saved
    before those rules or written by other means): the password from a `FEEDBACK_IMAP_PASSWORD_…` variable
    only, SSL/TLS to any host but this machine's own, and nothing sent when the variable is not set."""
    if not rules.password_env_allowed(mailbox.password_env):
        raise MailError(
            "config", f"password variable {mailbox.password_env!r} is not FEEDBACK_IMAP_PASSWORD_…"
        )
    if not mailbox.use_ssl and rules.tls_required(mailbox.host):
        raise MailError("config", f"{mailbox.host} without TLS")
    password = os.environ.get(mailbox.password_env, "")
    if not password:
        raise MailError("config", f"{mailbox.password_env} is not set")
    return ImapReader(
        host=mailbox.host,
        port=mailbox.port,
        username=mailbox.username,
        password=password,
        folder=mailbox.folder,
        use_ssl=mailbox.use_ssl,
        timeout=float(settings.FEEDBACK.get("IMAP_TIMEOUT_SECONDS", 30)),
    )


# --- turning a message into an item ------------------------------------------------------------------------

_TAGS = re.compile(r"<[^>]+>")
_QUOTED_REPLY = re.compile(r"\n(>.*\n?)+$")


def _part_text(part) -> str:
    try:
        text = part.get_content()
    except (LookupError, ValueError):
        payload = part.get_payload(decode=True) or b""
        text = payload.decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        text = html.unescape(_TAGS.sub(" ", re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)))
    return _QUOTED_REPLY.sub("\n", str(text)).strip()


def _text_of(message) -> str:
    """The plain text of the message, else its HTML part as text (an empty plain part does not count)."""
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        text = _part_text(part) if part is not None else ""
        if text:
            return text
    return ""


@dataclass
class Parsed:
    message_id: str
    name: str
    address: str
    subject: str
    text: str


def parse(raw: bytes) -> Parsed:
    """What an item takes from a message. Not its Date: header — the sender writes it, and the clocks must not
    start when they say: the item is received when the mail server received the message (INTERNALDATE)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    name, address = parseaddr(str(message.get("From", "")))
    return Parsed(
        message_id=str(message.get("Message-ID", "")).strip()[:180],
        name=name,
        address=address if "@" in address else "",
        subject=str(message.get("Subject", "")).strip(),
        text=_text_of(message),
    )


def _import_one(
    mailbox: Mailbox, raw: RawMessage, validity: int | None, now: dt.datetime
) -> FeedbackItem | None:
    parsed = parse(raw.data)
    received_at = rules.received_within(raw.internal_date, now)
    external = (
        f"{mailbox.pk}:{parsed.message_id}" if parsed.message_id else f"{mailbox.pk}:{validity}:{raw.uid}"
    )
    content = parsed.text or parsed.subject
    with transaction.atomic():
        item = None
        try:
            item = services.feedback_submit(
                unit=mailbox.unit,
                kind=Kind.REPORT,
                content=content,
                subject=parsed.subject,
                channel=Channel.EMAIL,
                sender=services.SenderData(name=parsed.name, email=parsed.address),
                external_id=external[:200],
                received_at=received_at,
                at=now,
            )
        except ServiceError as error:
            if "email" in error.message_dict:  # a sender address we cannot write to: keep the message anyway
                item = services.feedback_submit(
                    unit=mailbox.unit,
                    kind=Kind.REPORT,
                    content=content,
                    subject=parsed.subject,
                    channel=Channel.EMAIL,
                    sender=services.SenderData(name=parsed.name),
                    external_id=external[:200],
                    received_at=received_at,
                    at=now,
                )
            else:
                log.info("feedback mail %s uid %s not taken: %s", mailbox, raw.uid, error.message_dict)
        Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=raw.uid).update(last_uid=raw.uid)
    mailbox.last_uid = max(mailbox.last_uid, raw.uid)
    return item


def mailbox_import(
    mailbox: Mailbox,
    *,
    batch: int | None = None,
    now: dt.datetime | None = None,
    reader: ImapReader | None = None,
) -> int:
    """Import the mailbox's new messages (at most `batch`); returns how many items were made."""
    batch = batch or int(settings.FEEDBACK.get("IMAP_BATCH", 50))
    made = 0
    try:
        with reader or reader_for(mailbox) as imap:
            if mailbox.uid_validity != imap.uid_validity:
                # a new or renumbered mailbox: read it from the start (Message-IDs keep old mail from coming twice)
                Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=imap.uid_validity, last_uid=0)
                mailbox.uid_validity, mailbox.last_uid = imap.uid_validity, 0
            for uid in imap.uids_after(mailbox.last_uid)[:batch]:
                raw = imap.fetch(uid)
                if raw is None:
                    continue
                item = _import_one(mailbox, raw, imap.uid_validity, now or timezone.now())
                made += item is not None
        error = ""
    except MailError as exc:
        log.warning("feedback mail %s: %s: %s", mailbox, exc.category, exc)
        error = exc.category  # staff see its label (models.MAIL_ERRORS), never the server's words
    Mailbox.objects.filter(pk=mailbox.pk).update(last_checked_at=timezone.now(), last_error=error)
    return made


def import_all(*, batch: int | None = None) -> int:
    """Every active mailbox once."""
    return sum(
        mailbox_import(m, batch=batch) for m in Mailbox.objects.filter(is_active=True).select_related("unit")
    )
