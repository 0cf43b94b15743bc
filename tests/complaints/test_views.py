"""The case pages by role: the desk receives, the leader decides, the handler alone opens a denouncer's identity
(the opening logged), other wards get 404, the observer reads without forms; bad input keeps what was typed."""

import pytest
from django.urls import reverse

from cqtt.complaints.models import Case, IdentityAccess, Status
from tests.complaints.conftest import PERSON, receive

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_the_desk_receives_a_denunciation_and_the_list_shows_no_name(client, world):
    c = _client(client, world.counter_a)
    r = c.post(
        reverse("complaints:new") + "?unit=25747",
        {
            "kind": "denunciation",
            "channel": "in_person",
            "received_on": "2026-12-02",
            "full_name": PERSON["full_name"],
            "phone": PERSON["phone"],
            "content": "Tôi là Phạm Thị Hồng, tố cáo cán bộ địa chính nhận tiền để xác nhận sai nguồn gốc đất.",
        },
    )
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("complaints:detail", args=[case.code])
    page = c.get(reverse("complaints:list")).content.decode()
    assert case.code in page and PERSON["full_name"] not in page and PERSON["phone"] not in page
    detail = c.get(reverse("complaints:detail", args=[case.code])).content.decode()
    assert PERSON["full_name"] not in detail and "Xử lý ban đầu đơn tố cáo: 7 ngày làm việc" in detail


def test_bad_intake_is_refused_in_vietnamese_and_keeps_the_text(client, world):
    c = _client(client, world.counter_a)
    r = c.post(
        reverse("complaints:new"),
        {
            "kind": "complaint",
            "channel": "in_person",
            "received_on": "2027-01-05",
            "content": "Nội dung còn giữ",
        },
    )
    page = r.content.decode()
    assert (
        r.status_code == 400
        and "sau hôm nay" in page
        and "Ghi họ và tên" in page
        and "Nội dung còn giữ" in page
    )
    assert not Case.objects.exists()


def test_only_the_handler_sees_the_reveal_form_and_the_opening_is_logged(client, world, leader2):
    case = receive(world)
    c = _client(client, leader2)
    assert (
        "Mở thông tin người gửi đơn"
        not in c.get(reverse("complaints:detail", args=[case.code])).content.decode()
    )
    r = c.post(reverse("complaints:reveal", args=[case.code]), {"reason": "Muốn xem thử người gửi là ai."})
    assert r.status_code == 403 and PERSON["full_name"] not in r.content.decode()
    c = _client(client, world.leader)
    r = c.post(reverse("complaints:reveal", args=[case.code]), {"reason": "xem"})
    assert r.status_code == 400 and PERSON["full_name"] not in r.content.decode()
    r = c.post(
        reverse("complaints:reveal", args=[case.code]), {"reason": "Mời người tố cáo bổ sung chứng cứ."}
    )
    assert r.status_code == 200 and PERSON["full_name"] in r.content.decode()
    assert r.headers["Cache-Control"].startswith("max-age=0") or "no-cache" in r.headers["Cache-Control"]
    assert IdentityAccess.objects.get().user == world.leader
    log = c.get(reverse("complaints:access_log", args=[case.code])).content.decode()
    assert "Mời người tố cáo bổ sung chứng cứ." in log and PERSON["full_name"] not in log


def test_a_leader_accepts_on_the_page_and_prints_the_notice(client, world):
    case = receive(world, kind="complaint")
    c = _client(client, world.leader)
    r = c.post(reverse("complaints:act", args=[case.code, "accept"]), {"version": case.version})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    event = case.events.get(action="accept")
    url = reverse("complaints:notice", args=[case.code, event.pk])
    notice = c.get(url).content.decode()
    assert "Về việc thụ lý giải quyết khiếu nại" in notice and PERSON["full_name"] not in notice
    assert not IdentityAccess.objects.exists()  # a GET (a link, a prefetch) never opens the identity
    notice = c.post(url, {"reason": "In thông báo thụ lý gửi qua bưu điện"}).content.decode()
    assert PERSON["full_name"] in notice
    assert IdentityAccess.objects.get().via == "print"


def test_a_notice_printed_by_a_verifier_of_a_denunciation_names_nobody(client, world):
    case = receive(world)
    from cqtt.complaints import services

    case = services.case_accept(actor=world.leader, case=case)
    services.case_assign(actor=world.leader, case=case, assignee=world.specialist.username)
    event = case.events.get(action="accept")
    url = reverse("complaints:notice", args=[case.code, event.pk])
    page = _client(client, world.specialist).get(url)
    assert page.status_code == 200 and PERSON["full_name"] not in page.content.decode()
    refused = _client(client, world.specialist).post(url, {"reason": "Tôi muốn in có tên người tố cáo"})
    assert refused.status_code == 403 and PERSON["full_name"] not in refused.content.decode()
    assert not IdentityAccess.objects.exists()


def test_a_wrong_action_input_is_400_with_the_message(client, world):
    case = receive(world)
    r = _client(client, world.leader).post(
        reverse("complaints:act", args=[case.code, "refuse"]), {"refuse-reason": "x"}
    )
    assert r.status_code == 400 and "ít nhất 10 ký tự" in r.content.decode()


def test_other_wards_get_404_and_the_observer_reads_without_forms(client, world):
    case = receive(world)
    c = _client(client, world.counter_b)
    for url in (
        reverse("complaints:detail", args=[case.code]),
        reverse("complaints:access_log", args=[case.code]),
    ):
        assert c.get(url).status_code == 404
    assert c.post(reverse("complaints:act", args=[case.code, "accept"])).status_code == 404
    c = _client(client, world.observer)
    page = c.get(reverse("complaints:detail", args=[case.code])).content.decode()
    assert "Không còn thao tác nào" in page
    assert c.post(reverse("complaints:act", args=[case.code, "accept"]), {}).status_code == 403
    assert Case.objects.get().status == Status.RECEIVED


def test_the_settings_page_says_which_periods_the_unit_chooses(client, world):
    c = _client(client, world.leader)
    page = c.get(reverse("complaints:settings")).content.decode()
    assert "Luật Tố cáo 2018, Điều 24 khoản 1" in page and "theo cài đặt của đơn vị" in page
    r = c.post(
        reverse("complaints:settings"), {"resolution_counting": "working_days", "petition_days": "200"}
    )
    assert r.status_code == 400


def test_the_book_exports_without_the_identity(client, world):
    import io

    from openpyxl import load_workbook

    case = receive(world)
    r = _client(client, world.leader).get(reverse("complaints:export") + "?kind=denunciation")
    assert r.status_code == 200 and r["Cache-Control"].startswith("private, no-store")
    rows = list(load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.values)
    assert rows[1][0] == case.code and len(rows) == 2
    assert not any(s in str(rows) for s in PERSON.values())
    other = _client(client, world.counter_b).get(reverse("complaints:export"))
    assert len(list(load_workbook(io.BytesIO(b"".join(other.streaming_content))).active.values)) == 1


def test_a_second_instance_complaint_gets_the_second_periods(client, world):
    c = _client(client, world.leader)
    c.post(
        reverse("complaints:new"),
        {
            "kind": "complaint",
            "channel": "post",
            "received_on": "2026-12-01",
            "instance": "2",
            "full_name": "Nguyễn Văn Hùng",
            "content": "Khiếu nại lần hai quyết định giải quyết khiếu nại lần đầu số 30/QĐ-UBND.",
        },
    )
    case = Case.objects.get()
    assert case.instance == 2
    from cqtt.complaints import services

    case = services.case_accept(actor=world.leader, case=case)
    assert services.case_explanation(case).amount == 45
