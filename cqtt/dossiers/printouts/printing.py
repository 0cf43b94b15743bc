"""Printed forms of the one-stop office (TT 01/2018/TT-VPCP, layout after ND 30/2020/NĐ-CP), rendered from HTML
templates to PDF by WeasyPrint with a bundled serif font, so the output never depends on the fonts of the server.

Each `*_context` function gathers what one form shows (already formatted: dd/mm/yyyy, HH:MM, Vietnam time);
`render_html` / `render_document` / `render_pdf` turn a template and its context into HTML, a laid-out
`weasyprint.Document` (tests inspect its pages) or PDF bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import segno
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqtt.procedures.rules import format_vnd
from cqtt.units.models import Office, Unit, UnitLevel

from ..models import Channel, Dossier, DossierStep, Status, SupplementRequest
from ..selectors import dossier_lookup_path, dossier_personal_data_for

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "CQTT Serif"
# Liberation Serif 2 (SIL OFL 1.1, see fonts/OFL.txt): metrically compatible with Times New Roman, full Vietnamese.
FONT_FACES = (
    ("LiberationSerif-Regular.ttf", "normal", "normal"),
    ("LiberationSerif-Bold.ttf", "bold", "normal"),
    ("LiberationSerif-Italic.ttf", "normal", "italic"),
)

# Name prefixes of a commune-level unit dropped in the "place" of a document date ("Thủ Dầu Một, ngày …").
_PLACE_PREFIXES = ("Phường ", "Xã ", "Đặc khu ", "Thị trấn ")

REFUSAL_TITLES = {
    Status.INTAKE_REFUSED: gettext_lazy("PHIẾU TỪ CHỐI TIẾP NHẬN HỒ SƠ"),
    Status.REFUSED: gettext_lazy("PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ"),
}


# --- rendering ---------------------------------------------------------------------------------------------


def font_face_css() -> str:
    """@font-face rules for the bundled font, by file:// URL, and the font made the default of every form."""
    rules = []
    for filename, weight, style in FONT_FACES:
        url = (FONT_DIR / filename).as_uri()
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{url}") format("truetype"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    rules.append(f'html {{ font-family: "{FONT_FAMILY}", serif; }}')
    return "\n".join(rules)


@functools.cache
def _url_fetcher_class():
    """A fetcher that reads only the bundled fonts and data: URLs: a form never reaches the network or any
    other local file, whatever the data printed on it."""
    from weasyprint.urls import URLFetcher

    allowed = frozenset((FONT_DIR / name).as_uri() for name, _w, _s in FONT_FACES)

    class FormURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not (url.startswith("data:") or url in allowed):
                raise ValueError(f"Tài nguyên không được phép khi in: {url[:80]}")
            return super().fetch(url, headers)

    return FormURLFetcher


def _url_fetcher():
    # A new fetcher per document: URLFetcher keeps per-request state.
    return _url_fetcher_class()(allowed_protocols={"file", "data"})


def render_html(template_name: str, context: dict, request: HttpRequest | None = None) -> str:
    return render_to_string(template_name, context, request=request)


def html_to_document(html: str):
    """Lay out HTML with the bundled font; returns a `weasyprint.Document` (pages, sizes, `write_pdf`)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    fonts = CSS(string=font_face_css(), font_config=font_config, url_fetcher=_url_fetcher())
    return HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=_url_fetcher()).render(
        stylesheets=[fonts], font_config=font_config
    )


def render_document(template_name: str, context: dict, request: HttpRequest | None = None):
    return html_to_document(render_html(template_name, context, request))


def render_pdf(template_name: str, context: dict, request: HttpRequest | None = None) -> bytes:
    return render_document(template_name, context, request).write_pdf()


# --- formatting --------------------------------------------------------------------------------------------


def fmt_date(value: dt.datetime | dt.date | None) -> str:
    """dd/mm/yyyy in Vietnam time; '' for None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y}"


def fmt_time(value: dt.datetime | None) -> str:
    return "" if value is None else f"{timezone.localtime(value):%H:%M}"


def fmt_datetime(value: dt.datetime | None) -> str:
    """HH:MM dd/mm/yyyy."""
    return "" if value is None else f"{fmt_time(value)} {fmt_date(value)}"


def _nd30_day_month(day: int, month: int) -> tuple[str, str]:
    """ND 30/2020: a day below 10 and the months 1 and 2 take a leading zero."""
    return (f"{day:02d}", f"{month:02d}" if month < 3 else str(month))


def long_date(value: dt.datetime | dt.date) -> str:
    """'ngày 05 tháng 01 năm 2026'."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    day, month = _nd30_day_month(value.day, value.month)
    return _("ngày %(d)s tháng %(m)s năm %(y)s") % {"d": day, "m": month, "y": value.year}


def long_datetime(value: dt.datetime | None) -> str:
    """'09 giờ 00 phút, ngày 23 tháng 11 năm 2026'."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return _("%(h)s giờ %(mi)s phút, %(date)s") % {
        "h": f"{local.hour:02d}",
        "mi": f"{local.minute:02d}",
        "date": long_date(local),
    }


