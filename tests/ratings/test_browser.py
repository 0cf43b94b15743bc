"""Ratings in a real chromium: a tablet paired with counter 1 asks the citizen the officer just served, and a
rating given while the network is down is kept on the device and sent once when it is back; the dossier's
rating link on a 360 px phone."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from cqtt.dossiers import services as dossiers
from cqtt.ratings import services
from cqtt.ratings.models import Rating
from tests.dossiers.conftest import applicant, at, documents_for
from tests.ratings.test_services import _returned

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _intake(world):
    return dossiers.dossier_intake(
        actor=world.counter_a,
        procedure_code=world.birth.code,
        applicant=applicant(),
        documents=documents_for(world.birth),
        counter=world.counter,
    ).dossier


def test_the_kiosk_asks_after_the_counter_serves_and_an_offline_rating_is_sent_once(page, staff):
    world = staff
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=True):
        code = services.kiosk_pairing_issue(actor=world.admin, counter=world.counter)
        page.set_viewport_size({"width": 800, "height": 1280})
        page.goto(f"{page.base}/danh-gia/quay/{world.counter.pk}/")
        page.get_by_label("Mã ghép nối").fill(code)
        page.get_by_role("button", name="Ghép nối").click()
        expect(page.get_by_role("heading", name="Kính chào quý khách")).to_be_visible()
        d = _intake(world)  # the officer receives a dossier at counter 1
        expect(page.locator("#officer")).to_have_text("Nguyễn Thị Hà")
        expect(page.locator("#procedure")).to_have_text("Đăng ký khai sinh")
        expect(page.locator("#photo")).to_be_hidden()  # no photo: the initials alone, not an empty circle too
        expect(page.locator("#initials")).to_have_text("H")
        page.get_by_role("button", name=re.compile("Rất hài lòng")).click()
        page.get_by_role("button", name="Luôn mỉm cười").click()
        page.get_by_label("Ý kiến khác (không bắt buộc)").fill("Chị Hà rất chu đáo")
        page.context.set_offline(True)
        page.get_by_role("button", name="Gửi đánh giá").click()
        expect(page.get_by_role("heading", name="Xin cảm ơn quý khách!")).to_be_visible()
        expect(page.locator("#queue")).to_have_text("1 đánh giá chờ gửi")
        expect(page.locator("#offline")).to_be_visible()
        assert not Rating.objects.exists()
        expect(page.get_by_role("heading", name="Kính chào quý khách")).to_be_visible(
            timeout=10_000
        )  # resets
        page.context.set_offline(False)
        expect(page.locator("#queue")).to_be_hidden(timeout=15_000)
    rating = Rating.objects.get()
    assert rating.dossier_id == d.pk and rating.channel == "kiosk" and rating.level == "very_satisfied"
    assert rating.reasons == ["4luon_smile"] and rating.comment == "Chị Hà rất chu đáo"
    assert rating.officer_id == world.counter_a.pk
    # the rated dossier is not asked again, and the queue sends nothing more
    page.reload()
    expect(page.get_by_role("heading", name="Kính chào quý khách")).to_be_visible()
    assert Rating.objects.count() == 1


def test_the_citizen_rates_from_the_lookup_page_on_a_phone(
    phone_page, staff, django_capture_on_commit_callbacks
):
    world = staff
    with (
        time_machine.travel(at(2026, 11, 23, 9, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        d = _intake(world)
    _returned(world, django_capture_on_commit_callbacks, d)
    page = phone_page
    with time_machine.travel(at(2026, 11, 25, 10, 0), tick=True):
        page.goto(f"{page.base}/tra-cuu/{d.lookup_token}/")
        page.get_by_test_id("rating-link").click()
        expect(page.get_by_role("heading", name="Đánh giá sự hài lòng")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_label("Phải chờ lâu").check()
        page.get_by_role("button", name="Gửi đánh giá").click()
        expect(page.get_by_text("Xin chọn mức độ hài lòng.")).to_be_visible()
        expect(page.get_by_label("Phải chờ lâu")).to_be_checked()  # what was ticked is kept
        page.get_by_label("Bình thường").check()
        page.get_by_label("Một lần", exact=True).check()
        page.get_by_role("button", name="Gửi đánh giá").click()
        expect(page.get_by_test_id("rated")).to_contain_text("Hồ sơ này đã được đánh giá")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    rating = Rating.objects.get()
    assert rating.level == "neutral" and rating.contacts == 1 and rating.reasons == ["long_wait"]
    assert rating.i1 == 2  # returned early
