"""The e-mail channel: an IMAP adapter (`ImapReader`, the standard library's imaplib over a real socket) and the
import of a unit's new mail into its inbox.

UID-based and idempotent: the reader asks only for UIDs above the mailbox's `last_uid` (UIDVALIDITY checked;
when the server renumbers, it starts again from 0), each message becomes an item in its own transaction together
with the move of `last_uid`, and the item's external id is the message's Message-ID (else mailbox, UIDVALIDITY
and UID) under a unique constraint — so a reader killed mid-batch, or a renumbered mailbox, never imports a
message twice. The password is read from the environment variable the mailbox names, never stored."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import imaplib
import logging
import os
import re
from dataclasses import dataclass
from email.utils import parseaddr, parsedate_to_datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cqtt.core.errors import ServiceError

from . import services
from .models import Channel, FeedbackItem, Kind, Mailbox

log = logging.getLogger(__name__)


class MailError(Exception):
    """The mailbox could not be read (connection, login, folder)."""


@dataclass
class RawMessage:
    uid: int
    data: bytes


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
            cls = imaplib.IMAP4_SSL if self.use_ssl else imaplib.IMAP4
            self.conn = cls(self.host, self.port, timeout=self.timeout)
            self.conn.login(self.username, self.password)
            status, _data = self.conn.select(self._quoted(self.folder), readonly=True)
            if status != "OK":
                raise MailError(f"cannot open folder {self.folder!r}")
            validity = self.conn.response("UIDVALIDITY")[1]
            self.uid_validity = int(validity[0]) if validity and validity[0] else None
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailError(str(exc)) from exc
        return self

    def __exit__(self, *exc) -> None:
        if self.conn is not None:
            try:
                self.conn.logout()
            except (OSError, imaplib.IMAP4.error):
                pass

    @staticmethod
    def _quoted(folder: str) -> str:
        return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def uids_after(self, last_uid: int) -> list[int]:
        status, data = self.conn.uid("search", None, f"UID {last_uid + 1}:*")
        if status != "OK":
            raise MailError("search failed")
        uids = sorted(int(x) for x in (data[0] or b"").split())
        return [u for u in uids if u > last_uid]  # "n:*" always returns the last message, even below n

    def fetch(self, uid: int) -> RawMessage | None:
        status, data = self.conn.uid("fetch", str(uid), "(BODY.PEEK[])")
        if status != "OK":
            raise MailError(f"fetch {uid} failed")
        for part in data:
            if isinstance(part, tuple) and len(part) == 2:
                return RawMessage(uid=uid, data=part[1])
        return None


def reader_for(mailbox: Mailbox) -> ImapReader:
    return ImapReader(
        host=mailbox.host,
        port=mailbox.port,
        username=mailbox.username,
        password=os.environ.get(mailbox.password_env, ""),
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


def _date(message, now: dt.datetime) -> dt.datetime | None:
    try:
        when = parsedate_to_datetime(message.get("Date", ""))
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None or when > now or when < now - dt.timedelta(days=365):
        return None
    return when


@dataclass
class Parsed:
    message_id: str
    name: str
    address: str
    subject: str
    text: str
    sent_at: dt.datetime | None


def parse(raw: bytes, *, now: dt.datetime) -> Parsed:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    name, address = parseaddr(str(message.get("From", "")))
    return Parsed(
        message_id=str(message.get("Message-ID", "")).strip()[:180],
        name=name,
        address=address if "@" in address else "",
        subject=str(message.get("Subject", "")).strip(),
        text=_text_of(message),
        sent_at=_date(message, now),
    )


def _import_one(
    mailbox: Mailbox, raw: RawMessage, validity: int | None, now: dt.datetime
) -> FeedbackItem | None:
    parsed = parse(raw.data, now=now)
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
                received_at=parsed.sent_at,
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
                    received_at=parsed.sent_at,
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
        log.warning("feedback mail %s: %s", mailbox, exc)
        error = str(exc)[:500]
    Mailbox.objects.filter(pk=mailbox.pk).update(last_checked_at=timezone.now(), last_error=error)
    return made


def import_all(*, batch: int | None = None) -> int:
    """Every active mailbox once."""
    return sum(
        mailbox_import(m, batch=batch) for m in Mailbox.objects.filter(is_active=True).select_related("unit")
    )
