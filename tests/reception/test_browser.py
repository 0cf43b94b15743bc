"""The reception pages in a real chromium: a citizen on a 360 px phone finds the ward's schedule of reception; a
counter officer records a visit at the desk, makes a mistake that keeps what was typed, and turns the visit into
a feedback item with one click."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cqtt.feedback.models import FeedbackItem
from cqtt.reception import services
from cqtt.reception.models import Visit
from tests.dossiers.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_a_citizen_opens_the_reception_schedule_on_a_phone(phone_page, world):
    services.session_create(
        actor=world.leader,
        unit=world.a,
        leader=world.leader,
        # a month ahead of the real clock: always ≥ 5 working days after today's publication
        starts_at=timezone.localtime() + dt.timedelta(days=30),
        place="Phòng tiếp công dân, UBND phường Thủ Dầu Một, số 1 đường Quang Trung",
        content="Chủ tịch UBND phường tiếp công dân định kỳ về đất đai, xây dựng và trật tự đô thị",
        publish=True,
    )
    citizen = phone_page
    citizen.goto(citizen.base + "/tiep-cong-dan/lich/")
    citizen.get_by_label("Tên xã, phường").fill("thu dau mot")
    citizen.get_by_role("button", name="Tìm").click()
    citizen.get_by_role("link", name=re.compile("Phường Thủ Dầu Một")).click()
    expect(citizen.get_by_test_id("session")).to_have_count(1)
    expect(citizen.get_by_test_id("session")).to_contain_text("Lê Văn Thành")
    fits_the_phone(citizen)


def test_a_counter_officer_records_a_visit_and_makes_it_a_feedback_item(page, world):
    login(page, "motcua")
    page.goto(page.base + "/tiep-cong-dan/xu-ly/so/moi/?unit=25747")
    page.get_by_label("Họ và tên").fill("Phạm Văn Bình")
    page.get_by_label("Số CCCD (hoặc hộ chiếu)").fill("07908500")
    page.get_by_label("Kiến nghị").check()
    page.get_by_label("Tóm tắt nội dung vụ việc").fill("Đề nghị sửa đường hẻm 12 Bạch Đằng bị ngập khi mưa.")
    page.get_by_role("button", name="Ghi vào sổ").click()
    expect(page.get_by_text("Số định danh cá nhân phải gồm đúng 12 chữ số.")).to_be_visible()
    expect(page.get_by_label("Tóm tắt nội dung vụ việc")).to_have_value(
        "Đề nghị sửa đường hẻm 12 Bạch Đằng bị ngập khi mưa."
    )
    page.get_by_label("Số CCCD (hoặc hộ chiếu)").fill("079085001234")
    page.get_by_role("button", name="Ghi vào sổ").click()
    expect(page.get_by_test_id("visit-status")).to_have_text("Chờ trả lời")
    page.get_by_role("button", name="Chuyển thành phản ánh, kiến nghị").click()
    link = page.get_by_test_id("feedback-link")
    expect(link).to_contain_text("GY-")
    visit = Visit.objects.get()
    item = FeedbackItem.objects.get(code=visit.feedback_code)
    assert item.kind == "recommendation" and item.sender_name == "Phạm Văn Bình"
    link.get_by_role("link").click()
    expect(page).to_have_url(re.compile(f"/gop-y/xu-ly/{item.code}/"))
