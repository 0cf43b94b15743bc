"""The feedback API: every named interface and its status codes, and the staff endpoints scoped by unit."""

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from rest_framework.test import APIClient

from cqtt.feedback import services
from cqtt.feedback.models import FeedbackItem, Reaction, Status
from tests.dossiers.conftest import at

from .conftest import submit

pytestmark = pytest.mark.django_db
NOW = at(2026, 11, 24, 10, 0)


@pytest.fixture
def api():
    with time_machine.travel(NOW, tick=False):
        yield APIClient()


def _post(api, **over):
    body = {
        "unit_code": "25747",
        "kind": "report",
        "content": "Ổ gà lớn trên đường Yersin gây nguy hiểm.",
        "publish_consent": True,
        **over,
    }
    return api.post("/api/v1/public/feedback/", body, format="json")


def test_a_citizen_posts_feedback_and_gets_its_code_and_absolute_lookup_url(api, world):
    r = _post(api, name="Phạm Văn Bình", phone="0912345678", email="binh@example.vn")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert set(body) == {"code", "lookup_url"}
    assert body["lookup_url"] == f"http://testserver/gop-y/tra-cuu/{body['code']}/"
    item = FeedbackItem.objects.get(code=body["code"])
    assert item.channel == "web" and item.publish_consent and item.sender_phone == "0912345678"


def test_anonymous_feedback_is_accepted(api, world):
    r = _post(api)
    assert r.status_code == 201
    assert FeedbackItem.objects.get(code=r.json()["code"]).is_anonymous


@pytest.mark.parametrize(
    "over, field",
    [
        ({"kind": "complaint"}, "kind"),
        ({"content": "ngắn"}, "content"),
        ({"content": ""}, "content"),
        ({"unit_code": "99999"}, "unit_code"),
        ({"phone": "12345"}, "phone"),
        ({"email": "khong-hop-le"}, "email"),
    ],
)
def test_bad_input_is_400_with_a_vietnamese_message_per_field(api, world, over, field):
    r = _post(api, **over)
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert field in errors and errors[field][0]
    assert not FeedbackItem.objects.exists()


def test_submissions_are_rate_limited_per_address(api, world, settings):
    settings.FEEDBACK_SUBMIT_RATE = "2/h"
    assert _post(api).status_code == 201
    assert _post(api, content="Một nội dung khác hẳn về vỉa hè bị lấn chiếm.").status_code == 201
    r = _post(api, content="Lần thứ ba trong giờ này, nội dung khác nữa.")
    assert r.status_code == 429 and "Retry-After" in r.headers


def test_the_lookup_gives_status_due_date_and_answer_without_personal_data(api, world):
    item = submit(world)
    r = api.get(f"/api/v1/public/feedback/{item.code}/")
    assert r.status_code == 200
    assert r.json() == {
        "status": "received",
        "status_label": "Mới tiếp nhận",
        "due_at": "2026-12-15T17:00:00+07:00",
    }
    services.feedback_answer(actor=world.leader, item=item, answer="Đã thay bóng đèn.")
    body = api.get(f"/api/v1/public/feedback/{item.code}/").json()
    assert body["status"] == "answered" and body["answer"] == "Đã thay bóng đèn."
    assert "0912345678" not in str(body) and "Phạm Văn Bình" not in str(body)
    assert api.get("/api/v1/public/feedback/GY-00000-00000/").status_code == 404


def test_the_public_list_has_published_answers_only(api, world):
    hidden = submit(world, publish_consent=True)
    shown = submit(
        world,
        publish_consent=True,
        phone="0987654321",
        content="Đề nghị sửa biển báo ở ngã tư, ông Phạm Văn Bình 0987654321 báo.",
    )
    services.feedback_answer(actor=world.leader, item=hidden, answer="Trả lời riêng.")
    services.feedback_answer(actor=world.leader, item=shown, answer="Đã sửa biển báo.", publish=True)
    r = api.get("/api/v1/public/feedback/?unit=25747")
    assert r.status_code == 200
    rows = r.json()["results"]
    assert [x["code"] for x in rows] == [shown.code]
    assert "0987654321" not in rows[0]["content"] and "Phạm Văn Bình" not in rows[0]["content"]
    assert api.get("/api/v1/public/feedback/").status_code == 400
    assert api.get("/api/v1/public/feedback/?unit=00000").status_code == 404


