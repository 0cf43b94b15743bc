import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cqtt.dossiers.services import dossier_submit_online
from tests.dossiers.conftest import applicant, at, documents_for, receive, world  # noqa: F401

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def pdf_file(name="giay-to.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_file(name="anh.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def without_csrf(html: str) -> str:
    """The page without its CSRF tokens (masked differently on every render)."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "TOKEN", html)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the (per-process) cache; each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def online_dossier(world):  # noqa: F811 (the fixture imported above)
    """An online submission of Phạm Văn Bình (phone 0912345678) in ward A, without files."""
    docs = documents_for(world.birth)
    return dossier_submit_online(
        procedure_code=world.birth.code, unit=world.a, applicant=applicant(), documents=docs
    )
