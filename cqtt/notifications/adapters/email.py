"""E-mail through Django's mail backend (SMTP in production: `EMAIL_HOST`, `EMAIL_PORT`, …). The Message-ID
header carries the message id. SMTP cannot tell whether a message interrupted by a crash was delivered, so such
a message is not sent again blindly. Each e-mail has an unsubscribe link (also as `List-Unsubscribe`)."""

from __future__ import annotations

import smtplib

from django.core import mail
from django.utils.translation import gettext as _

from . import ACCEPTED, PERMANENT, TECHNICAL, TEMPORARY, Adapter, Outcome, conf


class Email(Adapter):
    name = "email"
    channel = "email"
    idempotent = False

    def __init__(self) -> None:
        self.connection = None

    def _connection(self):
        if self.connection is None:
            self.connection = mail.get_connection(
                fail_silently=False, timeout=conf("HTTP_TIMEOUT_SECONDS", 10.0)
            )
        return self.connection

    def send(self, message) -> Outcome:
        from ..services import unsubscribe_url

        domain = conf("EMAIL_MESSAGE_ID_DOMAIN", "cqtt.local")
        link = unsubscribe_url(message)
        line = conf("UNSUBSCRIBE_LINE") or _("Ngừng nhận thư thông báo")
        email = mail.EmailMessage(
            subject=message.subject,
            body=f"{message.text}\n\n—\n{line}: {link}",
            to=[message.to],
            headers={
                "Message-ID": f"<{message.pk}@{domain}>",
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            connection=self._connection(),
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            return Outcome(PERMANENT, reason=f"SMTP: {_first_code(exc.recipients)}")
        except smtplib.SMTPAuthenticationError:
            self.close()
            return Outcome(TECHNICAL, reason="SMTP: authentication failed")
        except smtplib.SMTPResponseException as exc:
            self.close()
            kind = PERMANENT if 500 <= exc.smtp_code < 600 else TEMPORARY
            return Outcome(kind, reason=f"SMTP {exc.smtp_code}")
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self.close()
            return Outcome(TEMPORARY, reason=f"SMTP: {type(exc).__name__}")
        return Outcome(ACCEPTED, provider_id=f"<{message.pk}@{domain}>")

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # a broken connection is dropped either way
                pass
            self.connection = None


def _first_code(recipients: dict) -> str:
    for code, _text in recipients.values():
        return str(code)
    return "refused"
