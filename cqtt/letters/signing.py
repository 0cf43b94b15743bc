"""The e-signature hook (ADR 0017). A provider signs a letter at the moment the leader signs it in the platform
and answers how it was signed; the default is a hand signature on the printed letter, so the platform records
who approved it and when, and the PDF carries a signature space. A province plugs in its digital-signature
service by naming a class in `LETTERS_SIGNATURE_PROVIDER` with the same `sign(letter, pdf) -> Signature`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Signature:
    method: str  # "hand", or the provider's name
    reference: str = ""  # the provider's id of the signed document
    signed_pdf: bytes | None = None  # the signed file, when the provider returns one


class HandSignature:
    """Printed, then signed and sealed by hand: nothing to do electronically."""

    name = "hand"
    needs_pdf = False

    def sign(self, letter, pdf: bytes | None) -> Signature:
        return Signature("hand")


@cache
def provider():
    path = getattr(settings, "LETTERS_SIGNATURE_PROVIDER", "") or "cqtt.letters.signing.HandSignature"
    return import_string(path)()
