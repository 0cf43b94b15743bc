"""A provincial supervisor walks from the ranking to a ward's officers and to the records behind an indicator, in a
real chromium, on the real clock: the ward's dossiers are received, finished and rated minutes ago, the read model
filled by the outbox's reactions as they commit."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cqtt.accounts.models import Role
from cqtt.dossiers import services as dossiers
from cqtt.evaluation import indices
from cqtt.ratings import services as ratings
from tests.dossiers.conftest import applicant, documents_for
from tests.dossiers.test_browser import login
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _finished_and_rated(w, level: str, minutes_ago: int):
    """A dossier of ward A received, finished and rated in the last `minutes_ago` minutes."""
    start = timezone.now() - dt.timedelta(minutes=minutes_ago)

    def t(n):
        return start + dt.timedelta(minutes=n)

    d = dossiers.dossier_intake(
        actor=w.counter_a,
        procedure_code=w.birth.code,
        applicant=applicant(),
        documents=documents_for(w.birth),
        at=t(0),
        counter=w.counter,
    ).dossier
    d = dossiers.dossier_assign(actor=w.leader, dossier=d, assignee=w.specialist, at=t(1))
    d = dossiers.dossier_submit(actor=w.specialist, dossier=d, at=t(2))
    d = dossiers.dossier_approve(actor=w.leader, dossier=d, at=t(3))
    d = dossiers.dossier_mark_ready(actor=w.specialist, dossier=d, at=t(4))
    d = dossiers.dossier_return_result(actor=w.counter_a, dossier=d, collected_by="Phạm Văn Bình", at=t(5))
    ratings.rating_submit(dossier=d, level=level, contacts=1, bodies=1, rated_at=t(6), at=t(6))
    return d


@pytest.fixture
def rated(world):
    make_user("giamsat", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR, full_name="Phan Văn Giám")
    world.dossiers = [
        _finished_and_rated(world, "very_satisfied", 20),
        _finished_and_rated(world, "unsatisfied", 10),
    ]
    return world


def test_the_supervisor_clicks_from_the_ranking_to_the_officers_and_the_records_of_an_indicator(page, rated):
    w = rated
    this_month = indices.month_period(timezone.localdate()).label
    login(page, "giamsat")
    page.get_by_role("link", name="Đánh giá mô hình, chỉ số và xếp hạng").click()
    page.locator(".eval-ranking").get_by_role("link", name="Phường Thủ Dầu Một").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Phường Thủ Dầu Một, kỳ {this_month}")

    # the officers: the counter officer who served both citizens, TT 01 indicators 1, 2, 3, 4, 7
    page.get_by_role("link", name="Cán bộ", exact=True).click()
    page.wait_for_url(re.compile(rf"/danh-gia-mo-hinh/don-vi/{w.a.code}/can-bo/\?period={this_month}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đánh giá cán bộ theo TT 01/2018")
    row = page.locator("table.eval-table tbody tr").filter(has_text="Nguyễn Thị Hà")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("2")  # two ratings
    expect(row.locator("td").last).not_to_have_text("—")  # a band of Art. 15
    # another period: nobody rated then
    page.get_by_label("Kỳ đánh giá").select_option(str(timezone.localdate().year - 1))
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("table.eval-table tbody")).to_contain_text("Chưa có lượt đánh giá nào trong kỳ.")
    page.get_by_label("Kỳ đánh giá").select_option(this_month)
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("table.eval-table tbody tr").filter(has_text="Nguyễn Thị Hà")).to_have_count(1)

    # back to the unit, then indicator 1's score opens the dossiers behind it
    page.get_by_role("link", name="Chỉ số của đơn vị").click()
    tt01 = page.locator("table.eval-table").first
    tt01.locator("tbody tr").first.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/danh-gia-mo-hinh/don-vi/{w.a.code}/chi-so/1/\?period={this_month}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Số liệu của chỉ số 1")
    expect(page.get_by_text("2 bản ghi")).to_be_visible()
    records = page.locator("table.eval-table tbody")
    for d in w.dossiers:
        expect(records.get_by_role("link", name=d.code)).to_be_visible()
    expect(records).not_to_contain_text("Phạm Văn Bình")  # codes only
    expect(records.locator("tr").first.locator("td").last).to_have_text("Trước hạn")  # in words, not a code
    # the dossier's own page opens from its code
    records.get_by_role("link", name=w.dossiers[0].code).click()
    page.wait_for_url(re.compile(rf"/ho-so/{w.dossiers[0].code}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(w.dossiers[0].code)
    page.go_back()

    # indicator 2 (satisfaction): the ratings behind it, each with its dossier's code
    page.get_by_role("link", name="Chỉ số của đơn vị").click()
    tt01 = page.locator("table.eval-table").first
    tt01.locator("tbody tr").nth(1).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Số liệu của chỉ số 2")
    records = page.locator("table.eval-table tbody tr")
    expect(records).to_have_count(2)
    expect(records.first).to_contain_text("Lượt đánh giá")