def test_reactions_on_a_published_answer(api, world):
    item = submit(world, publish_consent=True)
    url = f"/api/v1/public/feedback/{item.code}/reaction/"
    assert api.post(url, {"value": "like"}, format="json").status_code == 409
    services.feedback_answer(actor=world.leader, item=item, answer="Đã xử lý.", publish=True)
    r = api.post(url, {"value": "like"}, format="json")
    assert r.status_code == 200 and r.json() == {"likes": 1, "dislikes": 0}
    assert api.post(url, {"value": "maybe"}, format="json").status_code == 400


def test_api_reactions_count_once_per_address_whatever_cookie_is_sent(api, world):
    item = submit(world, publish_consent=True)
    services.feedback_answer(actor=world.leader, item=item, answer="Đã xử lý.", publish=True)
    url = f"/api/v1/public/feedback/{item.code}/reaction/"
    for _n in range(
        3
    ):  # real sessions of this server (any client gets one from the pages), then a made-up one
        session = SessionStore()
        session.create()
        api.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        r = api.post(url, {"value": "like"}, format="json", REMOTE_ADDR="203.0.113.7")
        assert r.json() == {"likes": 1, "dislikes": 0}
    api.cookies[settings.SESSION_COOKIE_NAME] = "madeupsessionkey0123456789abcdef"
    r = api.post(url, {"value": "dislike"}, format="json", REMOTE_ADDR="203.0.113.7")
    assert r.json() == {"likes": 0, "dislikes": 1}
    other = api.post(url, {"value": "like"}, format="json", REMOTE_ADDR="198.51.100.2")
    assert other.json() == {"likes": 1, "dislikes": 1}
    assert Reaction.objects.filter(item=item).count() == 2


# --- staff -------------------------------------------------------------------------------------------------


def _as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_staff_list_is_scoped_and_filters_status_and_overdue(world):
    mine = submit(world)
    theirs = submit(world, unit=world.b, phone="0987654321")
    with time_machine.travel(at(2026, 12, 16, 9, 0), tick=False):
        late = submit(world, phone="0911111111", when=at(2026, 12, 16, 9, 0))
        r = _as(world.leader).get("/api/v1/feedback/")
        assert r.status_code == 200
        codes = {x["code"] for x in r.json()["results"]}
        assert codes == {mine.code, late.code} and theirs.code not in codes
        overdue = _as(world.leader).get("/api/v1/feedback/?overdue=true").json()["results"]
        assert [x["code"] for x in overdue] == [mine.code] and overdue[0]["overdue"] is True
        assert _as(world.leader).get("/api/v1/feedback/?status=answered").json()["results"] == []
        assert _as(world.counter_b).get("/api/v1/feedback/").json()["results"][0]["code"] == theirs.code
        assert _as(world.observer).get("/api/v1/feedback/").json()["results"] == []
        assert _as(world.leader).get(f"/api/v1/feedback/?unit={world.b.code}").status_code == 404
        assert _as(world.leader).get("/api/v1/feedback/?status=nope").status_code == 400
    assert APIClient().get("/api/v1/feedback/").status_code == 401


