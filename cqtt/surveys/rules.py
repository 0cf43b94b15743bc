"""Pure rules of the surveys: the show-if expressions (a small XLSForm subset), checking a set of answers against
a form, counting answers with the small-cell rule, and the campaign's transitions. No database."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqtt.accounts.models import Role
from cqtt.core.process import Process, transition
from cqtt.core.text import nfc, nfc_text

from .models import CampaignStatus, QuestionType

T = QuestionType
MIN_CELL = (
    5  # a count below this (and above 0) is shown as "< 5" (ND 61 Art. 27: respondents' confidentiality)
)
SUPPRESSED = "< 5"
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CHOICE_VALUE = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")
RESERVED_KEYS = frozenset({"csrfmiddlewaretoken", "action", "unit"})
TEXT_MAX = {T.TEXT: 300, T.TEXTAREA: 3000}
MAX_SELECTED = 50
LIKERT_VALUES = ["1", "2", "3", "4", "5"]


def likert_choices() -> list[dict]:
    """The default 5-level satisfaction scale (SIPAS), in the platform's language at the time of the call."""
    labels = [
        _("Rất không hài lòng"),
        _("Không hài lòng"),
        _("Bình thường"),
        _("Hài lòng"),
        _("Rất hài lòng"),
    ]
    return [{"value": v, "label": str(lab)} for v, lab in zip(LIKERT_VALUES, labels, strict=True)]


# --- show-if (XLSForm `relevant`) --------------------------------------------------------------------------
# Grammar (a subset of ODK XPath):  expr := and ("or" and)* ; and := atom ("and" atom)* ;
# atom := "(" expr ")" | "not(" expr ")" | "selected(" ref "," literal ")" | ref op literal
# op := = != > >= < <= ; ref := ${key} ; literal := 'text' | "text" | number.
# The parse is a small JSON-able tree that the server and the page's script evaluate the same way:
# ["or", a, b…] ["and", a, b…] ["not", a] ["sel", key, value] ["cmp", op, key, value]

_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{[a-z][a-z0-9_]*\})|(?P<str>'[^']*'|\"[^\"]*\")|(?P<num>-?\d+(?:\.\d+)?)"
    r"|(?P<op>!=|>=|<=|=|>|<)|(?P<punct>[(),])|(?P<word>[A-Za-z_]+))"
)


class RelevantError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos, text = [], 0, text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise RelevantError(_("Không hiểu biểu thức từ ký tự thứ %(n)s.") % {"n": pos + 1})
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "str":
            value = value[1:-1]
        elif kind == "ref":
            value = value[2:-1]
        elif kind == "word":
            value = value.lower()
        out.append((kind, value))
        pos = m.end()
    return out


