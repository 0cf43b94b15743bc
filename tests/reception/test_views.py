"""The reception pages: the public schedule (no personal data, the printable sheet), the staff pages scoped by
unit (another ward's session or visit is 404), the observer reads with masked numbers and cannot write, and bad
input comes back with a Vietnamese message and what was typed."""

import pytest
import time_machine
from django.urls import reverse

from cqtt.reception import services
from cqtt.reception.models import Session, SessionStatus, Visit

from .conftest import NOW, at, new_session, new_visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_public_schedule_shows_published_sessions_without_personal_data(client, world):
    published = new_session(world)
    new_session(world, when=at(2026, 12, 3, 8, 0), publish=False)
    new_visit(world, session=published)
    response = client.get(reverse("reception:public_schedule") + "?unit=25747")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count('data-testid="session"') == 1
    assert "Lê Văn Thành" in text and "02/12/2026" in text
    assert "Phạm Văn Bình" not in text and "079085001234" not in text


def test_public_schedule_of_an_unknown_unit_is_404_and_without_unit_a_search(client, world):
    assert client.get(reverse("reception:public_schedule") + "?unit=99999").status_code == 404
    response = client.get(reverse("reception:public_schedule") + "?q=thu dau mot")
    assert response.status_code == 200 and "Phường Thủ Dầu Một" in response.content.decode()


def test_public_printable_schedule_is_a_pdf(client, world):
    new_session(world)
    response = client.get(reverse("reception:public_print") + "?unit=25747")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_counter_officer_records_a_visit_and_bad_input_is_kept(client, world):
    client.force_login(world.counter_a)
    url = reverse("reception:visit_new") + "?unit=25747"
    form = {
        "unit": "25747",
        "person_name": "Phạm Văn Bình",
        "id_number": "12345",
        "kind": "petition",
        "content": "",
        "people": "1",
    }
    response = client.post(url, form)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in text
    assert "Vui lòng nhập: Tóm tắt nội dung vụ việc." in text
    assert 'value="Phạm Văn Bình"' in text
    form.update(id_number="079085001234", content="Đề nghị sửa đường hẻm 12 bị ngập.", within_competence="on")
    response = client.post(url, form)
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reception:visit", args=[visit.pk])
    assert visit.answer_due_on.isoformat() == "2026-12-08"


def test_a_schedule_under_five_working_days_names_the_earliest_date(client, world):
    client.force_login(world.leader)
    form = {
        "unit": "25747",
        "leader": "lanhdao",
        "starts_at": "27/11/2026 08:00",
        "place": "Phòng tiếp công dân",
        "publish": "on",
    }
    response = client.post(reverse("reception:schedule"), form)
    assert response.status_code == 400
    assert "Thứ Ba 01/12/2026" in response.content.decode()
    assert not Session.objects.exists()
    form["starts_at"] = "01/12/2026 08:00"
    response = client.post(reverse("reception:schedule"), form)
    assert response.status_code == 302
    assert Session.objects.get().status == SessionStatus.PUBLISHED


def test_wrong_unit_staff_get_404_for_sessions_and_visits(client, world):
    session, visit = new_session(world), new_visit(world)
    client.force_login(world.counter_b)
    for name, pk in (("reception:session", session.pk), ("reception:visit", visit.pk)):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.post(reverse("reception:visit_act", args=[visit.pk, "to_feedback"])).status_code == 404
    assert client.post(reverse("reception:session_act", args=[session.pk, "hold"])).status_code == 404
    assert client.get(reverse("reception:register") + "?unit=25747").status_code == 404


def test_observer_reads_masked_and_cannot_write(client, world):
    visit = new_visit(world)
    client.force_login(world.observer)
    listing = client.get(reverse("reception:register") + "?unit=25747").content.decode()
    assert "********1234" in listing and "079085001234" not in listing
    page = client.get(reverse("reception:visit", args=[visit.pk])).content.decode()
    assert "******5678" in page and "0912345678" not in page
    assert "Chuyển thành phản ánh" not in page
    response = client.post(reverse("reception:visit_act", args=[visit.pk, "to_feedback"]))
    assert response.status_code == 403
    assert client.get(reverse("reception:visit_new") + "?unit=25747").status_code == 403
    visit.refresh_from_db()
    assert visit.feedback_code == ""


def test_the_counter_officer_sees_full_numbers(client, world):
    new_visit(world)
    client.force_login(world.counter_a)
    assert "079085001234" in client.get(reverse("reception:register") + "?unit=25747").content.decode()


def test_one_click_turns_a_visit_into_a_feedback_item(client, world):
    visit = new_visit(world)
    client.force_login(world.counter_a)
    response = client.post(reverse("reception:visit_act", args=[visit.pk, "to_feedback"]))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.feedback_code.startswith("GY-")
    page = client.get(reverse("reception:visit", args=[visit.pk])).content.decode()
    assert visit.feedback_code in page


def test_answer_with_bad_input_keeps_the_text(client, world):
    visit = new_visit(world)
    client.force_login(world.counter_a)
    url = reverse("reception:visit_act", args=[visit.pk, "answer"])
    response = client.post(url, {"answer_kind": "", "answer": "Đã hướng dẫn"})
    assert response.status_code == 400
    assert (
        "Chọn hình thức trả lời." in response.content.decode() and "Đã hướng dẫn" in response.content.decode()
    )
    assert client.post(url, {"answer_kind": "accepted", "answer": "Đã thụ lý"}).status_code == 302
    visit.refresh_from_db()
    assert visit.on_time is True


