"""The work lists' search box in a real chromium: a counter officer finds a citizen's dossier by the name said
aloud, typed without diacritics, and by the phone; another ward's dossier stays out of sight."""

import pytest
from playwright.sync_api import expect

from cqtt.dossiers.services import dossier_intake

from .conftest import applicant, at, documents_for, receive
from .test_browser import login, no_horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counter_officer_finds_a_dossier_by_name_without_diacritics_and_by_phone(page, world, frozen_clock):
    mine = receive(world)
    theirs = dossier_intake(
        actor=world.counter_b,
        procedure_code=world.birth.code,
        applicant=applicant(phone="0912000111"),  # the same name in ward B
        documents=documents_for(world.birth),
        at=at(2026, 11, 23, 11, 0),
    ).dossier
    login(page, "motcua")
    page.goto(page.base + "/ho-so/")
    box = page.get_by_role("searchbox", name="Tìm hồ sơ")
    box.fill("pham van binh")
    box.press("Enter")
    expect(page.get_by_role("heading", name="Kết quả tìm «pham van binh»")).to_be_visible()
    expect(page.get_by_role("link", name=mine.code)).to_be_visible()
    expect(page.get_by_role("link", name=theirs.code)).to_have_count(0)
    no_horizontal_overflow(page)

    box = page.get_by_role("searchbox", name="Tìm hồ sơ")
    expect(box).to_have_value("pham van binh")  # the box keeps what was typed
    box.fill("0912 345 678")
    box.press("Enter")
    expect(page.get_by_role("link", name=mine.code)).to_be_visible()

    box = page.get_by_role("searchbox", name="Tìm hồ sơ")
    box.fill("a")
    box.press("Enter")
    expect(page.get_by_text("Nhập ít nhất một từ 2 chữ cái")).to_be_visible()
    expect(box).to_have_attribute("aria-invalid", "true")

    page.get_by_role("searchbox", name="Tìm hồ sơ").fill(mine.code)
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_role("link", name=mine.code).click()
    expect(page.get_by_role("heading", name=mine.code)).to_be_visible()
