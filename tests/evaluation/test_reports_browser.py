"""The reports pages in a real chromium: asked for through the form, the progress page refreshing itself until
the build is done, both files downloaded."""

import time

import pytest
from playwright.sync_api import expect

from cqtt.accounts.models import Role
from cqtt.evaluation import indices, reports_services
from cqtt.evaluation.models import UnitMonthFact
from cqtt.evaluation.reports_models import Report
from cqtt.evaluation.selectors import today
from tests.dossiers.test_browser import login
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def facts(world):
    for p in indices.last_months(today(), 3):
        UnitMonthFact.objects.create(
            unit=world.a,
            month=p.start,
            received=10,
            finished=8,
            early=3,
            on_time=4,
            late=1,
            rated=5,
            satisfied=4,
            neutral=1,
            letters_thanks=2,
        )
    return make_user("giamsat", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR)


def test_a_supervisor_asks_for_the_quarterly_report_and_downloads_both_files(page, world, facts):
    login(page, "giamsat")
    page.goto(page.base + "/tai-khoan/")
    page.get_by_role("link", name="Báo cáo định kỳ").click()
    page.get_by_label("Kỳ báo cáo", exact=True).fill("2026-10")
    page.get_by_role("button", name="Lập báo cáo").click()
    expect(page.get_by_role("alert")).to_contain_text("lập theo quý hoặc năm")
    page.get_by_label("Kỳ báo cáo", exact=True).fill(f"{today().year}-Q{(today().month - 1) // 3 + 1}")
    page.get_by_label("Kiến nghị, đề xuất (đưa vào báo cáo)").fill("Đề nghị bổ sung máy lấy số.")
    page.get_by_role("button", name="Lập báo cáo").click()
    expect(page.locator("#report-status")).to_have_text("Đã lập xong")  # the test server builds it on commit
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Tải tệp PDF").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    assert open(pdf.value.path(), "rb").read(5) == b"%PDF-"
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Tải tệp Excel (.xlsx)").click()
    assert open(xlsx.value.path(), "rb").read(2) == b"PK"
    page.get_by_role("link", name="← Báo cáo định kỳ").click()
    expect(page.locator(".eval-reports")).to_contain_text("Thành phố Hồ Chí Minh")


def test_the_progress_page_refreshes_itself_until_the_report_is_built(page, world, facts):
    report = Report.objects.create(
        kind="model_review",
        unit=world.city,
        period=str(today().year),
        requested_by=facts,
        requested_at=reports_services.timezone.now(),
        done=1,
        total=5,
    )
    login(page, "giamsat")
    page.goto(page.base + f"/danh-gia-mo-hinh/bao-cao/{report.pk}/")
    expect(page.locator("#report-status")).to_have_text("Đang chờ lập")
    assert page.locator("#report-progress").get_attribute("value") == "20"
    assert reports_services.report_build(report_id=report.pk)
    deadline = time.monotonic() + 15
    while (
        time.monotonic() < deadline and page.locator("#report-status").get_attribute("data-status") != "done"
    ):
        page.wait_for_timeout(200)
    expect(page.get_by_role("link", name="Tải tệp PDF")).to_be_visible()
    assert page.locator("#report-progress").count() == 0
