"""The Content-Security-Policy in a real chromium: every page a person opens renders without one violation.

A violation is what the browser refuses (an inline script, style or handler, a file from another host); chromium
reports each one as a `securitypolicyviolation` event and as a console error."""

import re

import pytest
from playwright.sync_api import expect

from tests.dossiers.conftest import receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-12345-test"

# collects the page's CSP violations; Playwright adds it before any script of the page runs
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation it meets listed in `page.violations` (events and console errors)."""
    page.violations = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda msg: (
            page.violations.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    return page


def collect(page):
    """Move the violations the current document has seen into `page.violations`."""
    page.violations.extend(page.evaluate("window.__cspViolations.splice(0)"))


def visit(page, path):
    response = page.goto(page.base + path)
    collect(page)
    return response


def login(page, username):
    visit(page, "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/tai-khoan/(?!dang-nhap)"))


def test_public_pages_render_without_a_csp_violation(watched, world):
    page = watched
    dossier = receive(world)
    for path in ("/", "/thu-tuc/", f"/thu-tuc/{world.birth.code}/", "/ngay-lam-viec/", "/nop-truc-tuyen/"):
        response = visit(page, path)
        assert "default-src 'self'" in response.headers["content-security-policy"], path
    # the catalogue's live search goes through htmx
    visit(page, "/thu-tuc/")
    page.get_by_label("Tìm thủ tục").first.press_sequentially("khai sinh", delay=20)
    expect(page.locator("#results").get_by_role("link", name=re.compile("Đăng ký khai sinh"))).to_be_visible()
    # the public lookup and its result
    visit(page, "/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("4 số cuối điện thoại người nộp").fill("5678")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#dossier-status")).to_be_visible()
    collect(page)
    visit(page, f"/tra-cuu/{dossier.lookup_token}/")
    assert page.violations == []


def test_staff_pages_render_without_a_csp_violation(watched, world):
    page = watched
    dossier = receive(world)
    login(page, "motcua")
    for path in (
        "/tai-khoan/",
        "/ho-so/",
        "/ho-so/tong-quan/",
        f"/ho-so/{dossier.code}/",
        "/tai-khoan/doi-mat-khau/",
    ):
        visit(page, path)
    visit(page, "/ho-so/tiep-nhan/")
    page.get_by_label("Tìm thủ tục").press_sequentially("khai sinh", delay=20)
    expect(
        page.locator("#procedure-results").get_by_role("link", name=re.compile("Đăng ký khai sinh"))
    ).to_be_visible()
    collect(page)
    assert page.violations == []


def test_admin_renders_without_a_csp_violation(watched, world):
    # Django 5.2's admin keeps its scripts in files; its one inline <style> (change lists without an action bar)
    # does not occur with our admin classes, so the admin runs under the same policy as the site
    page = watched
    world.counter_a.is_staff = world.counter_a.is_superuser = True
    world.counter_a.save()
    receive(world)
    login(page, "motcua")
    visit(page, "/admin/")
    # every change list and add form the index links to, and the change forms of a user and a dossier
    links = page.eval_on_selector_all(
        "#content-main a[href^='/admin/']", "els => els.map(e => e.getAttribute('href'))"
    )
    links += [f"/admin/accounts/user/{world.counter_a.pk}/change/"]
    page.goto(page.base + "/admin/dossiers/dossier/")
    links += [page.locator("#result_list tbody a").first.get_attribute("href")]
    assert len(links) > 10
    for path in links:
        response = visit(page, path)
        assert response.status == 200, path
    assert page.violations == []


def test_api_docs_render_the_operations_offline_under_the_csp(watched):
    page = watched
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(page.base) else None)
    response = visit(page, "/api/v1/docs/")
    page.wait_for_load_state("networkidle")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_text("/api/v1/dossiers/").first).to_be_visible()
    collect(page)
    assert page.violations == []
    assert [u for u in external if not u.startswith("data:")] == []
