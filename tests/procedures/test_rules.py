from decimal import Decimal

import pytest

from cqtt.procedures.rules import duration_text, format_vnd, parse_duration, parse_vnd


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (Decimal("5"), "working_days", "5 ngày làm việc"),
        (Decimal("0.5"), "working_days", "0,5 ngày làm việc"),
        (Decimal("4"), "working_hours", "4 giờ làm việc"),
        (Decimal("0"), "same_day", "Trong ngày"),
    ],
)
def test_duration_reads_in_words_and_parses_back(amount, unit, text):
    assert duration_text(amount, unit) == text
    assert parse_duration(text) == (amount, unit)


@pytest.mark.parametrize(
    "text", ["", "năm ngày", "0 ngày làm việc", "0,3 ngày làm việc", "5 tuần", "-1 ngày"]
)
def test_bad_duration_is_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_duration_accepts_text_without_diacritics():
    assert parse_duration("5 NGAY LAM VIEC") == (Decimal("5"), "working_days")


def test_money_is_formatted_with_dots_and_dong():
    assert format_vnd(8000) == "8.000 đ"
    assert format_vnd(1200000) == "1.200.000 đ"
    assert format_vnd(0) == "0 đ"


@pytest.mark.parametrize(
    ("text", "amount"), [("8000", 8000), ("8.000", 8000), ("8.000 đ", 8000), ("50,000 VNĐ", 50000)]
)
def test_money_parses(text, amount):
    assert parse_vnd(text) == amount


@pytest.mark.parametrize("text", ["tám nghìn", "-5", "", "8000 USD"])
def test_bad_money_is_refused(text):
    with pytest.raises(ValueError):
        parse_vnd(text)
