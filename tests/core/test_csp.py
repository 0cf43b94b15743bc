"""Content-Security-Policy (django-csp): the header, and templates that need nothing inline."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)


def browser_templates():
    """Every template a browser receives: all of them except the print forms, which WeasyPrint turns into PDF
    on the server (their <style> never reaches a browser)."""
    paths = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("cqtt/*/templates/**/*.html")]
    assert len(paths) > 30
    for path in paths:
        text = path.read_text()
        if "/print/" in path.as_posix() and 'extends "base.html"' not in text:
            continue
        yield path.relative_to(ROOT).as_posix(), text


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["portal:home", "procedures:catalogue", "portal:lookup", "accounts:login"])
def test_pages_carry_the_content_security_policy(client, name):
    header = client.get(reverse(name))["Content-Security-Policy"]
    for directive in POLICY:
        assert directive in header.split("; "), (directive, header)


@pytest.mark.django_db
def test_the_admin_and_the_api_carry_the_same_policy(admin_client):
    for url in ("/admin/", "/api/v1/docs/", "/api/v1/units/"):
        header = admin_client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in header.split("; "), url
        assert "unsafe-inline" not in header, url


def test_no_template_has_an_inline_script():
    for name, text in browser_templates():
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
            assert "src=" in tag, (name, tag)


def test_no_template_has_an_inline_event_handler_or_style():
    for name, text in browser_templates():
        assert not re.search(r"\son[a-z]+\s*=", text, flags=re.I), name
        assert not re.search(r"\sstyle\s*=", text, flags=re.I), name
        assert not re.search(r"<style\b", text, flags=re.I), name


def test_htmx_is_told_to_add_no_inline_style_and_run_no_eval():
    base = (ROOT / "templates/base.html").read_text()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', base).group(1)
    assert '"includeIndicatorStyles": false' in config
    assert '"allowEval": false' in config
