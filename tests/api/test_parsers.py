"""Request bodies nested too deeply are refused with a 400 before any view sees them (cqtt.api.parsers)."""

import json

import pytest
from rest_framework.test import APIClient

from cqtt.api.parsers import MAX_DEPTH
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def nested_objects(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def nested_lists(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "body",
    ["[" * 1000, nested_lists(1000), nested_objects(1000), "[" * 100_000, nested_lists(MAX_DEPTH + 1)],
    ids=["1000-open-brackets", "1000-lists", "1000-objects", "100000-open-brackets", "one-level-too-deep"],
)
def test_token_endpoint_answers_a_too_deep_body_with_400_in_vietnamese(body):
    # given a client that sees the server's answer rather than its exception
    api = APIClient(raise_request_exception=False)
    # when
    r = api.post("/api/v1/auth/token/", body, content_type="application/json")
    # then
    assert r.status_code == 400
    assert r.json()["detail"] == f"Dữ liệu JSON lồng nhau quá sâu (tối đa {MAX_DEPTH} cấp)."


def test_authenticated_endpoints_refuse_a_too_deep_body_too():
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(make_user("motcua"))
    r = api.post("/api/v1/dossiers/", nested_objects(1000), content_type="application/json")
    assert r.status_code == 400
    assert "lồng nhau quá sâu" in r.json()["detail"]


def test_a_body_exactly_at_the_depth_limit_is_parsed():
    # a list nested MAX_DEPTH levels deep reaches the view, which checks its fields as usual
    r = APIClient().post("/api/v1/auth/token/", nested_lists(MAX_DEPTH), content_type="application/json")
    assert r.status_code == 400
    assert "lồng nhau" not in r.json()["detail"]
    assert r.json()["detail"].startswith("Dữ liệu không hợp lệ")


def test_malformed_json_is_still_a_400():
    r = APIClient().post("/api/v1/auth/token/", '{"username": ', content_type="application/json")
    assert r.status_code == 400
    assert "detail" in r.json()


def test_ordinary_bodies_still_work():
    make_user("api1", password="mat-khau-api-1")
    body = json.dumps({"username": "api1", "password": "mat-khau-api-1"})
    r = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert r.status_code == 200
