"""Pure rules: ID number and phone formats, with digits typed on any keyboard folded to ASCII first."""

import datetime as dt

import pytest

from cqtt.dossiers.rules import id_number_problem, normalise_id_number, normalise_phone, phone_problem

TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("079085001234", "079085001234"),
        (" 0790 8500 1234 ", "079085001234"),
        ("０７９０８５００１２３４", "079085001234"),  # full-width, as a phone's IME types them
        ("０７９０　８５００　１２３４", "079085001234"),  # with ideographic spaces
        ("０１０１２３４５６７－００１", "0101234567-001"),  # a tax code with a full-width hyphen
        ("", ""),
    ],
)
def test_id_numbers_are_folded_to_ascii_digits_without_spaces(raw, expected):
    assert normalise_id_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912 345 678", "0912345678"),
        ("０９１２３４５６７８", "0912345678"),
        ("＋８４ ９１２ ３４５ ６７８", "0912345678"),
        ("（０２７４）３８２２０００", "02743822000"),
    ],
)
def test_phones_are_folded_to_ascii_digits(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "value",
    ["０７９０８５００１２３４", "٠٧٩٠٨٥٠٠١٢٣٤", "०७९०८५००१२३४"],
    ids=["full-width", "arabic-indic", "devanagari"],
)
def test_only_ascii_digits_pass_the_id_number_check(value):
    assert id_number_problem(value, today=TODAY) == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert id_number_problem("079085001234", today=TODAY) == ""


def test_only_ascii_digits_pass_the_phone_and_tax_code_checks():
    assert phone_problem("０９１２３４５６７８").startswith("Số điện thoại không đúng định dạng")
    assert phone_problem("0912345678") == ""
    assert id_number_problem("０１０１２３４５６７", kind="organisation").startswith("Mã số thuế")
    assert id_number_problem("0101234567", kind="organisation") == ""
