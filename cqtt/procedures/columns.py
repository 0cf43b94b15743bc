"""Spreadsheet layout of the procedure catalogue, shared by import and export (xlsx and CSV).

The first row holds the headers below (matched without regard to case or diacritics, in any order); every
following row is **one procedure version**. Empty rows are skipped.

==========================  ========  =====================================================================
Header                      Required  Content
==========================  ========  =====================================================================
Mã thủ tục                  yes       national code, e.g. ``1.001193`` (or a local code such as ``DP.HT.02``)
Tên thủ tục                 yes       name
Mã lĩnh vực                 yes       code of an existing field (lĩnh vực)
Tên lĩnh vực                no        informative only (ignored on import)
Cấp thực hiện               yes       ``Cấp trung ương`` / ``Cấp tỉnh`` / ``Cấp xã``
Thời hạn giải quyết         yes       ``5 ngày làm việc``, ``0,5 ngày làm việc``, ``4 giờ làm việc``, ``Trong ngày``
Mức độ DVC trực tuyến       yes       ``Toàn trình`` / ``Một phần`` / ``Trực tiếp``
Sự kiện hộ tịch             no        ``Khai sinh`` / ``Kết hôn`` / ``Khai tử`` / ``Không`` (empty = Không)
Căn cứ pháp lý              no        free text
Kết quả thực hiện           no        free text
Hiệu lực từ                 yes       date ``dd/mm/yyyy`` (or ``yyyy-mm-dd``, or a spreadsheet date)
Hiệu lực đến                no        date; empty = still in force
Đơn vị thực hiện            no        unit codes separated by commas: ``25747, 25777``
Thành phần hồ sơ            no        one document per line: ``Tên giấy tờ | bản chính | 1 | ghi chú``
                                      (kind: bản chính, bản sao, bản sao có chứng thực, bản chính hoặc bản sao;
                                      count and note optional, count defaults to 1)
Phí, lệ phí                 no        one fee per line: ``Lệ phí | 8000 | miễn cho …`` (amount in đồng,
                                      ``8.000`` and ``8.000 đ`` accepted; exemptions optional)
==========================  ========  =====================================================================

(code, Hiệu lực từ) identifies a version: importing a row for an existing version updates it (documents and
fees are replaced; a document keeps its uploaded blank form when its name is unchanged).
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cqtt.core.text import fold, nfc

from .models import CompetentLevel, DocumentKind, LifeEvent, OnlineLevel, Procedure
from .rules import duration_text, parse_duration, parse_vnd


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # always Vietnamese: the file format does not change with the user's language
    required: bool = False
    hint: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã thủ tục", True, _("Mã TTHC quốc gia, ví dụ 1.001193, hoặc mã địa phương DP.…")),
    Column("name", "Tên thủ tục", True),
    Column("field_code", "Mã lĩnh vực", True, _("Mã của lĩnh vực đã có trong danh mục")),
    Column("field_name", "Tên lĩnh vực", False, _("Chỉ để đọc; không dùng khi nhập")),
    Column("competent_level", "Cấp thực hiện", True, _("Cấp trung ương, Cấp tỉnh hoặc Cấp xã")),
    Column(
        "duration",
        "Thời hạn giải quyết",
        True,
        _("Ví dụ: 5 ngày làm việc; 0,5 ngày làm việc; 4 giờ làm việc; Trong ngày"),
    ),
    Column("online_level", "Mức độ DVC trực tuyến", True, _("Toàn trình, Một phần hoặc Trực tiếp")),
    Column(
        "life_event", "Sự kiện hộ tịch", False, _("Khai sinh, Kết hôn, Khai tử hoặc Không (để trống = Không)")
    ),
    Column("legal_basis", "Căn cứ pháp lý"),
    Column("result", "Kết quả thực hiện"),
    Column("valid_from", "Hiệu lực từ", True, _("Ngày dạng dd/mm/yyyy")),
    Column("valid_to", "Hiệu lực đến", False, _("Để trống nếu còn hiệu lực")),
    Column("units", "Đơn vị thực hiện", False, _("Mã đơn vị cách nhau bởi dấu phẩy, ví dụ: 25747, 25777")),
    Column(
        "documents",
        "Thành phần hồ sơ",
        False,
        _(
            "Mỗi giấy tờ một dòng: Tên giấy tờ | bản chính | 1 | ghi chú (loại: bản chính, bản sao, bản sao có "
            "chứng thực, bản chính hoặc bản sao)"
        ),
    ),
    Column("fees", "Phí, lệ phí", False, _("Mỗi khoản một dòng: Lệ phí | 8000 | miễn cho …")),
)
HEADERS = {c.key: c.header for c in COLUMNS}
BY_FOLDED_HEADER = {fold(c.header): c for c in COLUMNS} | {c.key: c for c in COLUMNS}


@dataclass(frozen=True)
class DocumentLine:
    name: str
    kind: str = DocumentKind.ORIGINAL
    count: int = 1
    note: str = ""


@dataclass(frozen=True)
class FeeLine:
    name: str
    amount: int
    exemptions: str = ""


@dataclass(frozen=True)
class ProcedureRecord:
    """A procedure version as plain values: what a row of the sheet means."""

    code: str
    name: str
    field_code: str
    competent_level: str
    duration_amount: Decimal
    duration_unit: str
    online_level: str
    life_event: str
    legal_basis: str
    result: str
    valid_from: dt.date
    valid_to: dt.date | None
    units: tuple[str, ...] = ()
    documents: tuple[DocumentLine, ...] = ()
    fees: tuple[FeeLine, ...] = ()
    field_name: str = field(default="", compare=False)

    def content(self) -> "ProcedureRecord":
        """The same record without units (what a unit administrator may not change for other units)."""
        return replace(self, units=())


class CellError(ValueError):
    """A bad cell: carries the Vietnamese message for the report."""


def _vi(label) -> str:
    """Cells are always Vietnamese, whatever the user's language."""
    with translation.override("vi"):
        return str(label)


