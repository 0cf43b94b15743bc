import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from cqtt.core.text import fold, nfc, search_terms


def test_nfc_composes_decomposed_vietnamese_and_collapses_spaces():
    decomposed = unicodedata.normalize("NFD", "  Đăng   ký khai sinh ")
    assert decomposed != "Đăng ký khai sinh"
    assert nfc(decomposed) == "Đăng ký khai sinh"


def test_fold_removes_diacritics_case_and_d_stroke():
    assert fold("ĐĂNG KÝ Khai Sinh") == "dang ky khai sinh"
    assert fold("Phường Thủ Dầu Một") == "phuong thu dau mot"
    assert fold(unicodedata.normalize("NFD", "Đồng Nai")) == "dong nai"


def test_search_terms_are_folded_and_unique():
    assert search_terms("Khai  sinh khai SINH đăng") == ["khai", "sinh", "dang"]
    assert search_terms(None) == []


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(text):
    once = fold(text)
    assert fold(once) == once


def test_fold_of_every_vietnamese_letter_is_ascii():
    letters = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
    assert fold(letters + letters.upper()).isascii()


def test_control_characters_are_dropped_but_lines_and_tabs_are_kept():
    from cqtt.core.text import nfc, nfc_text

    typed = "Đề\x00 nghị\x01\x1b bổ sung\tmáy\x7f\nlấy số"
    assert nfc_text(typed) == "Đề nghị bổ sung máy\nlấy số"
    assert nfc(typed) == "Đề nghị bổ sung máy lấy số"
