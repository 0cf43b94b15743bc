"""Checking files citizens upload with an online dossier. The browser's content type and the file name are not
trusted: the type is read from the file's first bytes, and images must also open in Pillow."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

# (magic bytes, content type, Pillow format name or None, extension)
_SIGNATURES = (
    (b"%PDF-", PDF, None, "pdf"),
    (b"\xff\xd8\xff", JPEG, "JPEG", "jpg"),
    (b"\x89PNG\r\n\x1a\n", PNG, "PNG", "png"),
)
EXTENSIONS = {content_type: ext for _magic, content_type, _fmt, ext in _SIGNATURES}
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def max_bytes() -> int:
    return int(getattr(settings, "DOSSIERS", {}).get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


def check_upload(file, *, label: str = "") -> str:
    """The content type of `file` (PDF, JPEG or PNG) read from its content; `ValidationError` with a message
    naming the document (`label`) for an empty, oversized or other file."""
    name = label or getattr(file, "name", "") or _("tệp")
    size = getattr(file, "size", None) or 0
    limit = max_bytes()
    if size == 0:
        raise ValidationError(_("Tệp “%(d)s” không có nội dung. Hãy chọn lại tệp.") % {"d": name}, "empty")
    if size > limit:
        raise ValidationError(
            _(
                "Tệp “%(d)s” nặng %(s)s MB, quá mức tối đa %(m)s MB. Hãy chụp hoặc quét lại với dung lượng nhỏ hơn."
            )
            % {"d": name, "s": f"{size / (1024 * 1024):.1f}", "m": _megabytes(limit)},
            "too_big",
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    for magic, content_type, pillow_format, _ext in _SIGNATURES:
        if head.startswith(magic):
            if pillow_format and not _image_ok(file, pillow_format):
                raise ValidationError(
                    _("Tệp ảnh “%(d)s” bị hỏng hoặc không phải ảnh thật. Hãy chụp lại hoặc chọn tệp khác.")
                    % {"d": name},
                    "broken_image",
                )
            return content_type
    raise ValidationError(
        _("Tệp “%(d)s” không phải PDF, JPEG hay PNG. Chỉ nhận tệp PDF hoặc ảnh JPEG, PNG.") % {"d": name},
        "bad_type",
    )


def _image_ok(file, pillow_format: str) -> bool:
    try:
        with Image.open(file) as image:
            if image.format != pillow_format:
                return False
            image.verify()
    except Exception:  # Pillow raises many kinds (SyntaxError, OSError, DecompressionBombError …)
        return False
    finally:
        file.seek(0)
    return True


_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_name(original: str, content_type: str, *, fallback: str = "tep") -> str:
    """The uploaded name with its extension replaced by the one of the sniffed type, without path parts or
    odd characters, at most 80 characters: 'Ảnh CMND.png' holding a PDF becomes 'Ảnh CMND.pdf'."""
    stem = PurePath(unicodedata.normalize("NFC", original or "").replace("\\", "/")).stem
    stem = _UNSAFE.sub("", stem).strip(" .") or fallback
    return f"{stem[:70]}.{EXTENSIONS[content_type]}"
