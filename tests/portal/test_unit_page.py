"""A unit's public face: /don-vi/<code>/ and the directory API — who is listed and in what order, the work
phone only where it was made public, nothing personal, 404 for unknown or bad codes."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cqtt.accounts.models import Role
from cqtt.accounts.selectors import directory_of
from cqtt.accounts.services import role_grant
from cqtt.reception import services as reception
from cqtt.units.services import unit_save
from tests.dossiers.conftest import world  # noqa: F401
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PRIVATE_PHONE = "0909111222"
PUBLIC_PHONE = "0274 3822 111"


@pytest.fixture
def face(world):  # noqa: F811
    w = world
    w.a.address = "Số 1 Quang Trung, phường Thủ Dầu Một"
    w.a.hotline = "1900 1234"
    unit_save(unit=w.a)
    w.leader.position, w.leader.work_phone, w.leader.phone_is_public = (
        "Chủ tịch UBND phường",
        PUBLIC_PHONE,
        True,
    )
    w.leader.responsibilities = "Phụ trách chung; tiếp công dân định kỳ"
    w.leader.email = "thanh@example.vn"
    w.leader.save()
    w.counter_a.position, w.counter_a.work_phone, w.counter_a.phone_is_public = (
        "Công chức Tư pháp - Hộ tịch",
        PRIVATE_PHONE,
        False,
    )
    w.counter_a.save()
    w.counter.officers.add(w.counter_a)
    w.vice = make_user(
        "phochutich", unit=w.a, role=Role.LEADER, full_name="Bùi Thị Anh", position="Phó Chủ tịch UBND phường"
    )
    w.admin = make_user("quantri", unit=w.a, role=Role.UNIT_ADMIN, full_name="Đỗ Thu Trang")
    w.gone = make_user("nghi", unit=w.a, role=Role.SPECIALIST, full_name="Võ Văn Nghỉ", is_active=False)
    return w


def test_directory_lists_leaders_first_then_by_position_and_name_with_public_phones_only(face):
    rows = directory_of(unit=face.a)
    names = [r["full_name"] for r in rows]
    # leaders first (by position), then the others; the administrator, the observer and the inactive are not listed
    assert names == ["Lê Văn Thành", "Bùi Thị Anh", "Nguyễn Thị Hà", "Trần Minh Đức"]
    by_name = {r["full_name"]: r for r in rows}
    assert by_name["Lê Văn Thành"]["phone"] == PUBLIC_PHONE
    assert by_name["Nguyễn Thị Hà"]["phone"] is None
    assert by_name["Nguyễn Thị Hà"]["counter"] == "Quầy số 1 — Hộ tịch"
    assert by_name["Lê Văn Thành"]["counter"] is None


def test_the_directory_api_answers_the_exact_shape(face, client):
    response = client.get(reverse("api:public-unit-directory", args=["25747"]))
    assert response.status_code == 200
    rows = response.json()
    assert all(set(r) == {"full_name", "position", "responsibilities", "counter", "phone"} for r in rows)
    assert rows[0] == {
        "full_name": "Lê Văn Thành",
        "position": "Chủ tịch UBND phường",
        "responsibilities": "Phụ trách chung; tiếp công dân định kỳ",
        "counter": None,
        "phone": PUBLIC_PHONE,
    }
    body = response.content.decode()
    for secret in (PRIVATE_PHONE, "thanh@example.vn", "lanhdao", "motcua"):
        assert secret not in body


@pytest.mark.parametrize("code", ["99999", "25747.VP", "x" * 40, "257%0047"])
def test_unknown_department_overlong_or_nul_codes_are_404(face, client, code):
    assert client.get(f"/don-vi/{code}/").status_code == 404
    assert client.get(f"/api/v1/public/units/{code}/directory/").status_code == 404


def test_an_inactive_unit_has_no_page(face, client):
    face.b.is_active = False
    unit_save(unit=face.b)
    assert client.get("/don-vi/25978/").status_code == 404


def test_the_page_shows_contact_hours_directory_schedule_codes_and_procedures_without_personal_data(
    face, client
):
    reception.session_create(
        actor=face.leader,
        unit=face.a,
        leader=face.leader,
        starts_at=timezone.localtime() + dt.timedelta(days=30),
        place="Phòng tiếp công dân, UBND phường",
        content="Tiếp công dân định kỳ",
        publish=True,
    )
    response = client.get(reverse("portal:unit", args=["25747"]))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]
    body = response.content.decode()
    for shown in (
        "Phường Thủ Dầu Một",
        "1900 1234",
        "https://www.openstreetmap.org/search?query=S%E1%BB%91+1+Quang+Trung",
        "Sáng 07:30–11:30",
        "Lê Văn Thành",
        PUBLIC_PHONE,
        "Phụ trách chung; tiếp công dân định kỳ",
        "Quầy số 1 — Hộ tịch",
        "Phòng tiếp công dân, UBND phường",
        "4 xin",
        "Đăng ký khai sinh",
        reverse("portal:submit", args=["1.001193"]) + "?unit=25747",
    ):
        assert shown in body, shown
    for secret in (PRIVATE_PHONE, "thanh@example.vn", "Đỗ Thu Trang", "Võ Văn Nghỉ"):
        assert secret not in body, secret
    # the scorecard from the evaluation read model: nothing rebuilt here, so every rate says it has no data
    assert 'data-testid="scorecard-table"' in body and "chưa có dữ liệu" in body


def test_the_scorecard_shows_the_read_models_rates_for_month_quarter_and_year(client, world):  # noqa: F811
    import datetime as dt

    import time_machine

    from cqtt.evaluation.models import UnitMonthFact

    month = dt.date(2026, 12, 1)
    UnitMonthFact.objects.create(
        unit=world.a,
        month=month,
        finished=8,
        on_time=6,
        early=1,
        late=1,
        rated=4,
        satisfied=3,
        neutral=1,
        commitments_due=2,
        commitments_kept=1,
    )
    with time_machine.travel("2026-12-02T10:00:00+07:00", tick=False):
        body = client.get(reverse("portal:unit", args=["25747"])).content.decode()
    assert body.count("88 %") == 3 and body.count("75 %") == 3 and "1 trên 2" in body


def test_the_scorecard_include_renders_only_what_the_view_passes():
    assert render_to_string("portal/_unit_scorecard.html", {}).strip() == ""
    html = render_to_string(
        "portal/_unit_scorecard.html", {"scorecard": {"rows": [{"label": "Đúng hạn", "value": "98 %"}]}}
    )
    assert 'data-testid="scorecard"' in html and "98 %" in html


def test_the_page_pins_its_query_count(face, client, django_assert_max_num_queries):
    for i in range(5):
        role_grant(
            user=make_user(f"cb{i}", unit=face.a, full_name=f"Cán bộ {i}"), unit=face.a, role=Role.SPECIALIST
        )
    with django_assert_max_num_queries(20):
        assert client.get("/don-vi/25747/").status_code == 200


def test_answered_feedback_is_shown_without_the_senders_data(face, client, settings):
    from cqtt.feedback import services as feedback
    from tests.feedback.conftest import submit

    settings.NOTIFY = {**settings.NOTIFY, "PUBLIC_BASE_URL": "https://motcua.example.vn"}
    item = submit(face, publish_consent=True, email="binh@example.vn")
    feedback.feedback_answer(
        actor=face.leader, item=item, answer="Đã thay bóng đèn, cảm ơn ông Phạm Văn Bình.", publish=True
    )
    body = client.get("/don-vi/25747/").content.decode()
    assert "Đã thay bóng đèn" in body
    for secret in ("Phạm Văn Bình", "0912345678", "binh@example.vn"):
        assert secret not in body, secret
