"""An officer away from the desk for longer than the idle limit finds the login page and is told why."""

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_idle_officer_is_sent_to_the_login_page_with_the_reason(page, world):
    with time_machine.travel("2026-11-24T07:30:00+07:00", tick=False) as clock:
        page.goto(page.base + "/tai-khoan/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill("motcua")
        page.get_by_label("Mật khẩu").fill("pw-12345-test")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(re.compile(r"/tai-khoan/$"))
        page.wait_for_load_state(
            "networkidle"
        )  # the home page's own requests (its alerts) are done before the officer leaves
        clock.shift(dt.timedelta(minutes=31))
        page.goto(page.base + "/ho-so/")
        expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/\?next=/ho-so/"))
        expect(page.get_by_role("status")).to_contain_text("không có thao tác trong 30 phút")
        expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
