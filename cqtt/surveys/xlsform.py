"""Forms as XLSForm workbooks (the format of ODK and KoboToolbox): `survey`, `choices` and `settings` sheets, labels
in `label::vi` (or `label::Vietnamese (vi)`, or plain `label`). The subset (ADR 0019):

survey types    select_one L · select_one L with appearance `likert` (5 choices) · select_multiple L · integer
                (constraint `. >= a and . <= b`) · text (appearance `multiline`: long text) · note ·
                begin_group/end_group (a section) · begin_group with appearance `table-list` whose rows are
                `select_one L` of one list (a Likert matrix; a row named `<group>_<row>` becomes `<group>.<row>`)
columns         type, name, label, hint, required, relevant, appearance, constraint
metadata        start, end, today, deviceid, username, simserial, subscriberid, phonenumber, audit: ignored
anything else   reported, with its row, and nothing is imported

Pure: reading and writing workbooks, no database."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from cqtt.core.text import nfc, nfc_text

from . import rules

T = rules.T
METADATA = frozenset(
    {"start", "end", "today", "deviceid", "username", "simserial", "subscriberid", "phonenumber", "audit"}
)
RANGE = re.compile(r"^\s*\.\s*>=\s*(-?\d+)\s+and\s+\.\s*<=\s*(-?\d+)\s*$")
MIN_ONLY = re.compile(r"^\s*\.\s*>=\s*(-?\d+)\s*$")
MAX_ONLY = re.compile(r"^\s*\.\s*<=\s*(-?\d+)\s*$")
MAX_ROWS = 2000


@dataclass
class Parsed:
    code: str = ""
    title: str = ""
    description: str = ""
    questions: list[rules.Q] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the survey sheet's row of each question
    errors: list[str] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc_text(str(value))


def _columns(header: list[str], name: str) -> str | None:
    """The column of `name` in the Vietnamese label language: name::vi, name::… (vi), name, any name::…"""
    lower = [h.lower() for h in header]
    for wanted in (f"{name}::vi",):
        if wanted in lower:
            return header[lower.index(wanted)]
    for h, low in zip(header, lower, strict=True):
        if low.startswith(f"{name}::") and low.endswith("(vi)"):
            return h
    if name in lower:
        return header[lower.index(name)]
    return next((h for h, low in zip(header, lower, strict=True) if low.startswith(f"{name}::")), None)


def _sheet(wb, name: str):
    return next((wb[s] for s in wb.sheetnames if s.strip().lower() == name), None)


def _rows(ws) -> tuple[list[str], list[tuple[int, dict]]]:
    rows = ws.iter_rows(values_only=True)
    try:
        header = [_text(h) for h in next(rows)]
    except StopIteration:
        return [], []
    out = []
    for n, values in enumerate(rows, 2):
        if n > MAX_ROWS + 1:
            break
        row = {h: values[i] if i < len(values) else None for i, h in enumerate(header) if h}
        if any(_text(v) for v in row.values()):
            out.append((n, row))
    return [h for h in header if h], out


def _yes(value) -> bool:
    return _text(value).lower() in ("yes", "true", "true()", "1", "có", "co", "x")


def parse(content: bytes) -> Parsed:
    """The form in a workbook, or `errors` (every bad row, in Vietnamese)."""
    out = Parsed()
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        out.errors.append(_("Tệp không phải là bảng tính .xlsx đọc được."))
        return out
    survey, choices_ws, settings = _sheet(wb, "survey"), _sheet(wb, "choices"), _sheet(wb, "settings")
    if survey is None:
        out.errors.append(_("Tệp không có trang «survey»."))
        return out
    lists: dict[str, list[dict]] = {}
    if choices_ws is not None:
        header, rows = _rows(choices_ws)
        label_col = _columns(header, "label")
        list_col = next((h for h in header if h.lower() in ("list_name", "list name")), None)
        if not header:
            pass
        elif list_col is None or label_col is None or "name" not in [h.lower() for h in header]:
            out.errors.append(_("Trang «choices» cần các cột list_name, name và label::vi."))
        else:
            name_col = next(h for h in header if h.lower() == "name")
            for n, row in rows:
                list_name, value, label = (
                    _text(row.get(list_col)),
                    _text(row.get(name_col)),
                    _text(row.get(label_col)),
                )
                if not list_name or not value or not label:
                    out.errors.append(
                        _("Trang choices, dòng %(n)s: cần đủ list_name, name và nhãn.") % {"n": n}
                    )
                    continue
                lists.setdefault(list_name, []).append({"value": value, "label": nfc(label)})
    if settings is not None:
        header, rows = _rows(settings)
        if rows:
            row = rows[0][1]
            low = {h.lower(): h for h in header}
            out.title = nfc(_text(row.get(low.get("form_title", ""))))
            out.code = nfc(_text(row.get(low.get("form_id", "")))).upper()
            out.description = _text(row.get(low.get("description", "")))
    header, rows = _rows(survey)
    low = {h.lower(): h for h in header}
    if "type" not in low or "name" not in low:
        out.errors.append(_("Trang «survey» cần các cột type, name và label::vi."))
        return out
    label_col, hint_col = _columns(header, "label"), _columns(header, "hint")

    def cell(row, name):
        column = low.get(name)
        return _text(row.get(column)) if column else ""

    matrix: dict | None = None
    stack: list[str] = []
    for n, row in rows:
        kind = re.sub(r"\s+", " ", cell(row, "type").strip().lower())
        name = cell(row, "name").strip()
        label = nfc_text(_text(row.get(label_col))) if label_col else ""
        hint = nfc(_text(row.get(hint_col))) if hint_col else ""
        appearance = cell(row, "appearance").lower()
        where = _("Trang survey, dòng %(n)s") % {"n": n}
        if not kind:
            out.errors.append(_("%(w)s: thiếu loại câu hỏi (cột type).") % {"w": where})
            continue
        word, _sp, rest = kind.partition(" ")
        if kind in METADATA:
            continue
        if kind in ("end_group", "end group"):
            if not stack:
                out.errors.append(_("%(w)s: end_group không có begin_group tương ứng.") % {"w": where})
                continue
            if stack.pop() == "matrix" and matrix is not None:
                q = matrix["q"]
                if not q.rows:
                    out.errors.append(
                        _("Trang survey, dòng %(n)s: bảng (table-list) không có dòng nào.")
                        % {"n": matrix["line"]}
                    )
                else:
                    out.questions.append(q)
                    out.lines.append(matrix["line"])
                matrix = None
            continue
        if kind in ("begin_group", "begin group"):
            if matrix is not None:
                out.errors.append(_("%(w)s: không lồng nhóm trong bảng thang đo.") % {"w": where})
                stack.append("section")
                continue
            if "table-list" in appearance:
                stack.append("matrix")
                matrix = {
                    "line": n,
                    "list": None,
                    "q": rules.Q(
                        key=name, type=T.LIKERT_MATRIX, label=label, hint=hint, relevant=cell(row, "relevant")
                    ),
                }
            else:
                stack.append("section")
                out.questions.append(
                    rules.Q(key=name, type=T.SECTION, label=label, hint=hint, relevant=cell(row, "relevant"))
                )
                out.lines.append(n)
            continue
        if kind.startswith("begin") or kind.startswith("end"):
            out.errors.append(_("%(w)s: loại «%(t)s» chưa được hỗ trợ.") % {"w": where, "t": kind})
            continue
        if word in ("select_one", "select_multiple"):
            list_name = rest.strip()
            if not list_name or " " in list_name:
                out.errors.append(
                    _("%(w)s: «%(t)s» cần đúng một tên danh sách lựa chọn.") % {"w": where, "t": kind}
                )
                continue
            if list_name not in lists:
                out.errors.append(
                    _("%(w)s: không có danh sách lựa chọn «%(l)s» ở trang choices.")
                    % {"w": where, "l": list_name}
                )
                continue
            items = [dict(c) for c in lists[list_name]]
            if matrix is not None:
                if word != "select_one" or (matrix["list"] not in (None, list_name)):
                    out.errors.append(
                        _("%(w)s: các dòng của bảng thang đo cần cùng một danh sách select_one.")
                        % {"w": where}
                    )
                    continue
                matrix["list"] = list_name
                q = matrix["q"]
                q.choices = items
                prefix = f"{q.key}_"
                q.rows.append(
                    {"value": name[len(prefix) :] if name.startswith(prefix) else name, "label": label}
                )
                q.required = q.required or _yes(row.get(low.get("required")))
                continue
            qtype = T.SELECT_MULTIPLE if word == "select_multiple" else T.SELECT_ONE
            if qtype == T.SELECT_ONE and "likert" in appearance and len(items) == 5:
                qtype = T.LIKERT
            q = rules.Q(key=name, type=qtype, label=label, hint=hint, choices=items)
        elif kind == "integer":
            q = rules.Q(key=name, type=T.INTEGER, label=label, hint=hint)
            constraint = cell(row, "constraint")
            if m := RANGE.match(constraint):
                q.min_value, q.max_value = int(m.group(1)), int(m.group(2))
            elif m := MIN_ONLY.match(constraint):
                q.min_value = int(m.group(1))
            elif m := MAX_ONLY.match(constraint):
                q.max_value = int(m.group(1))
            elif constraint:
                out.errors.append(
                    _("%(w)s: ràng buộc «%(c)s» chưa được hỗ trợ (chỉ . >= a and . <= b).")
                    % {"w": where, "c": constraint}
                )
                continue
        elif kind == "text":
            q = rules.Q(
                key=name, type=T.TEXTAREA if "multiline" in appearance else T.TEXT, label=label, hint=hint
            )
        elif kind == "note":
            q = rules.Q(key=name, type=T.NOTE, label=label, hint=hint)
        else:
            out.errors.append(_("%(w)s: loại câu hỏi «%(t)s» chưa được hỗ trợ.") % {"w": where, "t": kind})
            continue
        if matrix is not None:
            out.errors.append(_("%(w)s: bảng thang đo chỉ chứa các dòng select_one.") % {"w": where})
            continue
        q.required = _yes(row.get(low.get("required"))) if low.get("required") else False
        q.relevant = cell(row, "relevant")
        out.questions.append(q)
        out.lines.append(n)
    if stack:
        out.errors.append(_("Trang survey: còn begin_group chưa có end_group."))
    if not out.title:
        out.errors.append(_("Trang settings: thiếu tên biểu mẫu (form_title)."))
    if not out.code:
        out.errors.append(_("Trang settings: thiếu ký hiệu biểu mẫu (form_id)."))
    return out


def row_errors(parsed: Parsed, errors: dict[str, list[str]]) -> list[str]:
    """The builder's errors of the parsed questions (`q<n>.<field>`) as messages naming their survey row."""
    out = []
    for key, messages in errors.items():
        head, _dot, _name = key.partition(".")
        if head.startswith("q") and head[1:].isdigit():
            n = int(head[1:])
            line = parsed.lines[n - 1] if n - 1 < len(parsed.lines) else "?"
            out += [_("Trang survey, dòng %(n)s: %(m)s") % {"n": line, "m": m} for m in messages]
        else:
            out += list(messages)
    return out