def parse_relevant(text: str) -> list | None:
    """The tree of a show-if expression ('' → None); RelevantError with a Vietnamese message otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    tokens = _tokens(text)
    pos = 0

    def peek(kind=None, value=None):
        if pos >= len(tokens):
            return None
        k, v = tokens[pos]
        if (kind and k != kind) or (value is not None and v != value):
            return None
        return tokens[pos]

    def take(kind, value=None, what=""):
        nonlocal pos
        tok = peek(kind, value)
        if tok is None:
            raise RelevantError(_("Biểu thức thiếu %(w)s.") % {"w": what or value or kind})
        pos += 1
        return tok[1]

    def literal():
        nonlocal pos
        tok = peek("str") or peek("num")
        if tok is None:
            raise RelevantError(_("Sau phép so sánh cần một giá trị trong dấu nháy, ví dụ 'co'."))
        pos += 1
        return nfc(tok[1]) if tok[0] == "str" else tok[1]

    def atom():
        if peek("punct", "("):
            take("punct", "(")
            node = expr()
            take("punct", ")", ")")
            return node
        if peek("word", "not"):
            take("word", "not")
            take("punct", "(", "(")
            node = expr()
            take("punct", ")", ")")
            return ["not", node]
        if peek("word", "selected"):
            take("word", "selected")
            take("punct", "(", "(")
            key = take("ref", what="${…}")
            take("punct", ",", ",")
            value = literal()
            take("punct", ")", ")")
            return ["sel", key, value]
        if peek("ref"):
            key = take("ref")
            op = take("op", what=_("phép so sánh (=, !=, >, <)"))
            return ["cmp", op, key, literal()]
        raise RelevantError(
            _("Biểu thức chỉ dùng ${câu} = 'giá trị', selected(${câu}, 'giá trị'), and, or, not().")
        )

    def conj():
        nodes = [atom()]
        while peek("word", "and"):
            take("word", "and")
            nodes.append(atom())
        return nodes[0] if len(nodes) == 1 else ["and", *nodes]

    def expr():
        nodes = [conj()]
        while peek("word", "or"):
            take("word", "or")
            nodes.append(conj())
        return nodes[0] if len(nodes) == 1 else ["or", *nodes]

    tree = expr()
    if pos != len(tokens):
        raise RelevantError(_("Biểu thức có phần thừa ở cuối."))
    return tree


def relevant_keys(tree) -> set[str]:
    if not tree:
        return set()
    if tree[0] in ("or", "and"):
        return set().union(*(relevant_keys(t) for t in tree[1:]))
    if tree[0] == "not":
        return relevant_keys(tree[1])
    if tree[0] == "sel":
        return {tree[1]}
    return {tree[2]}


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def evaluate(tree, answers: Mapping) -> bool:
    """Whether a question with this show-if tree is shown, given the answers so far (missing = '')."""
    if not tree:
        return True
    op = tree[0]
    if op == "or":
        return any(evaluate(t, answers) for t in tree[1:])
    if op == "and":
        return all(evaluate(t, answers) for t in tree[1:])
    if op == "not":
        return not evaluate(tree[1], answers)
    if op == "sel":
        value = answers.get(tree[1])
        return tree[2] in value if isinstance(value, list) else value == tree[2]
    _op, cmp, key, literal = tree
    value = answers.get(key)
    if isinstance(value, list):
        value = " ".join(value)
    value = "" if value is None else str(value)
    if cmp in ("=", "!="):
        same = value == literal
        if not same and _number(value) is not None and _number(literal) is not None:
            same = _number(value) == _number(literal)
        return same if cmp == "=" else not same
    a, b = _number(value), _number(literal)
    if a is None or b is None:
        return False
    return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[cmp]


# --- a form's questions as plain data ----------------------------------------------------------------------


@dataclass
class Q:
    key: str
    type: str
    label: str
    required: bool = False
    relevant: str = ""
    hint: str = ""
    choices: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    min_value: int | None = None
    max_value: int | None = None

    @property
    def tree(self):
        return parse_relevant(self.relevant)

    @property
    def answers_something(self) -> bool:
        return self.type not in (T.NOTE, T.SECTION)

    def keys(self) -> list[str]:
        """The answer keys of the question: its key, or `<key>.<row>` per row of a matrix."""
        if self.type == T.LIKERT_MATRIX:
            return [f"{self.key}.{r['value']}" for r in self.rows]
        return [self.key] if self.answers_something else []

    def choice_label(self, value) -> str:
        return next((c["label"] for c in self.choices if c["value"] == value), str(value))


def short(label: str, n: int = 80) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= n else label[: n - 1] + "…"


def visible(questions: list[Q], answers: Mapping) -> tuple[set[str], dict]:
    """(keys of the questions shown, the answers of the shown questions only), evaluated in form order: a
    section's show-if applies to the questions under it; a hidden question's answer is dropped before the next
    show-if is evaluated, as the page's script does."""
    shown: set[str] = set()
    kept: dict = {}
    section_on = True
    for q in questions:
        if q.type == T.SECTION:
            section_on = evaluate(q.tree, kept)
            if section_on:
                shown.add(q.key)
            continue
        if not (section_on and evaluate(q.tree, kept)):
            continue
        shown.add(q.key)
        for k in q.keys():
            if k in answers:
                kept[k] = answers[k]
    return shown, kept


def _blank(value) -> bool:
    return value is None or value == "" or value == []