def test_overdue_list_shows_only_late_visits(client, world):
    late = new_visit(world, now=at(2026, 11, 2, 9, 0))
    new_visit(world)
    client.force_login(world.counter_a)
    page = client.get(reverse("reception:register") + "?unit=25747&overdue=on").content.decode()
    assert page.count('data-testid="visit-row"') == 1
    assert reverse("reception:visit", args=[late.pk]) in page


def test_printouts_receipt_refusal_register_and_conclusion(client, world):
    visit = services.visit_receive_documents(
        actor=world.counter_a, visit=new_visit(world), documents=[services.DocumentData("Đơn", 2, "")], at=NOW
    )
    refused = new_visit(world, refusal_ground="repeated_petition")
    session = new_session(world, when=at(2026, 12, 1, 8, 0))
    client.force_login(world.counter_a)
    for url in (
        reverse("reception:receipt_print", args=[visit.pk]),
        reverse("reception:refusal_print", args=[refused.pk]),
        reverse("reception:register_print") + "?unit=25747&month=2026-11",
    ):
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), url
    assert client.get(reverse("reception:conclusion_print", args=[session.pk])).status_code == 404


def test_printout_text_in_the_official_format(world):
    from cqtt.reception import printing

    visit = services.visit_receive_documents(
        actor=world.counter_a,
        visit=new_visit(world),
        documents=[services.DocumentData("Đơn kiến nghị", 2, "")],
        at=NOW,
    )
    html = printing.render_html(
        "reception/print/receipt.html",
        {"visit": visit, "when": NOW, "head": printing.letterhead(world.a, when=NOW)},
    )
    for text in (
        "Mẫu số 02/TCD",
        "GIẤY BIÊN NHẬN",
        "NGƯỜI GIAO",
        "NGƯỜI NHẬN",
        "Đơn kiến nghị",
        "Thủ Dầu Một, ngày 24 tháng 11 năm 2026",
    ):
        assert text in html, text


def test_session_actions_from_the_page(client, world):
    session = new_session(world)
    client.force_login(world.leader)
    url = reverse("reception:session_act", args=[session.pk, "postpone"])
    response = client.post(url, {"new_starts_at": "bad", "reason": "Họp đột xuất"})
    assert response.status_code == 400 and "Họp đột xuất" in response.content.decode()
    response = client.post(url, {"new_starts_at": "03/12/2026 08:00", "reason": "Họp đột xuất"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.POSTPONED
    public = client.get(reverse("reception:public_schedule") + "?unit=25747").content.decode()
    assert "03/12/2026" in public and "Dời từ" in public


def test_home_links_reception_for_staff_and_observer(client, world):
    from cqtt.reception.templatetags.reception_links import may_open_reception

    assert may_open_reception(world.counter_a) and may_open_reception(world.observer)
    from django.contrib.auth.models import AnonymousUser

    assert not may_open_reception(AnonymousUser())


def test_one_click_turns_a_complaint_visit_into_a_case(client, world):
    visit = new_visit(
        world, over={"kind": "denunciation", "content": "Tố cáo cán bộ địa chính nhận tiền của dân."}
    )
    client.force_login(world.counter_a)
    assert client.post(reverse("reception:visit_act", args=[visit.pk, "to_case"])).status_code == 302
    visit.refresh_from_db()
    page = client.get(reverse("reception:visit", args=[visit.pk])).content.decode()
    assert visit.case_code and reverse("complaints:detail", args=[visit.case_code]) in page


def test_the_register_and_schedule_read_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.counter_a)
    for _i in range(3):
        new_visit(world, session=new_session(world))
    client.get(reverse("reception:register") + "?unit=25747")  # warm the scope cache
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("reception:register") + "?unit=25747")
    for _i in range(5):
        new_visit(world, session=new_session(world))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("reception:register") + "?unit=25747")
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("reception:schedule") + "?unit=25747")
    new_session(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("reception:schedule") + "?unit=25747")


def test_an_overdue_task_is_listed_on_the_schedule(client, world):
    session = new_session(world)
    services.session_hold(actor=world.leader, session=session, at=at(2026, 12, 2, 11, 0))
    with time_machine.travel(at(2026, 12, 2, 15, 0), tick=False):
        services.conclusion_issue(
            actor=world.leader,
            session=session,
            text="Kiểm tra hẻm 12",
            tasks=[services.TaskData("Nạo vét cống", "Phòng Kinh tế", 1)],
        )
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        client.force_login(world.counter_a)
        page = client.get(reverse("reception:schedule") + "?unit=25747").content.decode()
    assert 'data-testid="late-tasks"' in page and "Nạo vét cống" in page


def test_follow_up_from_the_visit_page(client, world):
    visit = new_visit(world)
    client.force_login(world.counter_a)
    url = reverse("reception:visit_act", args=[visit.pk, "follow_up"])
    response = client.post(url, {"follow_up": "", "note": "Gọi lại sau"})
    assert response.status_code == 400 and "Gọi lại sau" in response.content.decode()
    assert client.post(url, {"follow_up": "Đã nạo vét cống", "note": ""}).status_code == 302
    assert "Đã nạo vét cống" in client.get(reverse("reception:visit", args=[visit.pk])).content.decode()
