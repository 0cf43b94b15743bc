import pytest
from django.urls import reverse

from cqtt.accounts.models import Role
from tests.factories import make_commune, make_province, make_user

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Đăng nhập cán bộ" in html and 'lang="vi"' in html


def test_wrong_password_shows_a_vietnamese_error_and_keeps_the_username(client):
    make_user("hoa", password="dung-mat-khau-1")
    r = client.post(reverse("accounts:login"), {"username": "hoa", "password": "sai"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "mật khẩu chính xác" in html  # Django's Vietnamese translation of the login error
    assert 'value="hoa"' in html


def test_failed_logins_are_throttled_after_five_attempts(client):
    make_user("lan", password="dung-mat-khau-1")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "lan", "password": "sai"})
    r = client.post(reverse("accounts:login"), {"username": "lan", "password": "dung-mat-khau-1"})
    assert r.status_code == 429
    assert "Tạm khóa đăng nhập" in r.content.decode()


def test_home_lists_the_users_units_and_roles(client):
    commune = make_commune(make_province("84"), name="Phường Hoa Sen")
    user = make_user("hs", unit=commune, role=Role.LEADER)
    client.force_login(user)
    html = client.get(reverse("accounts:home")).content.decode()
    assert "Phường Hoa Sen" in html and "Lãnh đạo" in html


def test_home_requires_login(client):
    r = client.get(reverse("accounts:home"))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


def test_password_change_refuses_a_weak_password_and_accepts_a_good_one(client):
    user = make_user("mk", password="cu-mat-khau-9")
    client.force_login(user)
    url = reverse("accounts:password_change")
    bad = client.post(url, {"old_password": "cu-mat-khau-9", "new_password1": "123", "new_password2": "123"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    good = client.post(
        url,
        {"old_password": "cu-mat-khau-9", "new_password1": "Tra-Sua-2026!", "new_password2": "Tra-Sua-2026!"},
    )
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Tra-Sua-2026!")


def test_logout_is_a_post(client):
    client.force_login(make_user())
    r = client.post(reverse("accounts:logout"))
    assert r.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 302


def test_behind_a_proxy_one_client_cannot_lock_a_colleague_out(client, settings):
    # given one reverse proxy in front, and a client at one address trying wrong passwords
    settings.NUM_PROXIES = 1
    make_user("mai", password="dung-mat-khau-1")
    for _ in range(6):
        client.post(
            reverse("accounts:login"),
            {"username": "mai", "password": "sai"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    # then mai, at her own address behind the same proxy, still logs in
    r = client.post(
        reverse("accounts:login"),
        {"username": "mai", "password": "dung-mat-khau-1"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert r.status_code == 302