def _choice(value: str, choices: type, message) -> str:
    folded = fold(value)
    for key, label in choices.choices:
        if folded in (key, fold(_vi(label))):
            return key
    raise CellError(message)


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = nfc(str(value))
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(_("Ngày không hợp lệ: “%(v)s” (dùng dạng dd/mm/yyyy).") % {"v": text})


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _lines(text: str) -> list[str]:
    return [
        nfc(line) for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n") if nfc(line)
    ]


def parse_units(text: str) -> tuple[str, ...]:
    codes: list[str] = []
    for part in str(text).replace(";", ",").replace("\n", ",").split(","):
        code = nfc(part)
        if code.endswith(".0") and code[:-2].isdigit():  # a number cell read back from a spreadsheet
            code = code[:-2]
        if code and code not in codes:
            codes.append(code)
    return tuple(codes)


def parse_documents(text: str) -> tuple[DocumentLine, ...]:
    docs = []
    for n, line in enumerate(_lines(text), start=1):
        parts = [nfc(p) for p in line.split("|")]
        if not parts[0] or len(parts) > 4:
            raise CellError(_("Giấy tờ dòng %(n)s không đúng dạng “Tên giấy tờ | bản chính | 1”.") % {"n": n})
        kind = DocumentKind.ORIGINAL
        if len(parts) > 1 and parts[1]:
            kind = _choice(
                parts[1],
                DocumentKind,
                _(
                    "Giấy tờ dòng %(n)s: loại bản “%(v)s” không hợp lệ (bản chính, bản sao, bản sao có chứng thực, "
                    "bản chính hoặc bản sao)."
                )
                % {"n": n, "v": parts[1]},
            )
        count = 1
        if len(parts) > 2 and parts[2]:
            if not parts[2].isdigit() or not 1 <= int(parts[2]) <= 99:
                raise CellError(
                    _("Giấy tờ dòng %(n)s: số lượng “%(v)s” phải là số từ 1 đến 99.")
                    % {"n": n, "v": parts[2]}
                )
            count = int(parts[2])
        note = parts[3] if len(parts) > 3 else ""
        if len(parts[0]) > 500 or len(note) > 500:
            raise CellError(_("Giấy tờ dòng %(n)s: tên hoặc ghi chú quá dài (tối đa 500 ký tự).") % {"n": n})
        docs.append(DocumentLine(parts[0], kind, count, note))
    return tuple(docs)


def parse_fees(text: str) -> tuple[FeeLine, ...]:
    fees = []
    for n, line in enumerate(_lines(text), start=1):
        parts = [nfc(p) for p in line.split("|")]
        if len(parts) < 2 or len(parts) > 3 or not parts[0]:
            raise CellError(_("Phí dòng %(n)s không đúng dạng “Lệ phí | 8000 | miễn cho …”.") % {"n": n})
        try:
            amount = parse_vnd(parts[1])
        except ValueError:
            raise CellError(
                _("Phí dòng %(n)s: mức thu “%(v)s” không hợp lệ (số đồng, ví dụ 8000).")
                % {"n": n, "v": parts[1]}
            ) from None
        if len(parts[0]) > 300:
            raise CellError(_("Phí dòng %(n)s: tên quá dài (tối đa 300 ký tự).") % {"n": n})
        fees.append(FeeLine(parts[0], amount, parts[2] if len(parts) > 2 else ""))
    return tuple(fees)


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) if key in ("documents", "fees", "legal_basis", "result") else nfc(str(value))


def _multiline(value: str) -> str:
    """NFC each line but keep the line breaks of free text."""
    return "\n".join(_lines(value))


