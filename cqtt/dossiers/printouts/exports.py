"""Spreadsheet exports: the tracking book (Sổ theo dõi hồ sơ) and the dossier list, as xlsx.

Rows are read with `values()` and `iterator()` and written by a write-only openpyxl workbook into a temporary file,
so memory stays flat however many dossiers there are; the number of queries does not depend on the row count.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from copy import copy
from dataclasses import dataclass
from typing import IO

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side

from ..models import Dossier, DossierStep, Status, Timeliness
from ..selectors import dossier_personal_data_for, dossier_scope_q

MAX_RANGE_DAYS = 366
# WeasyPrint lays out roughly 70-100 register rows a second: past this the PDF would hold a worker too long.
BOOK_PDF_MAX_ROWS = 1000
CHUNK = 2000

STATUS_LABELS = dict(Status.choices)
TIMELINESS_LABELS = dict(Timeliness.choices)

TRACKING_BOOK_COLUMNS = (
    # (header, width in characters)
    (gettext_lazy("STT"), 7),
    (gettext_lazy("Mã hồ sơ"), 20),
    (gettext_lazy("Tên thủ tục hành chính"), 34),
    (gettext_lazy("Số lượng hồ sơ (bộ)"), 9),
    (gettext_lazy("Tên cá nhân, tổ chức"), 24),
    (gettext_lazy("Địa chỉ, số điện thoại"), 30),
    (gettext_lazy("Cơ quan chủ trì giải quyết"), 26),
    (gettext_lazy("Ngày nhận hồ sơ"), 12),
    (gettext_lazy("Ngày hẹn trả kết quả"), 12),
    (gettext_lazy("Chuyển hồ sơ đến cơ quan giải quyết"), 26),
    (gettext_lazy("Nhận kết quả từ cơ quan giải quyết"), 12),
    (gettext_lazy("Trả kết quả cho cá nhân, tổ chức"), 12),
    (gettext_lazy("Ghi chú"), 22),
)

LIST_COLUMNS = (
    (gettext_lazy("Mã hồ sơ"), 20),
    (gettext_lazy("Thủ tục"), 40),
    (gettext_lazy("Người nộp"), 26),
    (gettext_lazy("Trạng thái"), 28),
    (gettext_lazy("Ngày tiếp nhận"), 17),
    (gettext_lazy("Hẹn trả"), 17),
    (gettext_lazy("Hạn ban đầu"), 17),
    (gettext_lazy("Hoàn thành"), 17),
    (gettext_lazy("Kết quả đúng hạn"), 14),
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- date range --------------------------------------------------------------------------------------------


class BadRange(ValueError):
    """A date range the tracking book refuses; the message is for the user."""


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    end: dt.date

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00, day after end 00:00) in the current (Vietnam) time zone."""
        lo = timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))
        hi = timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))
        return lo, hi


DAY_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")  # as typed on the page (dd/mm/yyyy), as written in links (ISO)


def _parse_day(raw: str, label: str) -> dt.date:
    for fmt in DAY_FORMATS:
        try:
            return dt.datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    raise BadRange(
        _("Ngày “%(v)s” ở ô %(f)s không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 23/11/2026.")
        % {"v": raw[:20], "f": label}
    )


def parse_range(params, *, today: dt.date | None = None) -> DateRange:
    """`from`/`to` (dd/mm/yyyy or YYYY-MM-DD) of a query string; the current month when both are missing."""
    today = today or timezone.localdate()
    raw_from, raw_to = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    month_start = today.replace(day=1)
    next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
    start = _parse_day(raw_from, _("“từ ngày”")) if raw_from else month_start
    end = _parse_day(raw_to, _("“đến ngày”")) if raw_to else next_month - dt.timedelta(days=1)
    if end < start:
        raise BadRange(_("“Đến ngày” phải sau hoặc trùng “từ ngày”."))
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise BadRange(
            _("Mỗi lần chỉ xuất tối đa %(n)s ngày; hãy thu hẹp khoảng thời gian.") % {"n": MAX_RANGE_DAYS}
        )
    return DateRange(start, end)


# --- tracking book -----------------------------------------------------------------------------------------


def _received_in(*, user, period: DateRange, unit_code: str | None) -> QuerySet[Dossier]:
    lo, hi = period.bounds
    qs = Dossier.objects.filter(dossier_scope_q(user), received_at__gte=lo, received_at__lt=hi)
    if unit_code:
        qs = qs.filter(receiving_unit__code=unit_code)
    return qs


def tracking_book_count(*, user, period: DateRange, unit_code: str | None = None) -> int:
    return _received_in(user=user, period=period, unit_code=unit_code).count()


