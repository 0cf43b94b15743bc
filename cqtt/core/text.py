"""Vietnamese text normalisation: NFC for storage and comparison, a folded form for search."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# C0 control characters other than tab, line feed, vertical tab, form feed and carriage return, and DEL: never
# text anyone typed (a pasted NUL breaks PostgreSQL, others break the spreadsheets), dropped before storing
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "d"})


def nfc_text(value: str | None) -> str:
    """NFC-normalise a multi-line text (a letter, a template): lines and blank lines between paragraphs kept,
    spaces inside a line collapsed, line endings unified, control characters dropped, trimmed. None becomes ''."""
    if not value:
        return ""
    lines = (
        unicodedata.normalize("NFC", _CONTROLS.sub("", value))
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .split("\n")
    )
    text = "\n".join(_LINE_SPACES.sub(" ", line).strip() for line in lines)
    return _BLANK_LINES.sub("\n\n", text).strip()


_LINE_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def nfc(value: str | None) -> str:
    """NFC-normalise and trim; collapse inner runs of white space. None becomes ''."""
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", _CONTROLS.sub("", value))).strip()


def fold(value: str | None) -> str:
    """Lower-case, diacritic-free form: 'ĐĂNG KÝ Khai sinh' -> 'dang ky khai sinh'."""
    if not value:
        return ""
    text = unicodedata.normalize("NFD", value.translate(_FOLD_TABLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.lower().translate(_FOLD_TABLE)).strip()


def search_terms(query: str | None) -> list[str]:
    """Folded words of a search query, in order, without duplicates."""
    seen: list[str] = []
    for word in fold(query).split(" "):
        if word and word not in seen:
            seen.append(word)
    return seen
