"""A commune's leader self-assesses on a phone (360 px) and the province's inspection team inspects and
recognises at an office screen, in a real chromium. Transactional: the live server needs committed data."""

import pytest
import time_machine
from playwright.sync_api import expect

from cqtt.evaluation.criteria_models import Assessment
from tests.conftest import FROZEN_NOW
from tests.dossiers.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wait_status(page, status: str) -> None:
    # poll from the test (wait_for_function is refused by the page's CSP)
    for _ in range(100):
        if page.evaluate("document.querySelector('[data-testid=status]')?.dataset.status") == status:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"status never became {status}")


def test_a_leader_self_assesses_on_a_phone_and_the_team_inspects(phone_page, page, cycle, supervisor, world):
    a = cycle.assessments.get(unit=world.a)
    url = f"/danh-gia-mo-hinh/tieu-chi/danh-gia/{a.pk}/"
    self_ids = list(a.scores.filter(criterion__kind="self").values_list("criterion_id", flat=True))
    with time_machine.travel(FROZEN_NOW, tick=True):
        phone = phone_page
        login(phone, "lanhdao")
        phone.goto(phone.base + "/danh-gia-mo-hinh/tieu-chi/")
        phone.get_by_role("link", name=cycle.name).click()
        phone.get_by_role("link", name="Phường Thủ Dầu Một").click()
        phone.get_by_role("button", name="Bắt đầu tự đánh giá").click()
        _wait_status(phone, "self_assessing")
        # a score above the weight: the message, and what was typed stays
        phone.locator(f"#s-score_{self_ids[0]}").fill("99")
        phone.locator(f"#c-score_{self_ids[0]}").fill("Niêm yết đủ thủ tục và phí")
        phone.get_by_role("button", name="Lưu điểm tự chấm").click()
        expect(phone.locator(f"#err-score_{self_ids[0]}")).to_contain_text("Điểm từ 0 đến 15")
        expect(phone.locator(f"#c-score_{self_ids[0]}")).to_have_value("Niêm yết đủ thủ tục và phí")
        for cid in self_ids:
            phone.locator(f"#s-score_{cid}").fill("14")
        phone.get_by_role("button", name="Lưu điểm tự chấm").click()
        expect(phone.get_by_test_id("self-total")).to_have_text("56")
        phone.get_by_label("Tệp (PDF, JPG, PNG)").set_input_files(
            files=[{"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
        )
        phone.get_by_role("button", name="Tải minh chứng lên").click()
        expect(phone.get_by_role("link", name="📎 bien-ban.pdf")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360 + 1
        phone.get_by_role("button", name="Gửi kết quả tự đánh giá").click()
        _wait_status(phone, "submitted")

        login(page, "bcd_tinh")
        page.goto(page.base + url)
        for s in a.scores.all():
            page.locator(f"#i-score_{s.criterion_id}").fill(str(s.criterion.weight))
        page.get_by_label("Ngày kiểm tra (dd/mm/yyyy)").fill("24/11/2026")
        page.get_by_label("Kết luận của đoàn kiểm tra").fill("Đạt yêu cầu")
        page.get_by_role("button", name="Ghi kết quả kiểm tra").click()
        _wait_status(page, "inspected")
        expect(page.get_by_test_id("inspection-total")).to_contain_text("100")
        page.get_by_label("Số quyết định công nhận").fill("321/QĐ-UBND")
        page.get_by_label("Ngày quyết định (dd/mm/yyyy)").fill("24/11/2026")
        page.get_by_role("button", name="Công nhận đạt mô hình").click()
        _wait_status(page, "recognised")
        expect(page.get_by_test_id("decision")).to_contain_text("321/QĐ-UBND — 24/11/2026")
    assert Assessment.objects.get(pk=a.pk).status == "recognised"