def tracking_book_queryset(*, user, period: DateRange, unit_code: str | None = None) -> QuerySet[Dossier]:
    """Dossiers received in the period that the user sees, by receiving unit then book entry (one query)."""
    qs = _received_in(user=user, period=period, unit_code=unit_code)
    first_step = DossierStep.objects.filter(dossier=OuterRef("pk")).order_by("seq")
    return (
        qs.annotate(
            sent_to=Subquery(first_step.values("to_unit__full_name")[:1]),
            sent_at=Subquery(first_step.values("started_at")[:1]),
        )
        .order_by("receiving_unit__path", "book_year", "book_number", "id")
        .values(
            "code",
            "book_year",
            "book_number",
            "procedure__name",
            "sets_count",
            "applicant_name",
            "applicant_address",
            "applicant_phone",
            "receiving_unit_id",
            "handling_unit_id",
            "current_unit_id",
            "handling_unit__full_name",
            "receiving_unit__full_name",
            "received_at",
            "due_at",
            "original_due_at",
            "extended_at",
            "finished_at",
            "returned_at",
            "status",
            "timeliness",
            "sent_to",
            "sent_at",
        )
    )


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else timezone.localtime(value).date()


def _book_note(row: dict) -> str:
    notes = []
    if row["status"] in (Status.REFUSED, Status.WITHDRAWN, Status.SUPPLEMENT_REQUESTED):
        notes.append(str(STATUS_LABELS[row["status"]]))
    if row["extended_at"] is not None:
        notes.append(_("Gia hạn, hẹn cũ %(d)s") % {"d": f"{_local_date(row['original_due_at']):%d/%m/%Y}"})
    if row["timeliness"] == Timeliness.LATE:
        notes.append(str(TIMELINESS_LABELS[Timeliness.LATE]))
    return "; ".join(notes)


def tracking_book_rows(*, user, period: DateRange, unit_code: str | None = None) -> Iterator[dict]:
    """One dict per book entry; dates are `datetime.date` in Vietnam time."""
    qs = tracking_book_queryset(user=user, period=period, unit_code=unit_code)
    personal = dossier_personal_data_for(user=user)
    for row in qs.iterator(chunk_size=CHUNK):
        address = row["applicant_address"]
        phone = personal.phone(
            row["applicant_phone"], row["receiving_unit_id"], row["handling_unit_id"], row["current_unit_id"]
        )
        if phone:
            address = f"{address}; {_('ĐT')}: {phone}" if address else phone
        sent_to = row["sent_to"] or ""
        yield {
            "number": row["book_number"],
            "year": row["book_year"],
            "code": row["code"],
            "procedure": row["procedure__name"],
            "sets": row["sets_count"],
            "applicant": row["applicant_name"],
            "address_phone": address,
            "handling_unit": row["handling_unit__full_name"],
            "receiving_unit": row["receiving_unit__full_name"],
            "received": _local_date(row["received_at"]),
            "due": _local_date(row["due_at"]),
            "sent_to": sent_to,
            "sent_at": _local_date(row["sent_at"]),
            "finished": _local_date(row["finished_at"]),
            "returned": _local_date(row["returned_at"]),
            "note": _book_note(row),
        }


# --- xlsx --------------------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FONT = Font(name="Times New Roman", bold=True, size=11)
_TITLE_FONT = Font(name="Times New Roman", bold=True, size=14)
_TEXT_FONT = Font(name="Times New Roman", size=11)
_ITALIC_FONT = Font(name="Times New Roman", italic=True, size=11)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


class _Cells:
    """Styled write-only cells for one sheet. Each kind of cell is styled once and its style array copied to
    the next cells: assigning style objects cell by cell hashes them every time and costs 5x more."""

    def __init__(self, ws):
        self.ws = ws
        self._styles: dict[str, object] = {}

    def _cell(self, value, kind: str, **style):
        proto = self._styles.get(kind)
        if proto is None:
            sample = WriteOnlyCell(self.ws)
            for name, setting in style.items():
                setattr(sample, name, setting)
            proto = self._styles[kind] = sample._style
        cell = WriteOnlyCell(self.ws, value=value)
        cell._style = copy(proto)
        return cell

    def title(self, text):
        return self._cell(str(text), "title", font=_TITLE_FONT)

    def italic(self, text):
        return self._cell(str(text), "italic", font=_ITALIC_FONT)

    def header(self, text):
        return self._cell(str(text), "header", font=_HEADER_FONT, alignment=_CENTRE, border=_BORDER)

    def date(self, value, fmt=DATE_FORMAT):
        return self._cell(value, f"date:{fmt}", number_format=fmt, border=_BORDER, alignment=_WRAP)

    def text(self, value):
        return self._cell(value, "text", alignment=_WRAP, border=_BORDER)


