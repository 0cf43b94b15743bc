"""The province's steering committee manages its criteria sets, the roll-out and a cycle's printed report in a
real chromium, on the real clock (dates typed relative to today): a set of its own with a bad line first (the
Vietnamese message, the lines typed kept), the set's editor, a new version of a built-in set; targets with their
progress, a pilot unit and an outreach session counted; a cycle created with the new set and its PDF."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cqtt.evaluation.criteria_models import CriteriaSet, OutreachSession, RolloutTarget
from tests.dossiers.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD_LINES = (
    "TC1 | 40 | dossiers_on_time | Hồ sơ giải quyết đúng hạn\nTC2 | 60 | | Niêm yết công khai thủ tục"
)
BAD_LINES = (
    "TC1 | 40 | dossiers_on_time | Hồ sơ giải quyết đúng hạn\nTC2 | sáu mươi | | Niêm yết công khai thủ tục"
)


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def test_the_committee_creates_a_set_of_its_own_edits_it_and_versions_a_built_in_one(page, world, supervisor):
    login(page, "bcd_tinh")
    page.get_by_role("link", name="Tiêu chí, tự đánh giá, kiểm tra và công nhận mô hình").click()
    page.get_by_role("link", name="Bộ tiêu chí", exact=True).click()
    page.wait_for_url(re.compile(r"/danh-gia-mo-hinh/tieu-chi/bo-tieu-chi/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bộ tiêu chí — Thành phố Hồ Chí Minh")
    form = page.get_by_test_id("set-form")
    form.get_by_label("Ký hiệu").fill("hcm-tc")
    form.get_by_label("Tên bộ tiêu chí").fill("Bộ tiêu chí chính quyền thân thiện của Thành phố")
    form.get_by_label("Điểm đạt").fill("70")
    form.get_by_label("Các tiêu chí").fill(BAD_LINES)
    form.get_by_role("button", name="Lập bộ tiêu chí").click()
    # the bad line named in Vietnamese, no misleading total; everything typed is still there
    errors = form.get_by_role("alert")
    expect(errors).to_have_text("Tiêu chí thứ 2, điểm tối đa: Phải là một số, ví dụ 80 hoặc 7,5.")
    expect(form).not_to_contain_text("tổng điểm")
    expect(form.get_by_label("Các tiêu chí")).to_have_value(BAD_LINES)
    expect(form.get_by_label("Ký hiệu")).to_have_value("hcm-tc")
    expect(form.get_by_label("Điểm đạt")).to_have_value("70")
    assert not CriteriaSet.objects.filter(province=world.city).exists()
    form.get_by_label("Các tiêu chí").fill(GOOD_LINES)
    form.get_by_role("button", name="Lập bộ tiêu chí").click()
    page.wait_for_url(re.compile(r"/danh-gia-mo-hinh/tieu-chi/bo-tieu-chi/\d+/$"))
    expect(
        page.get_by_role("status").filter(has_text="Đã lập bộ tiêu chí HCM-TC phiên bản 1.")
    ).to_be_visible()
    criteria = page.get_by_test_id("criteria")
    expect(criteria.locator("tbody tr")).to_have_count(2)
    expect(criteria.locator("tbody tr").first).to_contain_text("Tự động")
    expect(page.locator("dl.facts")).to_contain_text("100 · 70")

    # the editor: a pass mark above the total is refused with the lines kept, then saved
    edit = page.get_by_test_id("set-edit")
    edit.get_by_label("Điểm đạt").fill("130")
    edit.get_by_label("Các tiêu chí").fill(GOOD_LINES + "\nTC3 | 20 | | Thái độ ứng xử của cán bộ")
    edit.get_by_role("button", name="Lưu").click()
    expect(edit.locator("#err-pass_mark")).to_have_text("Điểm đạt phải lớn hơn 0 và không quá tổng điểm 120.")
    expect(edit.get_by_label("Các tiêu chí")).to_have_value(re.compile("TC3 \\| 20 \\| \\| Thái độ"))
    expect(edit.get_by_label("Điểm đạt")).to_have_value("130")
    edit.get_by_label("Điểm đạt").fill("90")
    edit.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu bộ tiêu chí.")).to_be_visible()
    expect(page.get_by_test_id("criteria").locator("tbody tr")).to_have_count(3)
    expect(page.locator("dl.facts")).to_contain_text("120 · 90")

    # a new version of a built-in set: the province's own copy, editable
    page.get_by_role("link", name="Bộ tiêu chí", exact=True).click()
    row = page.get_by_test_id("sets").locator("tbody tr").filter(has_text="BD-TIEU-CHI")
    row.get_by_role("button", name="Lập phiên bản mới").click()
    expect(
        page.get_by_role("status").filter(has_text="Đã lập bộ tiêu chí BD-TIEU-CHI phiên bản 2.")
    ).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("BD-TIEU-CHI v2")
    expect(page.get_by_test_id("set-edit")).to_be_visible()
    page.get_by_role("link", name="Bộ tiêu chí", exact=True).click()
    expect(page.get_by_test_id("sets").locator("tbody tr").filter(has_text="BD-TIEU-CHI")).to_have_count(2)
    assert CriteriaSet.objects.filter(province=world.city).count() == 2


def test_the_committee_sets_a_target_chooses_a_pilot_and_counts_an_outreach_session(page, world, supervisor):
    today = timezone.localdate()
    login(page, "bcd_tinh")
    page.get_by_role("link", name="Tiêu chí, tự đánh giá, kiểm tra và công nhận mô hình").click()
    page.get_by_role("link", name="Nhân rộng, tuyên truyền").click()
    page.wait_for_url(re.compile(r"/danh-gia-mo-hinh/tieu-chi/nhan-rong/$"))
    expect(page.get_by_test_id("targets")).to_contain_text("Chưa đặt chỉ tiêu.")
    target = page.get_by_test_id("target-form")
    target.get_by_label("Chỉ tiêu", exact=True).fill("50 % xã, phường đạt mô hình")
    target.get_by_label("Thời hạn (dd/mm/yyyy)").fill(dmy(today + dt.timedelta(days=365)))
    target.get_by_label("Tỷ lệ xã, phường (%)").fill("500")
    target.get_by_role("button", name="Thêm chỉ tiêu").click()
    expect(target.locator("#err-percent")).to_contain_text("Ghi một số nguyên từ 1 đến 100")
    expect(target.get_by_label("Chỉ tiêu", exact=True)).to_have_value("50 % xã, phường đạt mô hình")
    target.get_by_label("Tỷ lệ xã, phường (%)").fill("50")
    target.get_by_role("button", name="Thêm chỉ tiêu").click()
    expect(page.get_by_role("status").filter(has_text="Đã lưu chỉ tiêu nhân rộng.")).to_be_visible()
    row = page.get_by_test_id("targets").locator("tbody tr")
    expect(row).to_have_count(1)
    # two communes in the city, half of them: one wanted, none recognised yet
    expect(row.locator("td")).to_have_text(
        ["50 % xã, phường đạt mô hình", dmy(today + dt.timedelta(days=365)), "1", "0", "0 %"]
    )
    assert RolloutTarget.objects.get().percent == 50

    page.get_by_label("Xã, phường", exact=True).select_option(label="Phường Thủ Dầu Một")
    page.get_by_label("Ngày chọn (dd/mm/yyyy)").fill(dmy(today))
    page.get_by_role("button", name="Chọn thí điểm").click()
    expect(page.get_by_role("status").filter(has_text="Đã thêm đơn vị thí điểm.")).to_be_visible()
    expect(page.get_by_test_id("pilots")).to_have_text(f"Phường Thủ Dầu Một — {dmy(today)}")

    outreach = page.get_by_test_id("outreach-form")
    outreach.get_by_label("Đơn vị tổ chức").select_option(label="Phường Thủ Dầu Một")
    outreach.get_by_label("Ngày (dd/mm/yyyy)").fill(dmy(today + dt.timedelta(days=2)))
    outreach.get_by_label("Địa điểm").fill("Hội trường UBND phường Thủ Dầu Một")
    outreach.get_by_label("Chủ đề").fill("Văn hóa công sở, thái độ phục vụ")
    outreach.get_by_label("Số người tham dự").fill("120")
    outreach.get_by_role("button", name="Ghi buổi tuyên truyền").click()
    expect(outreach.locator("#err-held_on")).to_have_text("Ngày tổ chức không được sau hôm nay.")
    expect(outreach.get_by_label("Chủ đề")).to_have_value("Văn hóa công sở, thái độ phục vụ")
    expect(outreach.get_by_label("Số người tham dự")).to_have_value("120")
    outreach.get_by_label("Ngày (dd/mm/yyyy)").fill(dmy(today))
    outreach.get_by_role("button", name="Ghi buổi tuyên truyền").click()
    expect(page.get_by_role("status").filter(has_text="Đã ghi buổi tuyên truyền.")).to_be_visible()
    counts = page.get_by_test_id("outreach").locator("tbody tr")
    expect(counts).to_have_count(1)
    expect(counts.locator("td")).to_have_text(["Phường Thủ Dầu Một", str(today.year), "1", "120"])
    assert OutreachSession.objects.get().attendees == 120


def test_the_committee_opens_a_cycle_with_its_set_and_downloads_the_printed_report(page, world, supervisor):
    today = timezone.localdate()
    login(page, "bcd_tinh")
    page.get_by_role("link", name="Tiêu chí, tự đánh giá, kiểm tra và công nhận mô hình").click()
    cycle = page.get_by_test_id("cycle-form")
    cycle.get_by_label("Tên đợt đánh giá").fill(f"Đánh giá mô hình năm {today.year}")
    bd = CriteriaSet.objects.get(province__isnull=True, code="BD-TIEU-CHI", version=1)
    cycle.get_by_label("Bộ tiêu chí").select_option(label=f"BD-TIEU-CHI v1 — {bd.name}")
    cycle.get_by_label("Từ ngày (dd/mm/yyyy)").fill(dmy(today - dt.timedelta(days=30)))
    cycle.get_by_label("Đến ngày (dd/mm/yyyy)").fill(dmy(today + dt.timedelta(days=60)))
    cycle.get_by_label("Phường Thủ Dầu Một").check()
    cycle.get_by_role("button", name="Lập đợt đánh giá").click()
    expect(page.get_by_role("status").filter(has_text="Đã lập đợt đánh giá.")).to_be_visible()
    expect(page.get_by_test_id("assessments").locator("tbody tr")).to_have_count(1)
    review = page.get_by_test_id("review-form")
    review.get_by_label("Loại báo cáo").select_option(index=0)
    review.get_by_label("Ngày (dd/mm/yyyy)").fill(dmy(today))
    review.get_by_label("Nội dung đánh giá").fill("Phường Thủ Dầu Một đã tự đánh giá đúng tiến độ.")
    review.get_by_role("button", name="Ghi báo cáo").click()
    expect(page.get_by_role("status").filter(has_text="Đã ghi báo cáo.")).to_be_visible()
    link = page.get_by_test_id("report")
    expect(link).to_have_text("In báo cáo (PDF)")
    answer = page.request.get(page.base + link.get_attribute("href"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body()[:5] == b"%PDF-"
