"""The dialogue pages in a real chromium: a citizen on a 360 px phone finds the ward, sends a question to an
announced dialogue (a mistake first, what was typed kept) and later reads the report-back page; a leader records a
commitment in working days and marks it done."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cqtt.dialogues import services
from cqtt.dialogues.models import Commitment, Question
from tests.dialogues.conftest import FRONT
from tests.dossiers.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def _dialogue(w, starts_at):
    """A dialogue planned on `starts_at` (times relative to the real clock: the live server runs on it)."""
    return services.dialogue_plan(
        actor=w.leader,
        unit=w.a,
        kind="annual_front",
        topic="Trật tự đô thị và chợ tạm đường Yersin",
        starts_at=starts_at,
        place="Hội trường UBND phường, số 1 Quang Trung",
        chair="Chủ tịch UBND phường",
        co_organiser=FRONT,
        at=starts_at - dt.timedelta(days=30),
    )


def test_a_citizen_asks_on_a_phone_and_later_reads_the_report_back(phone_page, world):
    starts = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0) + dt.timedelta(days=7)
    d = services.dialogue_announce(actor=world.leader, dialogue=_dialogue(world, starts))
    citizen = phone_page
    citizen.goto(citizen.base + "/doi-thoai/")
    citizen.get_by_label("Tên xã, phường").fill("thu dau mot")
    citizen.get_by_role("button", name="Tìm").click()
    citizen.get_by_role("link", name=re.compile("Phường Thủ Dầu Một")).click()
    fits_the_phone(citizen)
    citizen.get_by_role("link", name="Gửi câu hỏi").click()
    citizen.get_by_label(re.compile("^Câu hỏi, ý kiến")).fill("Chợ?")
    citizen.get_by_label("Số điện thoại (không bắt buộc)").fill("0912")
    citizen.get_by_role("button", name="Gửi câu hỏi").click()
    expect(citizen.get_by_text(re.compile("Câu hỏi quá ngắn"))).to_be_visible()
    expect(citizen.get_by_label(re.compile("^Câu hỏi, ý kiến"))).to_have_value("Chợ?")
    fits_the_phone(citizen)
    citizen.get_by_label(re.compile("^Câu hỏi, ý kiến")).fill(
        "Khi nào phường dẹp chợ tạm lấn chiếm lòng đường Yersin? Buổi sáng xe không qua được."
    )
    citizen.get_by_label("Số điện thoại (không bắt buộc)").fill("0912345678")
    citizen.get_by_role("button", name="Gửi câu hỏi").click()
    expect(citizen.get_by_text(re.compile("Đã gửi câu hỏi"))).to_be_visible()
    fits_the_phone(citizen)

    # the dialogue takes place: the question is answered, two commitments made, one kept on time, one late
    question = Question.objects.get(dialogue=d)
    assert question.asker_phone == "0912345678"
    after = starts + dt.timedelta(hours=3)
    services.question_accept(actor=world.leader, question=question, at=after)
    d = services.dialogue_hold(actor=world.leader, dialogue=d, attendees=140, at=after)
    services.question_answer(
        actor=world.leader,
        question=question,
        answer="Phường ra quân dẹp chợ tạm từ ngày 1 tháng sau, bố trí điểm bán mới ở bãi đất trống.",
        answered_by="Chủ tịch UBND phường",
        at=after,
    )
    kept = services.commitment_add(
        actor=world.leader,
        dialogue=d,
        text="Dẹp chợ tạm đường Yersin",
        owner=world.specialist,
        days=1,
        at=after,
    )
    late = services.commitment_add(
        actor=world.leader, dialogue=d, text="Kẻ vạch điểm bán mới", owner=world.specialist, days=1, at=after
    )
    later = after + dt.timedelta(days=20)
    services.commitment_complete(
        actor=world.leader, commitment=kept, done_on=kept.due_date, evidence="Đã dẹp chợ tạm.", at=later
    )
    services.commitment_complete(
        actor=world.leader,
        commitment=late,
        done_on=late.due_date + dt.timedelta(days=3),
        evidence="Đã kẻ vạch.",
        at=later,
    )
    services.dialogue_publish_minutes(
        actor=world.leader, dialogue=d, attendees=140, summary="Người dân nêu 9 ý kiến về chợ tạm.", at=later
    )

    citizen.goto(citizen.base + f"/doi-thoai/{d.code}/")
    expect(citizen.get_by_test_id("answer")).to_contain_text("dẹp chợ tạm")
    expect(citizen.get_by_test_id("tally")).to_contain_text("Đúng hạn 1 trên 2 cam kết")
    expect(citizen.get_by_test_id("minutes")).to_contain_text("140")
    expect(citizen.get_by_test_id("commitment")).to_have_count(2)
    assert "0912345678" not in citizen.content()
    fits_the_phone(citizen)


def test_a_leader_records_a_commitment_and_marks_it_done(page, world):
    starts = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0) - dt.timedelta(days=3)
    d = services.dialogue_announce(
        actor=world.leader, dialogue=_dialogue(world, starts), at=starts - dt.timedelta(days=7)
    )
    d = services.dialogue_hold(
        actor=world.leader, dialogue=d, attendees=80, at=starts + dt.timedelta(hours=3)
    )
    login(page, "lanhdao")
    page.goto(page.base + "/doi-thoai/quan-ly/")
    page.get_by_role("link", name=d.code).click()
    box = page.locator('details[data-action="commit"]')
    box.locator("summary").click()
    box.get_by_label("Nội dung cam kết").fill("Lắp 4 đèn chiếu sáng hẻm 12 Bạch Đằng")
    box.get_by_label("Người chịu trách nhiệm").select_option(str(world.specialist.pk))
    box.get_by_label("Hạn: số ngày làm việc sau ngày đối thoại").fill("5")
    box.get_by_role("button", name="Ghi cam kết").click()
    card = page.get_by_test_id("commitment")
    expect(card.get_by_test_id("commitment-status")).to_have_text("Đang thực hiện")
    commitment = Commitment.objects.get()
    expect(card.get_by_test_id("due")).to_contain_text(commitment.due_date.strftime("%d/%m/%Y"))
    card.locator("details.explanation summary").click()
    expect(card.locator("details.explanation")).to_contain_text("Ngày làm việc thứ 5")
    done = card.locator('details[data-action="complete"]')
    done.locator("summary").click()
    done.get_by_label("Kết quả, minh chứng").fill("Đã lắp 4 đèn, nghiệm thu ngày hôm nay.")
    done.get_by_role("button", name="Ghi nhận đã thực hiện").click()
    expect(page.get_by_test_id("commitment-status")).to_have_text("Đã thực hiện")
    expect(page.get_by_test_id("commitment")).to_contain_text("đúng hạn")
    commitment.refresh_from_db()
    assert commitment.status == "done" and commitment.done_on == timezone.localdate()
