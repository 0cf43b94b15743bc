"""What the reception printouts share: the letterhead of the commune's People's Committee (ND 30/2020, with the
dossiers' print layout and fonts) and the dates written out in words."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import gettext as _

from cqtt.dossiers.printouts.printing import (
    commune_of,
    long_date,
    long_datetime,
    place_and_date,
    render_html,
    render_pdf,
)
from cqtt.units.models import Unit

__all__ = ["letterhead", "long_date", "long_datetime", "pdf_response", "render_html"]


def letterhead(unit: Unit, *, when: dt.datetime | dt.date, number: str = "") -> dict:
    """Both header blocks: the committee above (the province) and the committee issuing (the commune)."""
    commune = commune_of(unit)
    parent = commune.parent if commune.parent_id else None
    return {
        "parent": (_("UBND %(u)s") % {"u": parent.full_name.upper()}) if parent else "",
        "body": _("ỦY BAN NHÂN DÂN %(u)s") % {"u": commune.full_name.upper()},
        "number": number,
        "place_date": place_and_date(commune, when),
        "commune": commune,
    }


def pdf_response(template_name: str, context: dict, filename: str) -> HttpResponse:
    """The printout as a PDF shown in the browser (the dossiers' fonts and layout)."""
    response = HttpResponse(render_pdf(template_name, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
