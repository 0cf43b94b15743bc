"""Spreadsheet helpers shared by the apps' openpyxl exports."""

from __future__ import annotations

from collections.abc import Iterable


def as_text(cells: Iterable) -> None:
    """Keep typed text such as "=HYPERLINK(…)" a text: openpyxl writes any string starting with "=" as a formula,
    and an export never means one."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"


def workbook_as_text(workbook) -> None:
    """`as_text` over every cell of every sheet of a (normal, not write-only) workbook."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            as_text(row)
