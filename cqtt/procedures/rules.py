"""Pure rules for procedures (no database): processing time and money in words, and their parsing."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from cqtt.core.text import fold

from .models import DurationUnit

_DURATION = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(.*)$")
_DURATION_UNITS = {
    "ngay lam viec": DurationUnit.WORKING_DAYS,
    "ngay": DurationUnit.WORKING_DAYS,
    "working_days": DurationUnit.WORKING_DAYS,
    "gio lam viec": DurationUnit.WORKING_HOURS,
    "gio": DurationUnit.WORKING_HOURS,
    "working_hours": DurationUnit.WORKING_HOURS,
}
_SAME_DAY = {"trong ngay", "ngay trong ngay", "same_day"}
_MONEY_SUFFIX = re.compile(r"\s*(đồng|dong|đ|d|vnđ|vnd)\s*$", re.IGNORECASE)


def format_number(amount: Decimal | int) -> str:
    """Vietnamese number: '8.000', '0,5'."""
    value = Decimal(amount)
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    return f"{value.normalize():f}".replace(".", ",")


def format_vnd(amount: int) -> str:
    """'8.000 đ'."""
    return f"{format_number(amount)} đ"


def duration_text(amount: Decimal | int, unit: str) -> str:
    """'5 ngày làm việc', '0,5 ngày làm việc', '4 giờ làm việc', 'Trong ngày'."""
    if unit == DurationUnit.SAME_DAY:
        return _("Trong ngày")
    label = _("giờ làm việc") if unit == DurationUnit.WORKING_HOURS else _("ngày làm việc")
    return f"{format_number(amount)} {label}"


def parse_duration(text: str) -> tuple[Decimal, str]:
    """Inverse of `duration_text`; raises ValueError. Amounts are positive multiples of a half."""
    folded = fold(text)
    if folded in _SAME_DAY:
        return Decimal("0"), DurationUnit.SAME_DAY
    match = _DURATION.match(folded)
    if not match or match.group(2) not in _DURATION_UNITS:
        raise ValueError(text)
    try:
        amount = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not duration_amount_is_valid(amount):
        raise ValueError(text)
    return amount, _DURATION_UNITS[match.group(2)]


def duration_amount_is_valid(amount: Decimal) -> bool:
    return Decimal("0") < amount <= Decimal("99999") and (amount * 2) == (amount * 2).to_integral_value()


def parse_vnd(text: str) -> int:
    """'8000', '8.000', '8.000 đ', '8,000 VNĐ' → 8000; raises ValueError on anything else."""
    digits = _MONEY_SUFFIX.sub("", text.strip()).replace(".", "").replace(",", "").replace(" ", "")
    if not digits.isdigit() or len(digits) > 15:
        raise ValueError(text)
    return int(digits)


def procedure_search_text(*parts: str) -> str:
    return " ".join(fold(p) for p in parts if p)[:1000]
