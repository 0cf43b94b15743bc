"""API 401/403/429 answers in Vietnamese (our messages, not DRF's English defaults), English with the cookie."""

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework import exceptions
from rest_framework.test import APIClient

from cqtt.api.errors import exception_handler
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def api(language=None) -> APIClient:
    client = APIClient()
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_no_token_is_401_in_vietnamese_with_the_token_challenge():
    response = api().get("/api/v1/dossiers/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"].startswith("Chưa xác thực. Hãy gửi mã truy cập")


def test_a_bad_token_is_401_in_vietnamese():
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get("/api/v1/dossiers/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Mã truy cập không hợp lệ")


def test_a_malformed_token_header_gets_the_same_answer_as_a_bad_token():
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token")
    response = client.get("/api/v1/dossiers/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Mã truy cập không hợp lệ")


def test_a_disabled_account_gets_the_same_answer_as_a_bad_token():
    user = make_user("nghiviec")
    client = api()
    token = client.post(
        "/api/v1/auth/token/", {"username": "nghiviec", "password": "pw-12345-test"}, format="json"
    )
    user.is_active = False
    user.save()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    response = client.get("/api/v1/dossiers/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Mã truy cập không hợp lệ")


def test_the_english_cookie_gives_english_messages():
    missing = api("en").get("/api/v1/dossiers/")
    bad = api("en")
    bad.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert missing.json()["detail"].startswith("Not authenticated. Send an access token")
    assert bad.get("/api/v1/dossiers/").json()["detail"].startswith("The access token is invalid")


def test_drfs_default_permission_message_is_replaced_but_ours_are_kept():
    with translation.override("vi"):
        default = exception_handler(exceptions.PermissionDenied(), {})
        ours = exception_handler(exceptions.PermissionDenied("Chỉ lãnh đạo được duyệt."), {})
    assert default.status_code == ours.status_code == 403
    assert default.data["detail"] == "Bạn không có quyền thực hiện thao tác này."
    assert ours.data["detail"] == "Chỉ lãnh đạo được duyệt."


def test_too_many_token_requests_are_429_in_vietnamese(frozen_clock):
    client = api()
    for _ in range(10):
        client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
    response = client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Quá nhiều yêu cầu. Vui lòng thử lại sau")
    assert "giây" in response.json()["detail"]
    assert response["Retry-After"]
