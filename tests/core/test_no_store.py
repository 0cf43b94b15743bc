"""`Cache-Control: no-store` on every answer that may show personal data; public pages without it may be kept
by the browser (but never by a shared cache)."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.dossiers.conftest import receive

pytestmark = pytest.mark.django_db

PASSWORD = "pw-12345-test"


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_pages_are_never_stored(world):
    dossier = receive(world)
    client = staff_client(world.counter_a)
    for url in (
        reverse("accounts:home"),
        reverse("accounts:password_change"),
        reverse("dossiers:worklists"),
        reverse("dossiers:intake"),
        reverse("dossiers:overview"),
        reverse("dossiers:detail", args=[dossier.code]),
        reverse("dossiers:print_receipt", args=[dossier.code]),
        reverse("dossiers:list_xlsx"),
        reverse("dossiers:tracking_book_xlsx"),
        "/admin/",
    ):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert no_store(response), (url, response.get("Cache-Control"))


def test_the_public_lookup_result_is_never_stored(world):
    dossier = receive(world)
    client = Client()
    by_code = client.post(reverse("portal:lookup"), {"code": dossier.code, "phone_last4": "5678"})
    by_token = client.get(reverse("portal:lookup_token", args=[dossier.lookup_token]))
    for response in (by_code, by_token):
        assert response.status_code == 200
        assert no_store(response)


def test_api_answers_are_never_stored(world):
    dossier = receive(world)
    api = APIClient()
    public = api.get(f"/api/v1/public/dossiers/{dossier.code}/", {"phone_last4": "5678"})
    unauthenticated = api.get("/api/v1/dossiers/")
    token = api.post("/api/v1/auth/token/", {"username": "motcua", "password": PASSWORD}, format="json")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    listing = api.get("/api/v1/dossiers/")
    detail = api.get(f"/api/v1/dossiers/{dossier.code}/")
    answers = (public, unauthenticated, token, listing, detail)
    assert [r.status_code for r in answers] == [200, 401, 200, 200, 200]
    for response in answers:
        assert no_store(response), response.wsgi_request.path


def test_a_page_that_does_not_declare_itself_public_is_not_stored(world):
    # the login page, error pages and redirects get the default too
    client = Client()
    for url in (reverse("accounts:login"), "/khong-co-trang-nay/", reverse("dossiers:worklists")):
        assert no_store(client.get(url)), url


def test_public_pages_without_personal_data_may_be_kept_by_the_browser_only(world):
    client = Client()
    for url in (
        reverse("portal:home"),
        reverse("procedures:catalogue"),
        reverse("procedures:detail", args=[world.birth.code]),
        reverse("workdays:explain"),
        reverse("portal:submit_choose"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not no_store(response), url
        assert "private" in response["Cache-Control"], url


def test_a_public_page_stays_free_of_personal_data_for_a_logged_in_officer(world):
    # the catalogue looks the same for an officer, with staff links but nothing about a person
    response = staff_client(world.counter_a).get(reverse("procedures:catalogue"))
    assert "private" in response["Cache-Control"]
    assert world.counter_a.full_name not in response.content.decode()