def check_answers(questions: list[Q], raw: Mapping) -> tuple[dict, dict[str, list[str]]]:
    """(clean answers, errors by answer key). Text is NFC-normalised, values are checked against the choices,
    hidden questions are neither required nor kept. Every error names its question."""
    errors: dict[str, list[str]] = {}
    by_key = {k: q for q in questions for k in q.keys()}
    clean: dict = {}
    for k in raw:
        if k not in by_key:
            errors.setdefault(k, []).append(_("Phiếu không có câu hỏi mã «%(k)s».") % {"k": short(k, 40)})
    for k, value in raw.items():
        q = by_key.get(k)
        if q is None or _blank(value):
            continue
        name = short(q.label)
        if q.type in (T.SELECT_ONE, T.LIKERT, T.LIKERT_MATRIX):
            if isinstance(value, list):
                if len(value) != 1:
                    errors[k] = [_("Câu «%(q)s»: chỉ chọn một phương án.") % {"q": name}]
                    continue
                value = value[0]
            value = nfc(str(value))
            if value not in {c["value"] for c in q.choices}:
                errors[k] = [
                    _("Câu «%(q)s»: «%(v)s» không phải là một phương án của câu này.")
                    % {"q": name, "v": short(value, 40)}
                ]
                continue
            clean[k] = value
        elif q.type == T.SELECT_MULTIPLE:
            values = value if isinstance(value, list) else str(value).split()
            values = [nfc(str(v)) for v in values if not _blank(v)][:MAX_SELECTED]
            allowed = {c["value"] for c in q.choices}
            bad = [v for v in values if v not in allowed]
            if bad:
                errors[k] = [
                    _("Câu «%(q)s»: «%(v)s» không phải là một phương án của câu này.")
                    % {"q": name, "v": short(bad[0], 40)}
                ]
                continue
            order = [c["value"] for c in q.choices]
            clean[k] = sorted(set(values), key=order.index)
        elif q.type == T.INTEGER:
            text = str(value).strip()
            if isinstance(value, bool) or not re.fullmatch(r"-?[0-9]{1,9}", text):
                errors[k] = [_("Câu «%(q)s»: hãy nhập một số nguyên, ví dụ 3.") % {"q": name}]
                continue
            number = int(text)
            if (q.min_value is not None and number < q.min_value) or (
                q.max_value is not None and number > q.max_value
            ):
                errors[k] = [
                    _("Câu «%(q)s»: hãy nhập một số từ %(a)s đến %(b)s.")
                    % {
                        "q": name,
                        "a": "…" if q.min_value is None else q.min_value,
                        "b": "…" if q.max_value is None else q.max_value,
                    }
                ]
                continue
            clean[k] = number
        elif q.type in (T.TEXT, T.TEXTAREA):
            if not isinstance(value, str):
                errors[k] = [_("Câu «%(q)s»: hãy trả lời bằng chữ.") % {"q": name}]
                continue
            text = nfc(value) if q.type == T.TEXT else nfc_text(value)
            if "\x00" in text:
                errors[k] = [_("Câu «%(q)s»: câu trả lời có ký tự không hợp lệ.") % {"q": name}]
                continue
            if len(text) > TEXT_MAX[q.type]:
                errors[k] = [
                    _("Câu «%(q)s»: tối đa %(n)s ký tự (đã nhập %(m)s).")
                    % {"q": name, "n": TEXT_MAX[q.type], "m": len(text)}
                ]
                continue
            if text:
                clean[k] = text
    shown, kept = visible(questions, clean)
    for q in questions:
        if q.key not in shown or not q.required:
            continue
        for k in q.keys():
            if k not in kept and k not in errors:
                what = short(q.label)
                if q.type == T.LIKERT_MATRIX:
                    row = next(r["label"] for r in q.rows if f"{q.key}.{r['value']}" == k)
                    what = f"{short(q.label, 60)} — {short(row, 60)}"
                errors[k] = [_("Câu «%(q)s» là câu bắt buộc, xin vui lòng trả lời.") % {"q": what}]
    # errors on hidden questions do not count (the person could not see them)
    errors = {k: v for k, v in errors.items() if k not in by_key or by_key[k].key in shown}
    return kept, errors


# --- counting with the small-cell rule ---------------------------------------------------------------------


