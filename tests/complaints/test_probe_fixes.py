"""The holes a security review found in the sealed identity, each closed: splitting, the unit administrator
making themselves a leader, a reception visit's register row, redaction misses, free texts, the audit diffs,
the export's formulas, dates out of the calendar, a stuck handler, a reveal by a link, the feedback move."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cqtt.accounts.models import Role
from cqtt.accounts.services import role_grant
from cqtt.complaints import rules, services
from cqtt.complaints.models import Case, IdentityAccess
from cqtt.core.errors import PermissionDenied
from cqtt.core.models import AuditEvent
from tests.complaints.conftest import PERSON, receive
from tests.factories import make_user

pytestmark = pytest.mark.django_db
REASON = "Cần liên hệ người gửi để xác minh thêm"


def test_only_the_handler_splits_a_sealed_case_and_its_parts_stay_sealed_with_the_same_handler(
    world, leader2
):
    case = receive(world)
    with pytest.raises(PermissionDenied):
        services.case_split(
            actor=leader2, case=case, parts=[{"kind": "denunciation", "content": "Tố cáo thêm một việc."}]
        )
    parts = services.case_split(
        actor=world.leader,
        case=case,
        parts=[{"kind": "petition", "content": "Đề nghị sửa đường ống nước khu phố 3."}],
    )
    petition = parts[0]
    assert petition.sealed and petition.handler == world.leader
    services.case_accept(actor=leader2, case=petition)
    services.case_assign(actor=world.leader, case=petition, assignee=world.specialist.username)
    with pytest.raises(PermissionDenied):
        services.identity_reveal(actor=world.specialist, case=petition, reason=REASON)
    from cqtt.notifications.models import Message

    assert not Message.objects.exists()  # a sealed part texts nobody


def test_a_complaint_with_a_denunciation_part_seals_the_letter_and_every_part(world):
    case = receive(world, kind="complaint")
    parts = services.case_split(
        actor=world.leader,
        case=case,
        parts=[
            {"kind": "complaint", "content": "Khiếu nại quyết định xử phạt số 45/QĐ-XPHC."},
            {"kind": "denunciation", "content": "Tố cáo cán bộ thu tiền khi làm giấy phép."},
        ],
    )
    case.refresh_from_db()
    assert case.sealed and all(p.sealed for p in parts)


def test_a_unit_administrator_cannot_make_themselves_a_leader(world):
    admin = make_user("quantri_a", unit=world.a, role=Role.UNIT_ADMIN)
    with pytest.raises(PermissionDenied):
        role_grant(user=admin, unit=world.a, role=Role.LEADER, actor=admin)
    other = make_user("canbo_moi", unit=world.a)
    assert role_grant(user=other, unit=world.a, role=Role.SPECIALIST, actor=admin).role == Role.SPECIALIST


@pytest.mark.parametrize(
    "text",
    [
        "Tôi là Pham Thi Hong, ở khu phố 3.",
        "Chị Hồng đã nộp đơn.",
        "Bà Phạm Hồng đã nộp đơn.",
        "Ký tên: PHẠM THỊ HỒNG",
        "Phạm\u200bThị Hồng",
    ],
)
def test_redaction_finds_the_name_however_it_is_written(text):
    from cqtt.core.text import fold

    assert "hong" not in fold(rules.redact(text, names=["Phạm Thị Hồng"]))


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("CCCD 079 185 001 234.", "234"),
        ("Zalo 0912/345/678.", "678"),
        ("ĐT ０９１２３４５６７８.", "５６７８"),
        ("Thư: hong.pham@gmail.com", "gmail"),
        ("Hoà và Thuỷ", "Thuỷ"),
    ],
)
def test_redaction_of_numbers_mail_and_tone_marks(text, gone):
    assert gone not in rules.redact(text, names=["Nguyễn Thị Thủy"])


def test_redaction_keeps_other_words_lines_and_is_linear():
    import time

    text = "Ông Văn Anh nói.\nDòng hai: số tiền 1.500.000 đồng ngày 12/10/2026."
    assert rules.redact(text, names=["Lê Văn An"]) == text
    start = time.perf_counter()
    rules.redact("a" * 20000)
    rules.redact("a." * 10000)
    assert time.perf_counter() - start < 0.5


def test_free_texts_of_a_sealed_case_are_scrubbed_and_stay_out_of_the_audit(world):
    case = services.case_accept(actor=world.leader, case=receive(world))
    case = services.case_note(actor=world.leader, case=case, note="Đã gặp bà Phạm Thị Hồng, SĐT 0912345678.")
    assert (
        PERSON["full_name"] not in case.events.last().note and PERSON["phone"] not in case.events.last().note
    )
    case = services.case_suspend(actor=world.leader, case=case, reason="Chờ chị Hồng nộp biên lai gốc.")
    assert "Hồng" not in case.reason
    audits = str(list(AuditEvent.objects.filter(object_id=str(case.pk)).values("changes", "data")))
    assert "Hồng" not in audits


def test_the_outcome_keeps_its_full_length(world):
    case = services.case_accept(actor=world.leader, case=receive(world, kind="petition"))
    case = services.case_conclude(actor=world.leader, case=case, outcome="Trả lời. " * 500)
    assert len(case.outcome) > 2000


def test_the_export_keeps_formula_text_as_text(client, world):
    receive(world, content='=HYPERLINK("https://evil.example/","Xem") đơn tố cáo cán bộ địa chính phường.')
    client.force_login(world.leader)
    r = client.get(reverse("complaints:export"))
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert sheet.cell(row=2, column=13).data_type == "s"


def test_a_date_out_of_the_calendar_is_a_message_not_a_500(world):
    client = APIClient()
    client.force_authenticate(world.leader)
    body = {
        "unit_code": "25747",
        "kind": "complaint",
        "received_on": "2026-12-01",
        "channel": "post",
        "person": {"full_name": "Nguyễn Văn Hùng"},
        "content": "Khiếu nại quyết định xử phạt hành chính số 45 của phường.",
        "decision_known_on": "1900-01-01",
    }
    r = client.post(reverse("api:complaints"), body, format="json")
    assert r.status_code == 400 and "decision_known_on" in r.json()["errors"]


def test_a_strange_version_is_not_a_500(client, world):
    case = receive(world)
    client.force_login(world.leader)
    for version in ("²", "9" * 5000):
        r = client.post(reverse("complaints:act", args=[case.code, "accept"]), {"version": version})
        assert r.status_code in (302, 400, 409)


def test_a_handler_who_left_is_replaced_by_another_leader(world, leader2):
    case = receive(world)
    world.leader.is_active = False
    world.leader.save()
    case = services.case_assign(actor=leader2, case=case, handler=leader2.username)
    assert services.identity_reveal(actor=leader2, case=case, reason=REASON).full_name == PERSON["full_name"]


def test_the_api_does_not_reveal_to_a_browser_session(client, world):
    case = receive(world)
    client.force_login(world.leader)
    r = client.get(reverse("api:complaint", args=[case.code]) + f"?reveal=1&reason={REASON}")
    assert r.status_code == 403 and PERSON["full_name"] not in r.content.decode()
    assert not IdentityAccess.objects.exists()


def test_a_denunciation_from_a_reception_visit_leaves_the_register_row(world):
    from cqtt.reception import services as reception
    from cqtt.reception.models import Visit

    visit = Visit.objects.get(pk=_visit(world).pk)
    visit = reception.visit_to_case(actor=world.leader, visit=visit)
    visit.refresh_from_db()
    assert visit.case_code.startswith("TC-")
    assert PERSON["full_name"] not in visit.person_name and visit.phone == "" and visit.id_number == ""
    assert PERSON["full_name"] not in visit.content
    case = Case.objects.get(code=visit.case_code)
    assert case.identity.full_name == PERSON["full_name"]


def _visit(w):
    from cqtt.reception import services as reception

    data = reception.VisitData(
        person_name=PERSON["full_name"],
        address=PERSON["address"],
        id_number=PERSON["id_number"],
        phone=PERSON["phone"],
        content=f"Bà {PERSON['full_name']} tố cáo cán bộ địa chính nhận tiền để xác nhận sai nguồn gốc đất.",
        kind="denunciation",
    )
    return reception.visit_record(actor=w.leader, unit=w.a, data=data)