def _sheet(wb: Workbook, title: str, widths: Iterable[int]):
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=title)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    return ws


def _save(wb: Workbook) -> IO[bytes]:
    out = tempfile.TemporaryFile()
    wb.save(out)
    out.seek(0)
    return out


def _naive_local(value: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: Vietnam wall-clock time."""
    return None if value is None else timezone.localtime(value).replace(tzinfo=None)


def write_tracking_book(
    *, user, period: DateRange, unit_code: str | None = None, unit_name: str = ""
) -> IO[bytes]:
    """The tracking book as an xlsx file (opened temporary file, positioned at 0)."""
    wb = Workbook(write_only=True)
    ws = _sheet(wb, _("Sổ theo dõi hồ sơ"), (w for _h, w in TRACKING_BOOK_COLUMNS))
    ws.freeze_panes = "A5"
    c = _Cells(ws)
    ws.append([c.title(_("SỔ THEO DÕI HỒ SƠ"))])
    subtitle = _("Từ ngày %(a)s đến ngày %(b)s") % {
        "a": f"{period.start:%d/%m/%Y}",
        "b": f"{period.end:%d/%m/%Y}",
    }
    ws.append([c.italic(f"{unit_name} — {subtitle}" if unit_name else subtitle)])
    ws.append([])
    ws.append([c.header(h) for h, _w in TRACKING_BOOK_COLUMNS])
    for row in tracking_book_rows(user=user, period=period, unit_code=unit_code):
        sent = f"{row['sent_to']} ({row['sent_at']:%d/%m/%Y})" if row["sent_to"] else ""
        ws.append(
            [
                c.text(row["number"]),
                c.text(row["code"]),
                c.text(row["procedure"]),
                c.text(row["sets"]),
                c.text(row["applicant"]),
                c.text(row["address_phone"]),
                c.text(row["handling_unit"]),
                c.date(row["received"]),
                c.date(row["due"]),
                c.text(sent),
                c.date(row["finished"]),
                c.date(row["returned"]),
                c.text(row["note"]),
            ]
        )
    return _save(wb)


def parse_optional_range(params) -> DateRange | None:
    """The dossier list's period (`from`/`to`, both or neither): None, every dossier, when both are missing."""
    if not (params.get("from") or "").strip() and not (params.get("to") or "").strip():
        return None
    if not (params.get("from") or "").strip() or not (params.get("to") or "").strip():
        raise BadRange(_("Nhập cả “từ ngày” và “đến ngày”, hoặc để trống cả hai."))
    return parse_range(params)


def dossier_list_in(qs: QuerySet[Dossier], period: DateRange | None) -> QuerySet[Dossier]:
    """The scoped list `qs` narrowed to the dossiers submitted in `period` (every one when None): submission,
    because an online dossier has no reception yet."""
    if period is None:
        return qs
    lo, hi = period.bounds
    return qs.filter(submitted_at__gte=lo, submitted_at__lt=hi)


def dossier_list_rows(qs: QuerySet[Dossier]) -> Iterator[tuple]:
    fields = (
        "code",
        "procedure__name",
        "applicant_name",
        "status",
        "received_at",
        "due_at",
        "original_due_at",
        "finished_at",
        "timeliness",
    )
    yield from qs.values_list(*fields).iterator(chunk_size=CHUNK)


def write_dossier_list(qs: QuerySet[Dossier]) -> IO[bytes]:
    """Dossiers of `qs` (already scoped and filtered) as an xlsx file."""
    wb = Workbook(write_only=True)
    ws = _sheet(wb, _("Danh sách hồ sơ"), (w for _h, w in LIST_COLUMNS))
    ws.freeze_panes = "A2"
    c = _Cells(ws)
    ws.append([c.header(h) for h, _w in LIST_COLUMNS])
    for (
        code,
        procedure,
        applicant,
        status,
        received,
        due,
        original_due,
        finished,
        timeliness,
    ) in dossier_list_rows(qs):
        ws.append(
            [
                code,
                procedure,
                applicant,
                str(STATUS_LABELS.get(status, status)),
                c.date(_naive_local(received), DATETIME_FORMAT),
                c.date(_naive_local(due), DATETIME_FORMAT),
                c.date(_naive_local(original_due), DATETIME_FORMAT),
                c.date(_naive_local(finished), DATETIME_FORMAT),
                str(TIMELINESS_LABELS[timeliness]) if timeliness else "",
            ]
        )
    return _save(wb)