def place_name(unit: Unit) -> str:
    name = unit.name
    for prefix in _PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def place_and_date(unit: Unit, value: dt.datetime | dt.date) -> str:
    """'Thủ Dầu Một, ngày 23 tháng 11 năm 2026' (the commune's name without 'Phường', 'Xã')."""
    return f"{place_name(unit)}, {long_date(value)}"


def entry_number(number: int | None) -> str:
    return "" if number is None else f"{number:02d}"


def slip_number(number: int | None, when: dt.datetime | dt.date, suffix: str) -> str:
    """ "NN/YYYY/<suffix>" for a numbered slip; '' when the slip has no number (older rows)."""
    if number is None:
        return ""
    year = timezone.localtime(when).year if isinstance(when, dt.datetime) else when.year
    return f"{entry_number(number)}/{year}/{suffix}"


# --- letterhead --------------------------------------------------------------------------------------------


def commune_of(unit: Unit) -> Unit:
    """The commune (or province) a department or agency belongs to; the unit itself otherwise."""
    seen = 0
    while unit.level not in (UnitLevel.COMMUNE, UnitLevel.PROVINCE) and unit.parent_id and seen < 5:
        unit = unit.parent
        seen += 1
    return unit


def office_of(unit: Unit) -> Office | None:
    return Office.objects.filter(unit=unit).first()


def letterhead(unit: Unit, *, when: dt.datetime | dt.date, number: str = "") -> dict:
    """Both header blocks of an administrative document (ND 30/2020, Phụ lục I)."""
    commune = commune_of(unit)
    office = office_of(commune)
    return {
        "parent": _("UBND %(unit)s") % {"unit": commune.full_name.upper()},
        "body": (office.name if office else _("Bộ phận Một cửa")).upper(),
        "number": number,
        "place_date": place_and_date(commune, when),
        "commune": commune,
        "office": office,
    }


# --- QR code -----------------------------------------------------------------------------------------------


def lookup_url(request: HttpRequest, dossier: Dossier) -> str:
    """The absolute public lookup URL of the dossier, the payload of its QR code."""
    return request.build_absolute_uri(dossier_lookup_path(dossier))


def qr_svg(payload: str) -> str:
    """An inline SVG QR code (sized by CSS through its viewBox)."""
    return segno.make(payload, error="m").svg_inline(scale=1, border=0, omitsize=True, dark="#000")


# --- the forms ---------------------------------------------------------------------------------------------


def _applicant(dossier: Dossier, user) -> dict:
    """The applicant as the printing user may see it (ID number and phone masked for the observer)."""
    return {
        "name": dossier.applicant_name,
        "address": dossier.applicant_address,
        "email": dossier.applicant_email,
        "kind": dossier.get_applicant_kind_display(),
        **dossier_personal_data_for(user=user).of_dossier(dossier),
    }


def _person(user) -> str:
    if user is None:
        return ""
    return user.full_name or user.get_username()


def _fees(dossier: Dossier) -> list[dict]:
    return [
        {
            "name": fee.name,
            "amount": _("Miễn") if fee.exempted else format_vnd(fee.amount),
        }
        for fee in dossier.fees.all()
    ]


def receipt_context(request: HttpRequest, dossier: Dossier) -> dict:
    """Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    head = letterhead(
        dossier.receiving_unit,
        when=dossier.received_at,
        number=f"{entry_number(dossier.book_number)}/{dossier.book_year}" if dossier.book_number else "",
    )
    url = lookup_url(request, dossier)
    office = head["office"]
    delivery = dossier.get_delivery_display()
    if dossier.delivery == Channel.COUNTER and office and office.address:
        delivery = f"{delivery} — {office.address}"
    elif dossier.delivery == Channel.POST and dossier.applicant_address:
        delivery = _("%(channel)s, đến địa chỉ: %(address)s") % {
            "channel": delivery,
            "address": dossier.applicant_address,
        }
    documents = [
        {"name": d.name, "kind": d.get_kind_display(), "count": d.count}
        for d in dossier.documents.filter(submitted=True).order_by("order", "id")
    ]
    return {
        "head": head,
        "dossier": dossier,
        "applicant": _applicant(dossier, getattr(request, "user", None)),
        "procedure": dossier.procedure,
        "documents": documents,
        "duration": dossier.procedure.duration_text,
        "received": long_datetime(dossier.received_at),
        "due": long_datetime(dossier.due_at),
        "delivery": delivery,
        "fees": _fees(dossier),
        "fees_total": format_vnd(dossier.fees_total),
        "book_year": dossier.book_year,
        "book_number": entry_number(dossier.book_number),
        "receiver": _person(dossier.received_by),
        "lookup_url": url,
        "lookup_page": request.build_absolute_uri(reverse("portal:lookup")),
        "qr_svg": qr_svg(url),
        "office_phone": (office.phone if office else "") or dossier.receiving_unit.phone,
    }


def latest_supplement(dossier: Dossier) -> SupplementRequest | None:
    return dossier.supplements.select_related("requested_by").order_by("-requested_at", "-id").first()


def supplement_context(request: HttpRequest, dossier: Dossier, supplement: SupplementRequest) -> dict:
    """Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    head = letterhead(
        dossier.receiving_unit,
        when=supplement.requested_at,
        number=slip_number(supplement.number, supplement.requested_at, "PYCBS"),
    )
    office = head["office"]
    return {
        "head": head,
        "dossier": dossier,
        "applicant": _applicant(dossier, getattr(request, "user", None)),
        "procedure": dossier.procedure,
        "supplement": supplement,
        "items": [str(item) for item in supplement.items],
        "stage": supplement.get_stage_display(),
        "requested": long_datetime(supplement.requested_at),
        "officer": _person(supplement.requested_by),
        "office_phone": (office.phone if office else "") or dossier.receiving_unit.phone,
        "office_address": (office.address if office else "") or dossier.receiving_unit.address,
    }


