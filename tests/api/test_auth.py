import pytest
from rest_framework.test import APIClient

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_token_for_valid_credentials_authenticates_later_calls():
    make_user("api1", password="mat-khau-api-1")
    api = APIClient()
    r = api.post("/api/v1/auth/token/", {"username": "api1", "password": "mat-khau-api-1"}, format="json")
    assert r.status_code == 200
    token = r.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/schema/").status_code == 200


def test_token_with_wrong_password_is_400_in_vietnamese():
    make_user("api2", password="mat-khau-api-2")
    r = APIClient().post("/api/v1/auth/token/", {"username": "api2", "password": "sai"}, format="json")
    assert r.status_code == 400
    assert r.json()["detail"].startswith("Dữ liệu không hợp lệ")


def test_token_with_missing_fields_names_each_field():
    r = APIClient().post("/api/v1/auth/token/", {}, format="json")
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"username", "password"}


def test_schema_is_openapi_3_and_lists_the_endpoints():
    r = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/units/",
        "/api/v1/procedures/",
        "/api/v1/workdays/due-date/",
        "/api/v1/auth/token/",
    ):
        assert path in schema["paths"]


def test_interactive_docs_page_is_served():
    assert APIClient().get("/api/v1/docs/").status_code == 200


def test_a_revoked_token_or_deactivated_account_is_refused_at_once(django_assert_num_queries):
    from rest_framework.authtoken.models import Token

    user = make_user("api3", password="mat-khau-api-3")
    token = Token.objects.create(user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/dossiers/").status_code == 200
    with django_assert_num_queries(0, exact=False) as ctx:
        assert api.get("/api/v1/dossiers/").status_code == 200
    assert not any("authtoken_token" in q["sql"] for q in ctx.captured_queries)  # remembered
    user.is_active = False
    user.save()
    assert api.get("/api/v1/dossiers/").status_code == 401
    user.is_active = True
    user.save()
    assert api.get("/api/v1/dossiers/").status_code == 200
    token.delete()
    assert api.get("/api/v1/dossiers/").status_code == 401
