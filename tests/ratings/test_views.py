"""Pages of the ratings: the kiosk (pairing, state, queued ratings), the link's page, and the staff pages scoped
to the user's unit and role."""

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from cqtt.ratings import services
from cqtt.ratings.models import Rating
from tests.dossiers.conftest import at
from tests.ratings.test_services import _receive

pytestmark = pytest.mark.django_db(transaction=True)


def _logged(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _paired(world) -> Client:
    code = services.kiosk_pairing_issue(actor=world.admin, counter=world.counter)
    device = Client()
    url = f"/danh-gia/quay/{world.counter.pk}/"
    page = device.get(url)
    assert page.status_code == 200 and "Ghép nối thiết bị đánh giá" in page.content.decode()
    wrong = device.post(url, {"code": "12345x"})
    assert wrong.status_code == 400 and "không đúng" in wrong.content.decode()
    r = device.post(url, {"code": code})
    assert r.status_code == 302
    cookie = r.cookies[f"cqtt_kiosk_{world.counter.pk}"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    return device


def test_a_paired_kiosk_shows_the_prompt_and_a_queued_rating_counts_once(
    staff, django_capture_on_commit_callbacks
):
    world = staff
    device = _paired(world)
    base = f"/danh-gia/quay/{world.counter.pk}/"
    page = device.get(base)
    assert "Quý khách có hài lòng với sự phục vụ?" in page.content.decode()
    with time_machine.travel(at(2026, 11, 23, 9, 1), tick=False):
        assert device.get(base + "trang-thai/").json() == {"paired": True, "prompt": None}
    d = _receive(world, django_capture_on_commit_callbacks)
    with time_machine.travel(at(2026, 11, 23, 9, 1), tick=False):
        state = device.get(base + "trang-thai/").json()
        prompt = state["prompt"]
        assert prompt["officer"] == "Nguyễn Thị Hà" and prompt["procedure"] == "Đăng ký khai sinh"
        assert prompt["action"] == "Tiếp nhận hồ sơ" and d.code not in json.dumps(state)
        body = {"prompt_id": prompt["id"], "level": "satisfied", "reasons": ["4luon_smile"], "client_id": "q1",
                "rated_at": "2026-11-23T09:01:00+07:00"}  # fmt: skip
        send = lambda b: device.post(base + "gui/", json.dumps(b), content_type="application/json")  # noqa: E731
        assert send(body).status_code == 201
        assert send(body).status_code == 200  # the device sent it again after a lost answer
        assert send({**body, "client_id": "q2"}).status_code == 409
        bad = send({**body, "prompt_id": 999999})
        assert bad.status_code == 400 and bad.json()["drop"] is True
        assert send({**body, "prompt_id": "x"}).status_code == 400
    rating = Rating.objects.get()
    assert rating.channel == "kiosk" and rating.level == "satisfied" and rating.dossier_id == d.pk
    # another device, or one unpaired since, gets nothing
    assert Client().get(base + "trang-thai/").status_code == 401
    assert Client().post(base + "gui/", json.dumps(body), content_type="application/json").status_code == 401
    services.kiosk_unpair(actor=world.admin, counter=world.counter)
    assert device.get(base + "trang-thai/").status_code == 401
    assert Client().get("/danh-gia/quay/999999/").status_code == 404


def test_the_links_page_keeps_what_was_typed_on_an_error_and_refuses_a_second_rating(
    staff, django_capture_on_commit_callbacks
):
    world = staff
    d = _receive(world, django_capture_on_commit_callbacks)
    url = f"/danh-gia/ho-so/{d.lookup_token}/"
    c = Client()
    page = c.get(url)
    assert page.status_code == 200 and d.code in page.content.decode()
    r = c.post(url, {"comment": "Chờ hơi lâu", "reasons": ["long_wait"]})
    assert r.status_code == 400
    html = r.content.decode()
    assert (
        "Xin chọn mức độ hài lòng." in html and "Chờ hơi lâu" in html and 'value="long_wait" checked' in html
    )
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        r = c.post(
            url, {"level": "neutral", "reasons": ["long_wait"], "comment": "Chờ hơi lâu", "contacts": "1"}
        )
    assert r.status_code == 302
    rating = Rating.objects.get()
    assert (
        rating.channel == "web"
        and rating.contacts == 1
        and rating.i3 == 1
        and rating.source.startswith("ip:")
    )
    again = c.get(url).content.decode()
    assert "Hồ sơ này đã được đánh giá" in again
    assert c.post(url, {"level": "very_unsatisfied"}).status_code == 409
    assert Rating.objects.get().level == "neutral"
    assert c.get("/danh-gia/ho-so/khong-co/").status_code == 404
    # the honeypot: a filled hidden field records nothing
    d2 = _receive(world, django_capture_on_commit_callbacks)
    c.post(f"/danh-gia/ho-so/{d2.lookup_token}/", {"level": "satisfied", "website": "http://spam"})
    assert Rating.objects.count() == 1


def _rate(world, capture, level, comment="", when=None):
    d = _receive(world, capture)
    with time_machine.travel(when or at(2026, 11, 23, 10, 0), tick=False):
        return services.rating_submit(dossier=d, level=level, comment=comment)[0]


def test_staff_pages_are_scoped_to_the_unit_and_the_role(staff, django_capture_on_commit_callbacks):
    world = staff
    cap = django_capture_on_commit_callbacks
    _rate(world, cap, "satisfied", "Chị Hà hướng dẫn rất tận tình")
    flagged = _rate(world, cap, "very_unsatisfied", "Ngoài giờ", when=at(2026, 11, 23, 21, 0))
    q = "?unit=25747&period=2026-Q4"
    with time_machine.travel(at(2026, 11, 30, 9, 0), tick=False):
        leader = _logged(world.leader)
        page = leader.get("/danh-gia/" + q).content.decode()
        assert (
            "Tỷ lệ hài lòng" in page
            and "50,0%" in page
            and "Nguyễn Thị Hà" in page
            and "1 đánh giá cần xem xét" in page
        )
        listing = leader.get("/danh-gia/danh-sach/?unit=25747&review=flagged").content.decode()
        assert flagged.dossier.code in listing and "Ngoài giờ làm việc" in listing
        r = leader.post(f"/danh-gia/xem-xet/{flagged.pk}/", {"decision": "excluded", "note": "Thử nghiệm"})
        assert r.status_code == 302
        flagged.refresh_from_db()
        assert flagged.review == "excluded"
        officer = leader.get("/danh-gia/can-bo/motcua/" + q).content.decode()
        assert "Kết quả đánh giá: Nguyễn Thị Hà" in officer and "tận tình" not in officer
        # the officer sees their own card and what citizens wrote, not which dossier
        mine = _logged(world.counter_a).get("/danh-gia/cua-toi/?period=2026-Q4").content.decode()
        assert "Chị Hà hướng dẫn rất tận tình" in mine and flagged.dossier.code not in mine
        assert "Ngoài giờ" not in mine  # excluded
        # another ward's administrator and the wrong roles see nothing of ward A
        other = _logged(world.admin_b)
        assert other.get("/danh-gia/?unit=25747").status_code == 404
        assert other.get("/danh-gia/danh-sach/?unit=25747").status_code == 404
        assert other.get("/danh-gia/can-bo/motcua/?unit=25747").status_code == 404
        assert other.post(f"/danh-gia/xem-xet/{flagged.pk}/", {"decision": "counted"}).status_code == 404
        assert other.get("/danh-gia/thiet-bi/?unit=25747").status_code == 404
        counter = _logged(world.counter_a)
        assert counter.get("/danh-gia/").status_code == 403
        assert counter.get("/danh-gia/danh-sach/").status_code == 403
        assert _logged(world.observer).get("/danh-gia/danh-sach/").status_code == 403
        observer = _logged(world.observer).get("/danh-gia/" + q).content.decode()
        assert "Tỷ lệ hài lòng" in observer and "Nguyễn Thị Hà" not in observer
        # a leader may review but not administer kiosks; the list shows no review form to an administrator
        assert leader.get("/danh-gia/thiet-bi/").status_code == 403
        assert (
            'name="decision"'
            not in _logged(world.admin).get("/danh-gia/danh-sach/?unit=25747").content.decode()
        )


def test_the_administrator_pairs_kiosks_and_sets_the_scale(staff):
    world = staff
    admin = _logged(world.admin)
    page = admin.get("/danh-gia/thiet-bi/?unit=25747").content.decode()
    assert "Quầy số 1" in page and "Chưa ghép nối" in page
    r = admin.post("/danh-gia/thiet-bi/?unit=25747", {"counter": world.counter.pk, "do": "code"})
    assert r.status_code == 200 and 'data-testid="pairing-code"' in r.content.decode()
    assert admin.post("/danh-gia/thiet-bi/?unit=25747", {"counter": 999999, "do": "code"}).status_code == 404
    bad = admin.post("/danh-gia/cau-hinh/?unit=25747", {"scale": "4", "codes": ["4xin"]})
    assert bad.status_code == 200 and "Chọn 3 hoặc 5 mức đánh giá." in bad.content.decode()
    ok = admin.post("/danh-gia/cau-hinh/?unit=25747", {"scale": "3", "codes": ["5biet", "3khong"]})
    assert ok.status_code == 302
    config = services.settings_of(world.a)
    assert config.scale == 3 and config.codes == ["5biet", "3khong"]
    assert _logged(world.admin_b).post("/danh-gia/cau-hinh/?unit=25747", {"scale": "5"}).status_code == 404


def test_the_staff_home_links_only_what_the_user_may_open(staff):
    world = staff
    leader = _logged(world.leader).get("/tai-khoan/").content.decode()
    assert "/danh-gia/cua-toi/" in leader and 'href="/danh-gia/"' in leader
    counter = _logged(world.counter_a).get("/tai-khoan/").content.decode()
    assert "/danh-gia/cua-toi/" in counter and 'href="/danh-gia/"' not in counter


def test_the_review_findings_hold(staff, django_capture_on_commit_callbacks):
    """A rating's source is a keyed hash of the address; an officer of the unit does not rate by link; the
    page of a rated dossier does not tell how it was rated; a queued kiosk rating older than a day is refused;
    impossible periods answer 400, not 500; the observer's summary names no officer."""
    import hashlib

    from cqtt.ratings import views
    from tests.dossiers.test_apis import client_for

    world = staff
    d = _receive(world, django_capture_on_commit_callbacks)
    url = f"/danh-gia/ho-so/{d.lookup_token}/"
    r = _logged(world.counter_a).post(url, {"level": "very_satisfied"})
    assert r.status_code == 403 and "Cán bộ của đơn vị không đánh giá thay người dân" in r.content.decode()
    assert not Rating.objects.exists()
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        assert Client(REMOTE_ADDR="10.1.2.3").post(url, {"level": "unsatisfied"}).status_code == 302
    rating = Rating.objects.get()
    assert (
        rating.source.startswith("ip:") and hashlib.sha256(b"10.1.2.3").hexdigest()[:20] not in rating.source
    )
    assert rating.source == services.source_of_address("10.1.2.3") != services.source_of_address("10.1.2.4")
    done = Client().get(url).content.decode()
    assert "Hồ sơ này đã được đánh giá" in done and "Không hài lòng" not in done
    # a kiosk's queued rating of a service given more than a day ago
    device = _paired(world)
    d2 = _receive(world, django_capture_on_commit_callbacks)
    from cqtt.ratings.models import KioskPrompt

    prompt = KioskPrompt.objects.get(dossier=d2)
    body = {"prompt_id": prompt.pk, "level": "satisfied", "client_id": "late"}
    with time_machine.travel(
        prompt.created_at + dt.timedelta(hours=views.QUEUE_HOURS, minutes=1), tick=False
    ):
        r = device.post(
            f"/danh-gia/quay/{world.counter.pk}/gui/", json.dumps(body), content_type="application/json"
        )
    assert r.status_code == 400 and r.json()["drop"] is True
    # periods
    api = client_for(world.leader)
    for bad in ("0000-01", "9999-12", "1999-Q4"):
        assert api.get("/api/v1/ratings/summary/", {"unit": "25747", "period": bad}).status_code == 400
    assert _logged(world.leader).get("/danh-gia/?unit=25747&period=0000-01").status_code == 200
    observer = client_for(world.observer).get(
        "/api/v1/ratings/summary/", {"unit": "25747", "period": "2026-11"}
    )
    assert observer.json()["count"] == 1 and observer.json()["by_officer"] == []
    leader = api.get("/api/v1/ratings/summary/", {"unit": "25747", "period": "2026-11"}).json()
    assert leader["by_officer"] and leader["by_officer"][0]["username"] == "motcua"