def _suppress(counts: dict[str, int]) -> dict[str, int | None]:
    """Counts with every cell of 1–4 answers hidden (None). When that hides anything, the smallest non-zero cells
    shown are hidden too until at least two are hidden and they hold at least MIN_CELL answers together, so that
    neither the question's total (which gives their sum) nor the other cells work a hidden one out: one hidden
    cell is the total less the others, and two hidden cells summing to 2 are both 1."""
    hidden = {v for v, n in counts.items() if 0 < n < MIN_CELL}
    if hidden:
        rest = sorted((n, v) for v, n in counts.items() if n >= MIN_CELL)
        while rest and (len(hidden) < 2 or sum(counts[v] for v in hidden) < MIN_CELL):
            hidden.add(rest.pop(0)[1])
    return {v: (None if v in hidden else n) for v, n in counts.items()}


@dataclass
class Tally:
    answered: int | None  # None: withheld
    counts: dict[str, int | None] | None = None  # choice value → count (None: hidden)
    mean: float | None = None  # None: fewer than MIN_CELL answers, or a cell is hidden
    median: float | None = None
    rows: dict[str, Tally] | None = None
    withheld: bool = False  # nothing of it is shown: how many were asked would give a hidden cell away

    @property
    def shown(self) -> bool:
        return self.answered is not None and self.answered >= MIN_CELL

    @property
    def suppressed(self) -> bool:
        """Whether a cell of the question (or of a row of the matrix) is hidden, or the question withheld."""
        if self.withheld:
            return True
        if self.rows is not None:
            return any(r.suppressed for r in self.rows.values())
        return any(n is None for n in (self.counts or {}).values())


def _numbers_tally(numbers: list[float], answered: int) -> tuple[float | None, float | None]:
    if answered < MIN_CELL or not numbers:
        return None, None
    return round(statistics.fmean(numbers), 2), statistics.median(numbers)


def _choice_tally(q: Q, values: list) -> Tally:
    """Counts of a choice question or of a row of a matrix. A scale's mean and median are given only when no cell
    is hidden: with the total and the cells shown, the mean would tell the hidden cells apart (38 answers with
    the cells "1" and "2" hidden: their sum is known, and the mean gives 1·a + 2·b, so a and b)."""
    counter: Counter = Counter()
    for v in values:
        counter.update(v if isinstance(v, list) else [v])
    counts = _suppress({c["value"]: counter.get(c["value"], 0) for c in q.choices})
    if len(values) < MIN_CELL:
        counts = {k: (0 if n == 0 else None) for k, n in counts.items()}
    mean = median = None
    if q.type in (T.LIKERT, T.LIKERT_MATRIX) and not any(n is None for n in counts.values()):
        mean, median = _numbers_tally([float(v) for v in values if _number(v) is not None], len(values))
    return Tally(answered=len(values), counts=counts, mean=mean, median=median)


def conditions(questions: list[Q]) -> dict[str, set[str]]:
    """Per question, the keys that its show-if and its section's name."""
    out: dict[str, set[str]] = {}
    section: set[str] = set()
    for q in questions:
        if q.type == T.SECTION:
            section = relevant_keys(q.tree)
        out[q.key] = relevant_keys(q.tree) | section
    return out


def _withheld(q: Q) -> Tally:
    counts = {c["value"]: None for c in q.choices} if q.choices else None
    if q.type == T.LIKERT_MATRIX:
        rows = {r["value"]: Tally(answered=None, counts=dict(counts or {}), withheld=True) for r in q.rows}
        return Tally(answered=None, rows=rows, withheld=True)
    return Tally(answered=None, counts=counts, withheld=True)


def _gives_away(q: Q, keys: set[str], by_key: dict[str, Q], out: dict[str, Tally], asked: list) -> bool:
    """Whether the number of people asked `q` (shown only on a condition on `keys`) could tell a hidden cell of
    the question it depends on: it is a sum of that question's cells, safe only when it takes all of the hidden
    cells or none of them. A condition on two questions (a cross-count nobody checks), on a number or a text
    (whose cells are never shown), or on a question itself withheld, is never safe."""
    if len(keys) != 1:
        return True
    (key,) = keys
    other, counted = by_key.get(key), out.get(key)
    if other is None or counted is None or counted.withheld:
        return True
    if other.type not in (T.SELECT_ONE, T.SELECT_MULTIPLE, T.LIKERT):
        return True
    hidden = {v for v, n in (counted.counts or {}).items() if n is None}
    seen = set()
    for answers, shown in asked:
        value = answers.get(key)
        if hidden.intersection(value if isinstance(value, list) else [value]):
            seen.add(q.key in shown)
    return len(seen) > 1