def refusal_context(request: HttpRequest, dossier: Dossier) -> dict:
    """Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ (at reception or after appraisal)."""
    action = "refuse-intake" if dossier.status == Status.INTAKE_REFUSED else "refuse"
    event = (
        dossier.events.filter(action=action).select_related("actor").order_by("-occurred_at", "-id").first()
    )
    when = (event.occurred_at if event else None) or dossier.finished_at or dossier.updated_at
    head = letterhead(
        dossier.receiving_unit, when=when, number=slip_number(dossier.refusal_number, when, "PTC")
    )
    return {
        "head": head,
        "dossier": dossier,
        "applicant": _applicant(dossier, getattr(request, "user", None)),
        "procedure": dossier.procedure,
        "title": REFUSAL_TITLES[dossier.status],
        "at_intake": dossier.status == Status.INTAKE_REFUSED,
        "reason": dossier.refusal_reason,
        "submitted": long_datetime(dossier.submitted_at),
        "received": long_datetime(dossier.received_at),
        "signer": _person(event.actor if event else None),
        "office_phone": (head["office"].phone if head["office"] else "") or dossier.receiving_unit.phone,
    }


def _step_row(step: DossierStep) -> dict:
    return {
        "seq": step.seq,
        "name": step.name,
        "from_unit": step.from_unit.full_name,
        "to_unit": step.to_unit.full_name,
        "handed_by": _person(step.handed_by),
        "to_user": _person(step.to_user),
        "started_time": fmt_time(step.started_at),
        "started_date": fmt_date(step.started_at),
        "due_time": fmt_time(step.due_at),
        "due_date": fmt_date(step.due_at),
        "completed_time": fmt_time(step.completed_at),
        "completed_date": fmt_date(step.completed_at),
        "timeliness": step.get_timeliness_display() if step.timeliness else "",
        "timeliness_code": step.timeliness,
        "note": step.note,
    }


def control_context(request: HttpRequest, dossier: Dossier) -> dict:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per hand-over."""
    steps = dossier.steps.select_related("from_unit", "to_unit", "handed_by", "to_user").order_by("seq")
    head = letterhead(dossier.receiving_unit, when=dossier.received_at or dossier.submitted_at)
    return {
        "head": head,
        "dossier": dossier,
        "applicant": _applicant(dossier, getattr(request, "user", None)),
        "procedure": dossier.procedure,
        "handling_unit": dossier.handling_unit.full_name,
        "received": fmt_datetime(dossier.received_at),
        "due": fmt_datetime(dossier.due_at),
        "steps": [_step_row(step) for step in steps],
    }


def tracking_book_context(*, user, start: dt.date, end: dt.date, unit: Unit | None, rows) -> dict:
    """Sổ theo dõi hồ sơ: rows come from `exports.tracking_book_rows`, grouped by receiving unit."""
    head_unit = unit or getattr(user, "unit", None)
    head = letterhead(head_unit, when=timezone.localdate()) if head_unit else None
    groups: list[dict] = []
    for row in rows:
        if not groups or groups[-1]["unit"] != row["receiving_unit"]:
            groups.append({"unit": row["receiving_unit"], "rows": []})
        groups[-1]["rows"].append(row)
    return {
        "head": head,
        "unit": unit,
        "start": fmt_date(start),
        "end": fmt_date(end),
        "groups": groups,
        "total": sum(len(g["rows"]) for g in groups),
        "printed": fmt_datetime(timezone.now()),
    }
