"""A low rating at a counter's kiosk opens a footage request by itself; in a real chromium on the real clock the
leader finds it among the requests whose footage the recorder overwrites within two days, and closes it as not
needed with a reason (first without one: the message); the Front's observer reads the list without the forms."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cqtt.dossiers import services as dossiers
from cqtt.ratings import services as ratings
from cqtt.ratings.models import Kiosk
from cqtt.ratings.selectors import kiosk_prompt
from cqtt.units.models import FootageRequest
from cqtt.units.services import camera_save
from tests.dossiers.conftest import applicant, documents_for, world  # noqa: F401
from tests.dossiers.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def low_rating(world):  # noqa: F811
    w = world
    w.counter.officers.add(w.counter_a)
    camera_save(counter=w.counter, name="Camera quầy 1", recorder="192.168.1.20 kênh 1", retention_days=1)
    now = timezone.now()
    d = dossiers.dossier_intake(
        actor=w.counter_a,
        procedure_code=w.birth.code,
        applicant=applicant(),
        documents=documents_for(w.birth),
        at=now - dt.timedelta(minutes=10),
        counter=w.counter,
    ).dossier
    prompt = kiosk_prompt(counter=w.counter, at=now - dt.timedelta(minutes=9))
    kiosk = Kiosk.objects.create(counter=w.counter, secret_hash="x")
    ratings.rating_submit(
        dossier=d,
        level="unsatisfied",
        reasons=["long_wait"],
        channel="kiosk",
        source=f"kiosk:{kiosk.pk}",
        kiosk=kiosk,
        prompt=prompt,
        client_id="abc",
        rated_at=now - dt.timedelta(minutes=8),
        at=now - dt.timedelta(minutes=8),
    )
    w.dossier = d
    return w


def test_the_leader_closes_the_request_a_low_rating_opened_and_the_observer_only_reads(page, low_rating):
    w = low_rating
    assert FootageRequest.objects.count() == 1  # opened by the outbox's reaction as the rating committed
    login(page, "lanhdao")
    page.get_by_role("link", name="Camera quầy và yêu cầu trích xuất hình ảnh").click()
    expect(page.get_by_test_id("cameras")).to_contain_text("Camera quầy 1")
    page.get_by_role("link", name="Yêu cầu trích xuất hình ảnh").click()
    page.wait_for_url(re.compile(r"/camera-quay/trich-xuat/\?unit=25747$"))
    # one day of recording: the footage is overwritten tomorrow, so the reminder names it
    expect(page.get_by_test_id("due-soon")).to_contain_text("Quầy số 1 — Hộ tịch")
    row = page.get_by_test_id("footage").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"Người dân đánh giá chưa hài lòng (hồ sơ {w.dossier.code}).")
    expect(row).to_contain_text("Cán bộ: Nguyễn Thị Hà")
    expect(row).to_contain_text("Đánh giá của người dân")
    expect(row).not_to_contain_text("rating:")
    expect(row.locator(".badge")).to_have_text("sắp hết hạn")

    row.locator("select").select_option(label="Không cần trích xuất")
    row.get_by_role("button", name="Đóng").click()
    expect(page.get_by_role("status").filter(has_text="Ghi lý do không cần trích xuất.")).to_be_visible()
    row = page.get_by_test_id("footage").locator("tbody tr")
    expect(row).to_contain_text("Chờ trích xuất")
    row.locator("select").select_option(label="Không cần trích xuất")
    row.locator("input[name=note]").fill("Người dân chờ lâu do mất điện, đã xin lỗi tại quầy")
    row.get_by_role("button", name="Đóng").click()
    expect(page.get_by_role("status").filter(has_text="Đã đóng yêu cầu trích xuất.")).to_be_visible()
    row = page.get_by_test_id("footage").locator("tbody tr")
    expect(row).to_contain_text("Không cần trích xuất")
    expect(row).to_contain_text("Người dân chờ lâu do mất điện, đã xin lỗi tại quầy")
    expect(row.locator(".badge")).to_have_count(0)
    expect(page.get_by_test_id("due-soon")).to_have_count(0)  # closed: no longer a reminder
    assert FootageRequest.objects.get().status == "dismissed"

    login(page, "mttq")
    page.goto(page.base + "/camera-quay/trich-xuat/")
    expect(page.get_by_test_id("footage").locator("tbody tr")).to_contain_text("Không cần trích xuất")
    expect(page.get_by_role("button", name="Đóng")).to_have_count(0)
    expect(page.get_by_role("button", name="Ghi yêu cầu")).to_have_count(0)
