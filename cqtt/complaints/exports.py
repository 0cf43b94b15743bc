"""The case book as a spreadsheet: one row per case of the list the user sees, with its deadlines and outcome.
Built from the redacted copy only: the person's identity is never read here (ADR 0022)."""

from __future__ import annotations

import tempfile
from typing import IO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from cqtt.core.xlsx import as_text

from .models import Case, Channel, Kind, Status

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    "code",
    "kind",
    "channel",
    "received_on",
    "acceptance_due_on",
    "accepted_on",
    "resolution_due_on",
    "extension_count",
    "status",
    "closed_on",
    "on_time",
    "anonymous",
    "content",
    "outcome",
    "decision_number",
    "target_body",
)


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _cells(sheet, values: list) -> list:
    """Cells whose text is always text: a content typed as "=HYPERLINK(…)" must not become a formula."""
    cells = [WriteOnlyCell(sheet, value=value) for value in values]
    as_text(cells)
    return cells


def case_book_xlsx(rows: QuerySet[Case]) -> IO[bytes]:
    """A write-only workbook of the rows (values only: no model instance, no identity), in a temporary file."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Sổ theo dõi đơn"))
    sheet.append(
        [
            _("Mã đơn"),
            _("Loại đơn"),
            _("Hình thức tiếp nhận"),
            _("Ngày nhận"),
            _("Hạn thụ lý / xử lý ban đầu"),
            _("Ngày thụ lý"),
            _("Hạn giải quyết"),
            _("Số lần gia hạn"),
            _("Trạng thái"),
            _("Ngày kết thúc"),
            _("Đúng hạn"),
            _("Giấu tên"),
            _("Nội dung (đã che thông tin cá nhân)"),
            _("Kết quả"),
            _("Số văn bản"),
            _("Chuyển đến"),
        ]
    )
    kinds, channels, statuses = dict(Kind.choices), dict(Channel.choices), dict(Status.choices)
    for r in rows.values(*COLUMNS).iterator(chunk_size=2000):
        sheet.append(
            _cells(
                sheet,
                [
                    r["code"],
                    str(kinds.get(r["kind"], r["kind"])),
                    str(channels.get(r["channel"], r["channel"])),
                    _day(r["received_on"]),
                    _day(r["acceptance_due_on"]),
                    _day(r["accepted_on"]),
                    _day(r["resolution_due_on"]),
                    r["extension_count"],
                    str(statuses.get(r["status"], r["status"])),
                    _day(r["closed_on"]),
                    "" if r["on_time"] is None else (_("Có") if r["on_time"] else _("Không")),
                    _("Có") if r["anonymous"] else "",
                    r["content"],
                    r["outcome"],
                    r["decision_number"],
                    r["target_body"],
                ],
            )
        )
    out = tempfile.TemporaryFile()
    book.save(out)
    out.seek(0)
    return out
