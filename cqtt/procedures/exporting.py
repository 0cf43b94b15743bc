"""Writing the catalogue as xlsx or CSV, in the layout `importing` reads back (see `columns`)."""

import csv
import io
from collections.abc import Iterable

from .columns import COLUMNS, ProcedureRecord, record_cells

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def export_csv(records: Iterable[ProcedureRecord]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in COLUMNS])
    for record in records:
        cells = record_cells(record)
        writer.writerow([cells[c.key] for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM so that Excel opens it as UTF-8


def export_xlsx(records: Iterable[ProcedureRecord]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Thủ tục hành chính"
    sheet.append([c.header for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in records:
        cells = record_cells(record)
        sheet.append([cells[c.key] for c in COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"  # text: keeps codes like 1.001193 and dates as typed
            cell.alignment = wrap
    widths = {"name": 50, "documents": 60, "fees": 40, "legal_basis": 40, "result": 30, "units": 24}
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = widths.get(
            column.key, 16
        )
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
