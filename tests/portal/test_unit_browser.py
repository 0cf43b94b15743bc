"""In chromium: a citizen on a 360 px phone finds a ward's page and reads its directory and reception schedule;
the unit administrator registers a counter camera."""

import datetime as dt
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cqtt.accounts.models import Role
from cqtt.reception import services as reception
from cqtt.units.models import Camera
from cqtt.units.services import unit_save
from tests.dossiers.conftest import world  # noqa: F401
from tests.dossiers.test_browser import login
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page):
    # wait_for_function is refused by the CSP: poll with evaluate
    for _ in range(20):
        if page.evaluate("document.readyState") == "complete":
            break
        time.sleep(0.1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_a_citizen_on_a_phone_opens_the_ward_page_and_sees_the_directory_and_schedule(phone_page, world):  # noqa: F811
    w = world
    w.a.address = "Số 1 đường Quang Trung, phường Thủ Dầu Một, Thành phố Hồ Chí Minh"
    w.a.hotline = "1900 1234"
    unit_save(unit=w.a)
    w.leader.position = "Chủ tịch Ủy ban nhân dân phường Thủ Dầu Một"
    w.leader.work_phone, w.leader.phone_is_public = "02743822111", True
    w.leader.responsibilities = (
        "Phụ trách chung; lĩnh vực đất đai, xây dựng, trật tự đô thị; tiếp công dân định kỳ"
    )
    w.leader.save()
    w.counter_a.work_phone, w.counter_a.phone_is_public = "0909111222", False
    w.counter_a.save()
    w.counter.officers.add(w.counter_a)
    reception.session_create(
        actor=w.leader,
        unit=w.a,
        leader=w.leader,
        starts_at=timezone.localtime() + dt.timedelta(days=30),
        place="Phòng tiếp công dân, UBND phường Thủ Dầu Một, số 1 đường Quang Trung",
        content="Tiếp công dân định kỳ",
        publish=True,
    )
    citizen = phone_page
    citizen.goto(citizen.base + "/")
    citizen.get_by_role("link", name=re.compile("Trang của xã, phường")).click()
    citizen.get_by_label("Tên xã, phường").fill("thu dau mot")
    citizen.get_by_role("button", name="Tìm").click()
    citizen.get_by_role("link", name=re.compile("Phường Thủ Dầu Một")).click()
    citizen.wait_for_url(re.compile(r"/don-vi/25747/$"))
    directory = citizen.get_by_test_id("directory")
    expect(directory).to_contain_text("Lê Văn Thành")
    expect(directory).to_contain_text("02743822111")
    expect(directory).to_contain_text("Quầy số 1 — Hộ tịch")
    expect(directory).not_to_contain_text("0909111222")
    expect(citizen.get_by_test_id("session")).to_have_count(1)
    expect(citizen.get_by_test_id("hotline")).to_have_text("1900 1234")
    expect(citizen.get_by_role("link", name="Xem bản đồ")).to_have_attribute(
        "href", re.compile(r"^https://www\.openstreetmap\.org/search\?query=")
    )
    fits_the_phone(citizen)


def test_the_unit_admin_registers_a_counter_camera(page, world):  # noqa: F811
    make_user("quantri", unit=world.a, role=Role.UNIT_ADMIN, full_name="Đỗ Thu Trang")
    login(page, "quantri")
    page.goto(page.base + "/camera-quay/?unit=25747")
    page.locator("#id_counter").select_option(label="Quầy số 1 — Hộ tịch")
    page.get_by_label("Tên camera").fill("Camera quầy 1")
    page.get_by_label("Đầu ghi").fill("")
    page.get_by_label("Số ngày lưu hình").fill("30")
    page.get_by_role("button", name="Thêm").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nhập địa chỉ hoặc vị trí đầu ghi.")
    expect(page.get_by_label("Tên camera")).to_have_value("Camera quầy 1")
    page.get_by_label("Đầu ghi").fill("192.168.1.20 kênh 1")
    page.get_by_role("button", name="Thêm").click()
    expect(page.get_by_test_id("cameras")).to_contain_text("Camera quầy 1")
    assert Camera.objects.filter(name="Camera quầy 1", retention_days=30).exists()