def parse_row(raw: dict) -> tuple[ProcedureRecord | None, list[tuple[str, str]]]:
    """Turn one sheet row (column key → cell value) into a record, or a list of (column key, message)."""
    errors: list[tuple[str, str]] = []
    values: dict = {}

    for col in COLUMNS:
        if col.required and not _text(raw, col.key).strip():
            errors.append((col.key, str(_("Thiếu “%(h)s”.") % {"h": col.header})))

    def attempt(key: str, func):
        text = _text(raw, key)
        if not text.strip() and key != "life_event":
            return
        try:
            values[key] = func(raw.get(key) if key in ("valid_from", "valid_to") else text)
        except CellError as exc:
            errors.append((key, str(exc.args[0])))

    code = _text(raw, "code")
    if code and (len(code) > 32 or not all(ch.isalnum() or ch in ".-_" for ch in code)):
        errors.append(
            (
                "code",
                str(
                    _("Mã thủ tục “%(v)s” không hợp lệ (chữ, số, dấu chấm, gạch; tối đa 32 ký tự).")
                    % {"v": code}
                ),
            )
        )
    name = _text(raw, "name")
    if len(name) > 500:
        errors.append(("name", str(_("Tên thủ tục quá dài (tối đa 500 ký tự)."))))

    attempt(
        "competent_level",
        lambda v: _choice(v, CompetentLevel, _("Cấp thực hiện “%(v)s” không hợp lệ.") % {"v": v}),
    )
    attempt(
        "online_level",
        lambda v: _choice(
            v, OnlineLevel, _("Mức độ “%(v)s” không hợp lệ (Toàn trình, Một phần, Trực tiếp).") % {"v": v}
        ),
    )
    attempt(
        "life_event",
        lambda v: _choice(
            v or "none",
            LifeEvent,
            _("Sự kiện hộ tịch “%(v)s” không hợp lệ (Khai sinh, Kết hôn, Khai tử, Không).") % {"v": v},
        ),
    )

    def duration(v: str):
        try:
            return parse_duration(v)
        except ValueError:
            raise CellError(
                _(
                    "Thời hạn “%(v)s” không hợp lệ (ví dụ: 5 ngày làm việc, 0,5 ngày làm việc, "
                    "4 giờ làm việc, Trong ngày)."
                )
                % {"v": v}
            ) from None

    attempt("duration", duration)
    attempt("valid_from", parse_date)
    attempt("valid_to", parse_date)
    attempt("units", parse_units)
    attempt("documents", parse_documents)
    attempt("fees", parse_fees)
    if values.get("valid_from") and values.get("valid_to") and values["valid_to"] < values["valid_from"]:
        errors.append(("valid_to", str(_("“Hiệu lực đến” phải sau hoặc bằng “Hiệu lực từ”."))))
    if errors:
        return None, errors
    amount, unit = values["duration"]
    return ProcedureRecord(
        code=code,
        name=name,
        field_code=_text(raw, "field_code"),
        field_name=_text(raw, "field_name"),
        competent_level=values["competent_level"],
        duration_amount=amount,
        duration_unit=unit,
        online_level=values["online_level"],
        life_event=values["life_event"],
        legal_basis=_multiline(_text(raw, "legal_basis")),
        result=_multiline(_text(raw, "result")),
        valid_from=values["valid_from"],
        valid_to=values.get("valid_to"),
        units=values.get("units", ()),
        documents=values.get("documents", ()),
        fees=values.get("fees", ()),
    ), []


def record_from_procedure(procedure: Procedure, *, unit_codes: list[str] | None = None) -> ProcedureRecord:
    """The record of a saved version (documents, fees and units prefetched by the caller)."""
    codes = unit_codes if unit_codes is not None else sorted(u.code for u in procedure.units.all())
    return ProcedureRecord(
        code=procedure.code,
        name=procedure.name,
        field_code=procedure.field.code,
        field_name=procedure.field.name,
        competent_level=procedure.competent_level,
        duration_amount=Decimal(procedure.duration_amount),
        duration_unit=procedure.duration_unit,
        online_level=procedure.online_level,
        life_event=procedure.life_event,
        legal_basis=procedure.legal_basis,
        result=procedure.result,
        valid_from=procedure.valid_from,
        valid_to=procedure.valid_to,
        units=tuple(codes),
        documents=tuple(DocumentLine(d.name, d.kind, d.count, d.note) for d in procedure.documents.all()),
        fees=tuple(FeeLine(f.name, f.amount, f.exemptions) for f in procedure.fees.all()),
    )


def record_cells(record: ProcedureRecord) -> dict[str, str]:
    """The cells of one row, as text (column key → value)."""
    kinds = {k: _vi(v) for k, v in DocumentKind.choices}

    def doc(d: DocumentLine) -> str:
        parts = [d.name, str(kinds[d.kind]), str(d.count)] + ([d.note] if d.note else [])
        return " | ".join(parts)

    def fee(f: FeeLine) -> str:
        return " | ".join([f.name, str(f.amount)] + ([f.exemptions] if f.exemptions else []))

    with translation.override("vi"):
        duration = duration_text(record.duration_amount, record.duration_unit)
    return {
        "code": record.code,
        "name": record.name,
        "field_code": record.field_code,
        "field_name": record.field_name,
        "competent_level": _vi(CompetentLevel(record.competent_level).label),
        "duration": duration,
        "online_level": _vi(OnlineLevel(record.online_level).label),
        "life_event": _vi(LifeEvent(record.life_event).label),
        "legal_basis": record.legal_basis,
        "result": record.result,
        "valid_from": format_date(record.valid_from),
        "valid_to": format_date(record.valid_to),
        "units": ", ".join(record.units),
        "documents": "\n".join(doc(d) for d in record.documents),
        "fees": "\n".join(fee(f) for f in record.fees),
    }
