"""Error pages in Vietnamese in the site's layout (English with the language cookie); 400 and 500 render without
any context, as Django renders them."""

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]

LAYOUT = 'class="site-header"'


def client(language=None) -> Client:
    c = Client(raise_request_exception=False)
    if language:
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return c


def test_an_unknown_address_is_a_vietnamese_404_in_the_layout():
    response = client().get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert LAYOUT in html
    assert "Không tìm thấy trang" in html
    assert "Not Found" not in html and "Resolver404" not in html


def test_a_404_keeps_the_views_own_explanation(world):
    officer = client()
    officer.force_login(world.counter_a)
    response = officer.get(reverse("dossiers:print_receipt", args=["KHONG-CO"]))
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ hoặc bạn không có quyền xem hồ sơ này." in response.content.decode()


def test_a_403_is_vietnamese_in_the_layout_with_the_reason_when_there_is_one():
    plain = client().get("/thu-loi/403/").content.decode()
    reasoned = client().get("/thu-loi/403-ly-do/")
    assert reasoned.status_code == 403
    assert LAYOUT in plain and "Không có quyền truy cập" in plain
    assert "403 Forbidden" not in plain
    assert "Chỉ lãnh đạo đơn vị được ký duyệt hồ sơ này." in reasoned.content.decode()


def test_a_500_is_vietnamese_in_the_layout():
    response = client().get("/thu-loi/500/")
    html = response.content.decode()
    assert response.status_code == 500
    assert LAYOUT in html
    assert "Đã xảy ra lỗi hệ thống" in html
    assert "the database went away" not in html


def test_the_500_page_renders_with_no_context_at_all():
    html = get_template("500.html").render()
    assert "Đã xảy ra lỗi hệ thống" in html and LAYOUT in html


def test_the_500_page_does_not_need_the_context_processors(settings):
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                "context_processors": [*processors, "tests.core.error_urls.broken_context_processor"]
            },
        }
    ]
    response = client().get("/thu-loi/500/")
    assert response.status_code == 500
    assert "Đã xảy ra lỗi hệ thống" in response.content.decode()


def test_a_bad_request_is_a_vietnamese_400():
    response = client().get("/thu-loi/400/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_form_without_its_csrf_token_gets_a_vietnamese_page():
    c = Client(enforce_csrf_checks=True)
    response = c.post(reverse("accounts:login"), {"username": "a", "password": "b"})
    html = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in html
    assert "Biểu mẫu đã hết hạn" in html
    assert "CSRF verification failed" not in html


@pytest.mark.parametrize(
    ("path", "english"),
    [
        ("/khong-co-trang-nay/", "Page not found"),
        ("/thu-loi/403/", "Access denied"),
        ("/thu-loi/500/", "A system error occurred"),
    ],
)
def test_error_pages_follow_the_english_language_cookie(path, english):
    html = client("en").get(path).content.decode()
    assert english in html, html


def test_the_csrf_page_follows_the_english_language_cookie():
    c = Client(enforce_csrf_checks=True)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = c.post(reverse("accounts:login"), {"username": "a", "password": "b"}).content.decode()
    assert "The form has expired" in html
