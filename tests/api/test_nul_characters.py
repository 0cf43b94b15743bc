"""A NUL character (U+0000) in a path, a query or a JSON string: PostgreSQL cannot store or compare it, so the
API answers before the database with 404 (a path: no such object) or 400 in Vietnamese (an input), never 500."""

import pytest
from rest_framework.test import APIClient

from tests.dossiers.conftest import receive, world  # noqa: F401 (the two-ward world of the dossier tests)

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Không được chứa ký tự NUL (U+0000)."


@pytest.fixture
def api(world):  # noqa: F811
    client = APIClient()
    client.force_authenticate(world.counter_a)
    return client


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/dossiers/A%00B/"),
        ("post", "/api/v1/dossiers/A%00B/receive/"),
        ("get", "/api/v1/public/dossiers/A%00B/?phone_last4=5678"),
    ],
)
def test_a_code_with_nul_in_the_path_is_404(api, method, path):
    response = getattr(api, method)(path, format="json")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_real_code_with_nul_appended_is_not_found_either(api, world):  # noqa: F811
    code = receive(world).code
    assert api.get(f"/api/v1/dossiers/{code}/").status_code == 200
    assert api.get(f"/api/v1/dossiers/{code}%00/").status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/dossiers/", {"unit": "25747\x00"}, "unit"),
        ("/api/v1/units/", {"q": "Thủ\x00"}, "q"),
        ("/api/v1/procedures/", {"q": "khai\x00sinh"}, "q"),
        ("/api/v1/procedures/", {"unit": "25747\x00"}, "unit"),
        ("/api/v1/workdays/due-date/", {"received_at": "\x00", "unit": "same_day"}, "received_at"),
        (
            "/api/v1/workdays/due-date/",
            {"received_at": "2026-11-24T10:00:00", "amount": "1\x00", "unit": "working_days"},
            "amount",
        ),
        (
            "/api/v1/workdays/due-date/",
            {"received_at": "2026-11-24T10:00:00", "unit": "same_day", "unit_code": "\x00"},
            "unit_code",
        ),
    ],
)
def test_nul_in_a_query_is_400_in_vietnamese(api, path, params, field):
    response = api.get(path, params)
    assert response.status_code == 400, response.content
    assert NUL_MESSAGE in response.json()["errors"][field]


def test_nul_in_a_json_string_is_400_in_vietnamese(api):
    body = {
        "procedure_code": "1.001193",
        "applicant": {"full_name": "Phạm\x00Bình", "phone": "0912345678"},
        "documents": ["Tờ khai\x00"],
        "missing_items": ["Giấy\x00"],
    }
    response = api.post("/api/v1/dossiers/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["applicant"]["full_name"] == [NUL_MESSAGE]
    assert errors["documents"] == {"0": {"name": [NUL_MESSAGE]}} or NUL_MESSAGE in str(errors["documents"])
    assert NUL_MESSAGE in str(errors["missing_items"])


def test_nul_in_a_transition_body_is_400(api, world):  # noqa: F811
    code = receive(world).code
    response = api.post(f"/api/v1/dossiers/{code}/assign/", {"assignee": "chuyen\x00vien"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["assignee"] == [NUL_MESSAGE]


def test_nul_in_the_token_request_is_400(db):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "a\x00", "password": "b\x00"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"username": [NUL_MESSAGE], "password": [NUL_MESSAGE]}


@pytest.mark.parametrize(
    "path",
    [
        "/khao-sat/A%00B/",
        "/khao-sat/A%00B/cam-on/",
        "/gop-y/tra-cuu/GY-A%00B/",
        "/danh-gia/ho-so/A%00B/",
        "/danh-gia/can-bo/motcua%00/",
        "/tra-cuu/A%00B/",
    ],
)
def test_a_page_whose_path_holds_nul_is_404(world, path):  # noqa: F811
    from django.test import Client

    client = Client()
    client.force_login(world.leader)
    response = client.get(path)
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()