def tally(questions: list[Q], answer_sets: Iterable[Mapping]) -> dict[str, Tally]:
    """Counts per question (and per row of a matrix) over the answer sets, with the small-cell rule applied. A
    question shown on a condition is withheld (nothing of it shown) when the number of people asked it would
    give a hidden cell of an earlier question away (`_gives_away`)."""
    sets = list(answer_sets)
    by_key = {q.key: q for q in questions}
    depends = conditions(questions)
    asked = None
    out: dict[str, Tally] = {}
    for q in questions:
        if not q.answers_something:
            continue
        if depends[q.key]:
            if asked is None:
                asked = [(a, visible(questions, a)[0]) for a in sets]
            if _gives_away(q, depends[q.key], by_key, out, asked):
                out[q.key] = _withheld(q)
                continue
        if q.type == T.LIKERT_MATRIX:
            rows = {}
            for r in q.rows:
                k = f"{q.key}.{r['value']}"
                rows[r["value"]] = _choice_tally(q, [a[k] for a in sets if k in a])
            answered = sum(1 for a in sets if any(k in a for k in q.keys()))
            out[q.key] = Tally(answered=answered, rows=rows)
        elif q.type in (T.SELECT_ONE, T.SELECT_MULTIPLE, T.LIKERT):
            out[q.key] = _choice_tally(q, [a[q.key] for a in sets if q.key in a])
        elif q.type == T.INTEGER:
            values = [a[q.key] for a in sets if q.key in a]
            mean, median = _numbers_tally([float(v) for v in values], len(values))
            out[q.key] = Tally(answered=len(values), mean=mean, median=median)
        else:
            out[q.key] = Tally(answered=sum(1 for a in sets if q.key in a))
    return out


def export_cell_values(questions: list[Q], answer_sets: list[Mapping]) -> dict[str, set]:
    """Per answer key, the values written "< 5" in the raw export: those given fewer than MIN_CELL times, and as
    on the results page (`_suppress`) the next least given until the masked values hold at least MIN_CELL
    answers together; else counting the "< 5" of a column would tell how many gave its one rare value."""
    rare: dict[str, set] = {}
    for q in questions:
        if q.type not in (T.SELECT_ONE, T.SELECT_MULTIPLE, T.LIKERT, T.LIKERT_MATRIX, T.INTEGER):
            continue
        for k in q.keys():
            counter: Counter = Counter()
            for a in answer_sets:
                if k in a:
                    v = a[k]
                    counter.update(v if isinstance(v, list) else [v])
            rare[k] = {v for v, n in _suppress(dict(counter)).items() if n is None}
    return rare


def export_masked(questions: list[Q], answers: Mapping, rare: Mapping[str, set]) -> set[str]:
    """The questions of one row of the raw export written "< 5" whatever their answer: those asked on a condition
    that names a question whose answer in this row is masked (the answer, or that there is none, would tell it),
    in form order so that it carries on to their own follow-ups."""
    depends = conditions(questions)
    masked: set[str] = set()
    shown_rare: set[str] = set()
    for q in questions:
        if depends.get(q.key, set()) & (masked | shown_rare):
            masked.add(q.key)
            continue
        for k in q.keys():
            v = answers.get(k)
            if set(v if isinstance(v, list) else [v]) & rare.get(k, set()):
                shown_rare.add(q.key)
    return masked


# --- building a form: checks shared by the builder and the XLSForm import ----------------------------------


def parse_choice_lines(text: str) -> list[dict]:
    """Builder input, one choice a line: `value | label` (or just a label: values 1, 2, 3…)."""
    out = []
    for i, line in enumerate(nfc_text(text).split("\n"), 1):
        line = line.strip()
        if not line:
            continue
        if "|" in line:
            value, label = (p.strip() for p in line.split("|", 1))
        else:
            value, label = str(len(out) + 1), line
        out.append({"value": value, "label": label, "line": i})
    return out


