"""Reading a catalogue file (xlsx or CSV) into raw rows; see `columns` for the layout."""

import csv
import io
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from cqtt.core.text import fold

from .columns import BY_FOLDED_HEADER, COLUMNS

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number (the header is row 1); 0 = the whole file
    column: str  # header text, or ""
    message: str


class FileRejected(Exception):
    """The file cannot be read at all; `errors` says why."""

    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


def _file_error(message: str) -> FileRejected:
    return FileRejected([RowError(0, "", message)])


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken or foreign file
        raise _file_error(_("Không đọc được tệp Excel (.xlsx). Hãy lưu lại tệp dưới dạng .xlsx.")) from None
    sheet = workbook.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    workbook.close()
    return rows


def _read_csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_table(file: IO[bytes], filename: str) -> list[tuple[int, dict]]:
    """The data rows as (row number, {column key: cell value}); raises FileRejected for a bad file or header."""
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _file_error(_("Tệp quá lớn (tối đa 5 MB)."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif name.endswith(".csv"):
        rows = _read_csv(data)
    else:
        raise _file_error(_("Chỉ nhận tệp .xlsx hoặc .csv."))
    if not rows:
        raise _file_error(_("Tệp không có dữ liệu."))
    header = rows[0]
    keys: list[str | None] = []
    errors: list[RowError] = []
    for cell in header:
        column = BY_FOLDED_HEADER.get(fold(str(cell or "")))
        if cell not in (None, "") and column is None:
            errors.append(RowError(1, str(cell), _("Cột “%(h)s” không thuộc mẫu nhập.") % {"h": cell}))
        if column is not None and column.key in keys:
            errors.append(RowError(1, str(cell), _("Cột “%(h)s” bị lặp.") % {"h": cell}))
        keys.append(column.key if column else None)
    for column in COLUMNS:
        if column.required and column.key not in keys:
            errors.append(RowError(1, column.header, _("Thiếu cột bắt buộc “%(h)s”.") % {"h": column.header}))
    if errors:
        raise FileRejected(errors)
    table: list[tuple[int, dict]] = []
    for number, row in enumerate(rows[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        if number > MAX_ROWS + 1:
            raise _file_error(_("Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": MAX_ROWS})
        table.append((number, {key: value for key, value in zip(keys, row, strict=False) if key}))
    if not table:
        raise _file_error(_("Tệp không có dòng dữ liệu nào."))
    return table