def test_assign_answer_transfer_refuse_through_the_api(world):
    with time_machine.travel(NOW, tick=False):
        item = submit(world, publish_consent=True)
        leader = _as(world.leader)
        r = leader.post(
            f"/api/v1/feedback/{item.code}/assign/",
            {"department": world.dept.code, "officer": "chuyenvien"},
            format="json",
        )
        assert r.status_code == 200, r.json()
        assert r.json()["status"] == "in_progress" and r.json()["assignee"] == "chuyenvien"
        r = _as(world.specialist).post(
            f"/api/v1/feedback/{item.code}/answer/",
            {"answer": "Đã xử lý xong.", "publish": True},
            format="json",
        )
        assert r.status_code == 200 and r.json()["status"] == "published"
        # a second answer is a conflict
        r = leader.post(f"/api/v1/feedback/{item.code}/answer/", {"answer": "Lại."}, format="json")
        assert r.status_code == 409
        other = submit(world, phone="0987654321")
        r = leader.post(
            f"/api/v1/feedback/{other.code}/transfer/", {"unit_code": world.b.code}, format="json"
        )
        assert r.status_code == 200 and r.json()["unit"] == world.b.code
        assert (
            leader.post(f"/api/v1/feedback/{other.code}/refuse/", {"reason": "x"}, format="json").status_code
            == 404
        )
        third = submit(world, phone="0911111111")
        r = leader.post(f"/api/v1/feedback/{third.code}/refuse/", {"reason": ""}, format="json")
        assert r.status_code == 400 and "reason" in r.json()["errors"]
        r = leader.post(
            f"/api/v1/feedback/{third.code}/refuse/", {"reason": "Nội dung quảng cáo."}, format="json"
        )
        assert r.status_code == 200 and r.json()["status"] == Status.REFUSED
        # roles: a specialist may not refuse, another ward's officer gets 404
        fourth = submit(world, phone="0922222222")
        assert (
            _as(world.specialist)
            .post(f"/api/v1/feedback/{fourth.code}/refuse/", {"reason": "x"}, format="json")
            .status_code
            == 403
        )
        assert (
            _as(world.counter_b)
            .post(f"/api/v1/feedback/{fourth.code}/assign/", {"officer": "chuyenvien"}, format="json")
            .status_code
            == 404
        )
        assert (
            leader.post(
                f"/api/v1/feedback/{fourth.code}/transfer/", {"unit_code": "nowhere"}, format="json"
            ).status_code
            == 400
        )
        stale = leader.post(
            f"/api/v1/feedback/{fourth.code}/refuse/", {"reason": "x", "version": 99}, format="json"
        )
        assert stale.status_code == 409


@pytest.mark.parametrize(
    "action",
    [
        "assign",
        "answer",
        "transfer",
        "refuse",
        "request_supplement",
        "reopen",
        "move_to_complaints",
        "publish",
    ],
)
def test_another_wards_staff_get_404_from_every_action_and_change_nothing(world, action):
    item = submit(world, publish_consent=True)
    body = {
        "officer": "chuyenvien2",
        "answer": "x",
        "unit_code": world.b.code,
        "reason": "x",
        "track": "complaint",
    }
    for user in (world.counter_b, world.specialist_b):
        r = _as(user).post(f"/api/v1/feedback/{item.code}/{action}/", body, format="json")
        assert r.status_code == 404
        assert "Phạm Văn Bình" not in r.content.decode()
    fresh = FeedbackItem.objects.get(pk=item.pk)
    assert (fresh.version, fresh.status, fresh.unit_id) == (item.version, item.status, world.a.pk)


def test_the_observer_reads_no_item_and_changes_none(world):
    item = submit(world)
    assert (
        _as(world.observer)
        .post(f"/api/v1/feedback/{item.code}/refuse/", {"reason": "x"}, format="json")
        .status_code
        == 404
    )


def test_the_lookup_shows_a_private_answer_without_the_senders_personal_data(api, world):
    item = submit(world, phone="0987654321")
    services.feedback_answer(
        actor=world.leader,
        item=item,
        answer="Kính gửi ông Phạm Văn Bình (0987654321): phường đã thay bóng đèn.",
    )
    body = api.get(f"/api/v1/public/feedback/{item.code}/").json()
    assert "thay bóng đèn" in body["answer"]
    assert "Phạm Văn Bình" not in body["answer"] and "0987654321" not in body["answer"]
