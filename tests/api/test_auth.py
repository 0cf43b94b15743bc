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


def test_a_revoked_token_or_deactivated_account_is_refused_at_once(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
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
    with django_capture_on_commit_callbacks(execute=True):
        user.save()
    assert api.get("/api/v1/dossiers/").status_code == 401
    user.is_active = True
    with django_capture_on_commit_callbacks(execute=True):
        user.save()
    assert api.get("/api/v1/dossiers/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        token.delete()
    assert api.get("/api/v1/dossiers/").status_code == 401


def test_delete_token_revokes_the_callers_token_204_then_401(django_capture_on_commit_callbacks):
    from cqtt.core.models import AuditEvent

    make_user("api4", password="mat-khau-api-4")
    api = APIClient()
    r = api.post("/api/v1/auth/token/", {"username": "api4", "password": "mat-khau-api-4"})
    token = r.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/dossiers/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = api.delete("/api/v1/auth/token/")
    assert r.status_code == 204
    assert api.get("/api/v1/dossiers/").status_code == 401
    assert AuditEvent.objects.filter(action="token.revoked", summary="api4").count() == 1
    assert api.delete("/api/v1/auth/token/").status_code == 401


def test_delete_token_without_a_token_is_401():
    assert APIClient().delete("/api/v1/auth/token/").status_code == 401


def test_a_login_does_not_drop_everybody_s_cached_scope(django_capture_on_commit_callbacks):
    from cqtt.accounts.permissions import scope_generation

    a, b = make_user("api5"), make_user("api6")
    before = scope_generation(b.pk)
    a_before = scope_generation(a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        from django.contrib.auth.models import update_last_login

        update_last_login(None, a)  # what every login does
        a.full_name = "Tên mới"
        a.save()  # no field that decides access changed
    assert scope_generation(b.pk) == before
    assert scope_generation(a.pk) == a_before
    with django_capture_on_commit_callbacks(execute=True):
        a.is_staff = True
        a.save()
    assert scope_generation(a.pk) != a_before
    assert scope_generation(b.pk) == before


def test_a_token_revoked_twice_is_401_the_second_time():
    """Two DELETEs with one token, the second authenticated from the process's remembered copy (its
    generation not yet moved, as in a concurrent request): the second answers 401 and is not audited again."""
    from rest_framework.authtoken.models import Token

    from cqtt.core.models import AuditEvent

    user = make_user("api7", password="mat-khau-api-7")
    token = Token.objects.create(user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/dossiers/").status_code == 200  # remembered
    assert api.delete("/api/v1/auth/token/").status_code == 204
    assert api.delete("/api/v1/auth/token/").status_code == 401
    assert not Token.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="token.revoked", summary="api7").count() == 1