def check_question(q: Q, *, earlier: dict[str, Q]) -> dict[str, list[str]]:
    """Field errors of one question given the questions before it (keys must be new, show-if may name only an
    earlier question that is answered with one value or a list)."""
    errors: dict[str, list[str]] = {}
    if not KEY.match(q.key or "") or q.key in RESERVED_KEYS:
        errors["key"] = [
            _("Mã câu hỏi gồm chữ thường không dấu, chữ số và dấu _, bắt đầu bằng chữ, tối đa 40 ký tự.")
        ]
    elif q.key in earlier:
        errors["key"] = [_("Mã câu hỏi «%(k)s» đã dùng cho câu khác.") % {"k": q.key}]
    if q.type not in T.values:
        errors["type"] = [_("Loại câu hỏi không được hỗ trợ.")]
        return errors
    if not nfc(q.label):
        errors["label"] = [_("Ghi nội dung câu hỏi.")]
    if q.type in (T.SELECT_ONE, T.SELECT_MULTIPLE, T.LIKERT, T.LIKERT_MATRIX):
        values = [c.get("value", "") for c in q.choices]
        if len(values) < 2:
            errors["choices"] = [_("Cần ít nhất 2 phương án trả lời.")]
        elif any(not CHOICE_VALUE.match(str(v)) for v in values):
            errors["choices"] = [
                _("Giá trị của phương án gồm chữ không dấu, chữ số, dấu - hoặc _, tối đa 40 ký tự.")
            ]
        elif len(set(values)) != len(values):
            errors["choices"] = [_("Hai phương án trùng giá trị.")]
        elif any(not nfc(c.get("label", "")) for c in q.choices):
            errors["choices"] = [_("Mỗi phương án cần có nội dung.")]
        elif q.type in (T.LIKERT, T.LIKERT_MATRIX) and len(values) != 5:
            errors["choices"] = [_("Thang đo có đúng 5 mức.")]
    if q.type == T.LIKERT_MATRIX:
        values = [r.get("value", "") for r in q.rows]
        if not values:
            errors["rows"] = [_("Bảng thang đo cần ít nhất một dòng.")]
        elif any(not CHOICE_VALUE.match(str(v)) for v in values) or len(set(values)) != len(values):
            errors["rows"] = [_("Mỗi dòng cần một mã riêng gồm chữ không dấu, chữ số, dấu - hoặc _.")]
        elif any(not nfc(r.get("label", "")) for r in q.rows):
            errors["rows"] = [_("Mỗi dòng cần có nội dung.")]
    if q.min_value is not None and q.max_value is not None and q.min_value > q.max_value:
        errors["max_value"] = [_("Giá trị lớn nhất phải không nhỏ hơn giá trị nhỏ nhất.")]
    if q.relevant:
        try:
            tree = parse_relevant(q.relevant)
        except RelevantError as bad:
            errors["relevant"] = [_("Điều kiện hiển thị: %(e)s") % {"e": bad}]
        else:
            for k in sorted(relevant_keys(tree)):
                other = earlier.get(k)
                if other is None:
                    errors["relevant"] = [
                        _("Điều kiện hiển thị nhắc tới câu «%(k)s» không có ở phía trước câu này.") % {"k": k}
                    ]
                elif other.type in (T.NOTE, T.SECTION, T.LIKERT_MATRIX):
                    errors["relevant"] = [
                        _("Điều kiện hiển thị không dựa được vào câu «%(k)s» (ghi chú, phần hoặc bảng).")
                        % {"k": k}
                    ]
    return errors


# --- the campaign's states ---------------------------------------------------------------------------------

CAMPAIGN_ROLES = frozenset({Role.LEADER, Role.UNIT_ADMIN, Role.SPECIALIST})
FRONT_ROLES = CAMPAIGN_ROLES | {Role.OBSERVER}

CAMPAIGN = Process(
    "survey-campaign",
    [
        transition(
            "open",
            [CampaignStatus.DRAFT, CampaignStatus.CLOSED],
            CampaignStatus.OPEN,
            FRONT_ROLES,
            gettext_lazy("Mở nhận ý kiến"),
        ),
        transition(
            "close", [CampaignStatus.OPEN], CampaignStatus.CLOSED, FRONT_ROLES, gettext_lazy("Kết thúc")
        ),
    ],
    state_label=lambda s: CampaignStatus(s).label,
)
