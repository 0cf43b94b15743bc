"""A complaint about an officer at the counter, in a real chromium on the real clock: the leader records the
footage request from the case page (a moment to come first: the message, the counter still chosen), finds it on
the footage requests page with the counter's camera and the officer, and closes it once the footage is pulled."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cqtt.complaints import services
from cqtt.units.models import Camera, FootageRequest
from tests.dossiers.test_browser import login

from .conftest import PERSON

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local(moment: dt.datetime) -> str:
    """What a datetime-local box holds."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def case(world):
    Camera.objects.create(
        counter=world.counter, name="Camera quầy 1", recorder="NVR-1 kênh 1", retention_days=14
    )
    now = timezone.now()
    return services.case_receive(
        actor=world.leader,
        unit=world.a,
        kind="complaint",
        received_on=timezone.localdate(),
        channel="in_person",
        person=PERSON,
        content="Tôi khiếu nại cán bộ quầy hộ tịch đã nói năng thiếu lịch sự khi tôi nộp hồ sơ sáng nay.",
        at=now - dt.timedelta(minutes=5),
    )


def test_the_leader_records_a_footage_request_from_the_case_and_closes_it(page, world, case):
    w = world
    login(page, "lanhdao")
    page.get_by_role("link", name="Giải quyết khiếu nại, tố cáo, kiến nghị").click()
    page.get_by_test_id("cases").get_by_role("link", name=case.code).click()
    page.wait_for_url(re.compile(rf"/khieu-nai-to-cao/{case.code}/$"))
    box = page.locator('details[data-action="footage"]')
    box.locator("summary").click()
    counter_label = "Phường Thủ Dầu Một — Quầy số 1 — Hộ tịch"
    box.get_by_label("Quầy").select_option(label=counter_label)
    box.get_by_label("Cán bộ bị phản ánh (nếu có)").select_option(label="Nguyễn Thị Hà")
    # a moment to come: refused in Vietnamese, what was chosen kept
    box.get_by_label("Thời điểm xảy ra sự việc").fill(local(timezone.now() + dt.timedelta(hours=2)))
    box.get_by_role("button", name="Ghi yêu cầu trích xuất camera tại quầy").click()
    box = page.locator('details[data-action="footage"]')
    expect(box.get_by_role("alert")).to_have_text("Thời điểm xảy ra sự việc không thể ở tương lai.")
    expect(box.get_by_label("Quầy").locator("option:checked")).to_have_text(counter_label)
    expect(box.get_by_label("Cán bộ bị phản ánh (nếu có)").locator("option:checked")).to_have_text(
        "Nguyễn Thị Hà"
    )
    assert not FootageRequest.objects.exists()
    moment = timezone.now() - dt.timedelta(minutes=30)
    box.get_by_label("Thời điểm xảy ra sự việc").fill(local(moment))
    box.get_by_role("button", name="Ghi yêu cầu trích xuất camera tại quầy").click()
    expect(
        page.get_by_role("status").filter(has_text="Đã ghi yêu cầu trích xuất camera tại quầy.")
    ).to_be_visible()
    expect(page.get_by_test_id("events")).to_contain_text("Yêu cầu trích xuất camera quầy 1")

    # the request on the footage page, as the leader reaches it from the staff home
    page.get_by_role("link", name="Trang cán bộ").click()
    page.get_by_role("link", name="Camera quầy và yêu cầu trích xuất hình ảnh").click()
    page.get_by_role("link", name="Yêu cầu trích xuất hình ảnh").click()
    page.wait_for_url(re.compile(r"/camera-quay/trich-xuat/\?unit=25747$"))
    row = page.get_by_test_id("footage").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Camera quầy 1 (NVR-1 kênh 1)")
    expect(row).to_contain_text(f"Đơn {case.code} phản ánh việc tại quầy")
    expect(row).to_contain_text("Cán bộ: Nguyễn Thị Hà")
    expect(row).to_contain_text("Khiếu nại, phản ánh")
    expect(row).to_contain_text("Chờ trích xuất")
    expect(row).not_to_contain_text(PERSON["full_name"])
    expect(row).not_to_contain_text("case:")  # the case's code in the reason, not the request's internal key
    start = timezone.localtime(moment - dt.timedelta(minutes=20))
    expect(row.locator("td").nth(1)).to_have_text(re.compile(rf"^{start:%H:%M}–"))

    # not needed without a reason: refused; then pulled
    row.locator("select").select_option(label="Không cần trích xuất")
    row.get_by_role("button", name="Đóng").click()
    expect(page.get_by_role("status").filter(has_text="Ghi lý do không cần trích xuất.")).to_be_visible()
    row = page.get_by_test_id("footage").locator("tbody tr")
    row.locator("select").select_option(label="Đã trích xuất")
    row.locator("input[name=note]").fill("Đã chép đoạn 09:10–09:50 vào USB của thanh tra")
    row.get_by_role("button", name="Đóng").click()
    expect(page.get_by_role("status").filter(has_text="Đã đóng yêu cầu trích xuất.")).to_be_visible()
    row = page.get_by_test_id("footage").locator("tbody tr")
    expect(row).to_contain_text("Đã trích xuất")
    expect(row).to_contain_text("Đã chép đoạn 09:10–09:50 vào USB của thanh tra")
    expect(row.get_by_role("button", name="Đóng")).to_have_count(0)
    assert FootageRequest.objects.get().status == "pulled"
    assert FootageRequest.objects.get().officer == w.counter_a
