"""The ratings' API: POST /api/v1/public/ratings/ (201, 409 for the same dossier again, 400 for a level outside
the list), the lookup's rating_url once returned, GET /api/v1/ratings/summary/ scoped to the user's units."""

import pytest
import time_machine
from rest_framework.test import APIClient

from cqtt.accounts.models import Role
from cqtt.ratings import services
from cqtt.ratings.models import Rating
from tests.dossiers.conftest import at
from tests.dossiers.test_apis import client_for
from tests.factories import make_user
from tests.ratings.test_services import _receive, _returned

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_rates_once_by_token_and_a_second_time_is_409(staff, django_capture_on_commit_callbacks):
    d = _receive(staff, django_capture_on_commit_callbacks)
    api = APIClient()
    body = {
        "token": d.lookup_token,
        "level": "satisfied",
        "reasons": ["quick"],
        "comment": "Cán bộ nhiệt tình",
    }
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        r = api.post("/api/v1/public/ratings/", body, format="json")
        assert r.status_code == 201, r.json()
        assert r.json()["dossier"] == d.code and r.json()["level"] == "satisfied"
        again = api.post("/api/v1/public/ratings/", {**body, "level": "unsatisfied"}, format="json")
    assert again.status_code == 409
    assert "đã được đánh giá" in again.json()["detail"]
    assert Rating.objects.get().level == "satisfied"


def test_bad_ratings_answer_400_or_404_with_the_field_named(staff, django_capture_on_commit_callbacks):
    d = _receive(staff, django_capture_on_commit_callbacks)
    api = APIClient()
    url = "/api/v1/public/ratings/"
    r = api.post(url, {"token": d.lookup_token, "level": "amazing"}, format="json")
    assert r.status_code == 400 and "level" in r.json()["errors"]
    r = api.post(url, {"token": d.lookup_token, "level": "satisfied", "reasons": ["nope"]}, format="json")
    assert r.status_code == 400 and "reasons" in r.json()["errors"]
    r = api.post(url, {"token": d.lookup_token}, format="json")
    assert r.status_code == 400 and "level" in r.json()["errors"]
    assert api.post(url, {"token": "x" * 20, "level": "satisfied"}, format="json").status_code == 404
    assert not Rating.objects.exists()


def test_the_lookup_answer_gains_the_rating_url_once_returned(staff, django_capture_on_commit_callbacks):
    d = _receive(staff, django_capture_on_commit_callbacks)
    api = APIClient()
    url = f"/api/v1/public/dossiers/{d.code}/?phone_last4={d.applicant_phone[-4:]}"
    assert "rating_url" not in api.get(url).json()
    _returned(staff, django_capture_on_commit_callbacks, d)
    rating_url = api.get(url).json()["rating_url"]
    assert (
        rating_url.startswith("http://testserver/")
        and rating_url.rstrip("/").rsplit("/", 1)[1] == d.lookup_token
    )
    page = api.get(rating_url.replace("http://testserver", ""))
    assert page.status_code == 200 and "Đánh giá sự hài lòng" in page.content.decode()


def test_the_summary_counts_a_units_ratings_per_level_and_officer_for_its_readers_only(
    staff, django_capture_on_commit_callbacks
):
    world = staff
    levels = ["very_satisfied", "satisfied", "satisfied", "unsatisfied"]
    for level in levels:
        d = _receive(world, django_capture_on_commit_callbacks)
        with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
            services.rating_submit(dossier=d, level=level)
    url = "/api/v1/ratings/summary/"
    r = client_for(world.leader).get(url, {"unit": world.a.code, "period": "2026-11"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["count"] == 4 and body["satisfaction_rate"] == 75.0
    assert body["by_level"] == {
        "very_satisfied": 1, "satisfied": 2, "neutral": 0, "unsatisfied": 1, "very_unsatisfied": 0
    }  # fmt: skip
    assert body["by_officer"] == [{"username": "motcua", "count": 4, "satisfaction_rate": 75.0}]
    quarter = client_for(world.observer).get(url, {"unit": world.a.code, "period": "2026-Q4"}).json()
    assert quarter["count"] == 4
    assert client_for(world.leader).get(url, {"unit": world.a.code, "period": "2026-10"}).json()["count"] == 0
    # a province's supervisor reads the province's communes together
    supervisor = make_user("tinh", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR)
    assert (
        client_for(supervisor).get(url, {"unit": world.city.code, "period": "2026-11"}).json()["count"] == 4
    )
    # another ward's staff, and roles that do not read ratings, see nothing
    assert client_for(world.admin_b).get(url, {"unit": world.a.code, "period": "2026-11"}).status_code == 404
    assert (
        client_for(world.counter_a).get(url, {"unit": world.a.code, "period": "2026-11"}).status_code == 404
    )
    assert client_for(world.leader).get(url, {"unit": "99999", "period": "2026-11"}).status_code == 404
    bad = client_for(world.leader).get(url, {"unit": world.a.code, "period": "2026-13"})
    assert bad.status_code == 400 and "period" in bad.json()["errors"]
    assert APIClient().get(url, {"unit": world.a.code, "period": "2026-11"}).status_code in (401, 403)
