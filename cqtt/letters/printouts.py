"""The letter on paper: the administrative document layout of ND 30/2020 (national motto and slogan, issuing
body, number and symbol, place and date, "Kính gửi", body, signature block, recipients), A4, the bundled font."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.dossiers.printouts.printing import commune_of, place_and_date, render_pdf

from . import rules
from .models import Letter


def letter_context(letter: Letter) -> dict:
    from .services import rendered

    commune = commune_of(letter.unit)
    subject, paragraphs = rendered(letter)
    when = letter.signed_at or timezone.now()
    return {
        "letter": letter,
        "addressee": rules.addressee(letter.recipient_name),
        "head": {
            "parent": "",
            "body": _("ỦY BAN NHÂN DÂN\n%(u)s") % {"u": commune.full_name.upper()},
            "number": letter.number_text,
            "place_date": place_and_date(commune, when),
        },
        "kind_title": (letter.title or letter.get_kind_display()).upper(),
        "subject": subject,
        "paragraphs": paragraphs,
        "signer_title": letter.signer_title or _("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"),
        "signer_name": letter.signer.get_full_name() if letter.signer else "",
        "draft": letter.number is None,
        "recipients": [letter.recipient_name, _("Lưu: VT, Bộ phận Một cửa.")],
    }


def letter_pdf(letter: Letter) -> bytes:
    """The letter as issued: in the platform's language, whatever the screen's."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf("letters/print/letter.html", letter_context(letter))