def export(*, code: str, title: str, description: str, version: int, questions: list[rules.Q]) -> bytes:
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(
        ["type", "name", "label::vi", "hint::vi", "required", "relevant", "appearance", "constraint"]
    )
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label::vi"])
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language", "description"])
    settings.append([title, code, str(version), "vi", description])
    in_section = False

    def add_list(name, items):
        for c in items:
            choices.append([name, c["value"], c["label"]])

    for q in questions:
        req = "yes" if q.required else ""
        if q.type == T.SECTION:
            if in_section:
                survey.append(["end_group"])
            survey.append(["begin_group", q.key, q.label, q.hint, "", q.relevant, "", ""])
            in_section = True
        elif q.type == T.LIKERT_MATRIX:
            survey.append(["begin_group", q.key, q.label, q.hint, "", q.relevant, "table-list", ""])
            for r in q.rows:
                survey.append(
                    [f"select_one {q.key}", f"{q.key}_{r['value']}", r["label"], "", req, "", "", ""]
                )
            survey.append(["end_group"])
            add_list(q.key, q.choices)
        elif q.type in (T.SELECT_ONE, T.SELECT_MULTIPLE, T.LIKERT):
            word = "select_multiple" if q.type == T.SELECT_MULTIPLE else "select_one"
            appearance = "likert" if q.type == T.LIKERT else ""
            survey.append([f"{word} {q.key}", q.key, q.label, q.hint, req, q.relevant, appearance, ""])
            add_list(q.key, q.choices)
        elif q.type == T.INTEGER:
            parts = []
            if q.min_value is not None:
                parts.append(f". >= {q.min_value}")
            if q.max_value is not None:
                parts.append(f". <= {q.max_value}")
            survey.append(["integer", q.key, q.label, q.hint, req, q.relevant, "", " and ".join(parts)])
        elif q.type in (T.TEXT, T.TEXTAREA):
            appearance = "multiline" if q.type == T.TEXTAREA else ""
            survey.append(["text", q.key, q.label, q.hint, req, q.relevant, appearance, ""])
        else:
            survey.append(["note", q.key, q.label, q.hint, "", q.relevant, "", ""])
    if in_section:
        survey.append(["end_group"])
    for ws in (survey, choices, settings):
        for c in ws[1]:
            c.font = Font(bold=True)
    survey.column_dimensions["A"].width = 26
    survey.column_dimensions["B"].width = 22
    survey.column_dimensions["C"].width = 70
    choices.column_dimensions["C"].width = 50
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
