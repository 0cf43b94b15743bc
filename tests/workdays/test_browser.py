import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_sees_why_a_dossier_received_before_tet_is_due_after_it(page):
    page.goto(page.base + "/ngay-lam-viec/")
    page.fill("#id_received_at", "2026-02-13T10:00")
    page.fill("#id_amount", "1")
    page.select_option("#id_unit", "working_days")
    page.click("button:has-text('Tính ngày hẹn')")

    assert page.locator("#due-at").inner_text() == "17:00, Thứ Hai 23/02/2026"
    rows = page.locator("#explanation tbody tr")
    assert rows.count() == 11
    table = page.locator("#explanation").inner_text()
    for day, reason in [
        ("Thứ Hai 16/02/2026", "Giao thừa Tết Nguyên Đán"),
        ("Thứ Ba 17/02/2026", "Tết Nguyên Đán"),
        ("Thứ Sáu 20/02/2026", "Mùng bốn Tết Nguyên Đán"),
        ("Thứ Hai 23/02/2026", "Ngày làm việc thứ 1"),
    ]:
        assert f"{day}\t{reason}" in table


def test_the_page_fits_a_phone_screen_with_a_result_and_with_errors(phone_page):
    page = phone_page
    page.goto(page.base + "/ngay-lam-viec/?received_at=2026-02-13T10%3A00&amount=2.5&unit=working_days")
    assert page.locator("#due-at").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(page.base + "/ngay-lam-viec/?received_at=x&amount=-1&unit=working_days")
    assert page.locator("#received_at-error").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
