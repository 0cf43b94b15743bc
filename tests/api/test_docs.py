"""The API docs page works without internet: Swagger UI comes from our own static files (drf-spectacular-sidecar)."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"cdn|jsdelivr|unpkg|https?://", re.I)


def test_the_docs_page_references_no_external_host():
    client = Client()
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    # the start-up script is a file of its own (no inline script), and names no other host either
    script = re.search(r'<script src="([^"]+\?script[^"]*)"', html).group(1).replace("&amp;", "&")
    answer = client.get(script)
    assert answer.status_code == 200
    assert "javascript" in answer["Content-Type"]
    assert not EXTERNAL.search(answer.content.decode().replace("http://testserver", ""))


def test_the_sidecar_files_are_served_from_our_static_files():
    from django.contrib.staticfiles import finders

    for name in (
        "swagger-ui-dist/swagger-ui-bundle.js",
        "swagger-ui-dist/swagger-ui.css",
        "redoc/bundles/redoc.standalone.js",
    ):
        assert finders.find(f"drf_spectacular_sidecar/{name}"), name
