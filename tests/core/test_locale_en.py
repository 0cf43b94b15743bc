"""The English catalogue (locale/en): complete, well-formed, and actually used when the user picks English.

Message ids are Vietnamese (docs/adr/0005-vietnamese-first-strings.md); `.mo` files are git-ignored, so the
catalogue is compiled here when it is missing or older than the `.po`."""

import ast
import fcntl
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.fixture(scope="module", autouse=True)
def english_catalogue():
    """Compile locale/en when needed (once, even with several xdist workers) and drop cached catalogues."""
    lock_path = Path(tempfile.gettempdir()) / "cqtt-compilemessages-en.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
                if shutil.which("msgfmt") is None:
                    pytest.skip("msgfmt (GNU gettext) is not installed: cannot compile locale/en/django.mo")
                call_command("compilemessages", locale=["en"], ignore_patterns=[".venv"], verbosity=0)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    # a catalogue loaded before the .mo existed would be cached without our strings
    trans_real._translations = {}
    trans_real._default = None
    yield


def _unquote(line: str) -> str:
    return ast.literal_eval(line.strip())


def parse_po(path: Path) -> list[dict]:
    """A minimal .po reader: msgid, msgid_plural, msgstr / msgstr[n] and flags of each entry."""
    entries: list[dict] = []
    entry: dict = {}
    key = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            key, _space, rest = line.partition(" ")
            entry[key] = _unquote(rest)
    return entries


def test_every_entry_is_translated_and_keeps_its_placeholders():
    entries = [e for e in parse_po(PO) if e.get("msgid")]  # skip the header
    assert len(entries) > 300
    for e in entries:
        assert "fuzzy" not in e.get("flags", set()), e["msgid"]
        translations = [v for k, v in e.items() if k.startswith("msgstr")]
        assert translations and all(t.strip() for t in translations), f"untranslated: {e['msgid']!r}"
        if "msgid_plural" in e:
            assert {"msgstr[0]", "msgstr[1]"} <= e.keys(), e["msgid"]
        expected = set(PLACEHOLDER.findall(e["msgid"]))
        for t in translations:
            assert set(PLACEHOLDER.findall(t)) == expected, f"placeholders differ: {e['msgid']!r} → {t!r}"


def test_the_header_declares_english_plural_forms():
    header = next(e for e in parse_po(PO) if e.get("msgid") == "")
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]
    assert "fuzzy" not in header.get("flags", set())


def test_vietnamese_ids_translate_to_english():
    with translation.override("en"):
        assert translation.gettext("Thủ tục hành chính") == "Administrative procedures"
        assert translation.gettext("Bộ phận Một cửa") == "One-stop office"
        assert (
            translation.gettext("Trung tâm Phục vụ hành chính công") == "Public Administrative Service Centre"
        )
        assert translation.gettext("Xin chào, %(name)s") % {"name": "An"} == "Hello, An"
        assert translation.ngettext("%(counter)s đơn vị", "%(counter)s đơn vị", 1) == "%(counter)s unit"
        assert translation.ngettext("%(counter)s đơn vị", "%(counter)s đơn vị", 3) == "%(counter)s units"
    with translation.override("vi"):
        assert translation.gettext("Thủ tục hành chính") == "Thủ tục hành chính"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "english", "vietnamese"),
    [
        ("accounts:login", "<h1>Staff sign-in</h1>", "<h1>Đăng nhập cán bộ</h1>"),
        ("procedures:catalogue", "<h1>Administrative procedures</h1>", "<h1>Thủ tục hành chính</h1>"),
    ],
)
def test_pages_follow_the_language_cookie(client, url_name, english, vietnamese):
    html = client.get(reverse(url_name)).content.decode()
    assert vietnamese in html and english not in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse(url_name))
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert english in html and vietnamese not in html
    assert 'lang="en"' in html


@pytest.mark.django_db
def test_login_form_labels_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert ">Username</label>" in html and ">Password</label>" in html
    assert "Tên đăng nhập" not in html


@pytest.mark.django_db
def test_catalogue_filters_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/thu-tuc/").content.decode()
    assert "Search procedures" in html and "All fields" in html and "All provinces and cities" in html


@pytest.mark.django_db
def test_public_lookup_page_in_english(client):
    html = client.get(reverse("portal:lookup")).content.decode()
    assert "<h1>Tra cứu hồ sơ</h1>" in html and "Look up a dossier" not in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/tra-cuu/")
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "<h1>Look up a dossier</h1>" in html and "Tra cứu hồ sơ" not in html
    assert ">Dossier code" in html and "Printed on the receipt slip" in html
    assert '<button type="submit">Look up</button>' in html


@pytest.mark.django_db
def test_api_errors_follow_the_language_cookie(client):
    lookup = "/api/v1/public/dossiers/25747-261123-9999/"
    vi = client.get(lookup, {"phone_last4": "56"}).json()
    assert vi["detail"] == "Dữ liệu không hợp lệ. Vui lòng kiểm tra các trường được nêu."
    assert vi["errors"]["phone_last4"] == ["Nhập đúng 4 chữ số cuối của số điện thoại."]

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(lookup, {"phone_last4": "56"})
    assert en["Content-Language"] == "en"
    assert en.json()["detail"] == "Invalid data. Please check the fields listed."
    assert en.json()["errors"]["phone_last4"] == ["Enter exactly the last 4 digits of the phone number."]
    missing = client.get(lookup, {"phone_last4": "5678"})
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No dossier was found with this code and phone number."
    units = client.get("/api/v1/units/", {"type": "village", "parent": "!"}).json()
    assert units["errors"] == {
        "type": ["The unit type must be 'province' or 'commune'."],
        "parent": ["Invalid parent unit code."],
    }


@pytest.mark.django_db
def test_service_refusals_are_in_the_users_language():
    from cqtt.accounts.models import Role
    from cqtt.accounts.permissions import require_role
    from cqtt.core.errors import PermissionDenied
    from tests.factories import make_commune, make_province, make_user

    commune = make_commune(make_province())
    user = make_user(unit=commune, role=Role.OBSERVER)
    with translation.override("vi"), pytest.raises(PermissionDenied) as vi:
        require_role(user, commune, [Role.LEADER])
    assert str(vi.value) == "Vai trò của bạn không được thực hiện thao tác này tại đơn vị này."
    with translation.override("en"), pytest.raises(PermissionDenied) as en:
        require_role(user, commune, [Role.LEADER])
    assert str(en.value) == "Your role does not allow this action in this unit."


@pytest.mark.django_db
def test_a_too_deeply_nested_body_is_refused_in_the_users_language(client):
    body = '{"a":' * 40 + "1" + "}" * 40
    vi = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert vi.status_code == 400
    assert vi.json()["detail"] == "Dữ liệu JSON lồng nhau quá sâu (tối đa 32 cấp)."

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert en.status_code == 400
    assert en.json()["detail"] == "JSON data nested too deeply (at most 32 levels)."


@pytest.mark.django_db
def test_input_limits_are_explained_in_the_users_language():
    from cqtt.dossiers.apis import RequestSupplementInput
    from cqtt.dossiers.rules import items_problem

    body = {"items": ["Ảnh"] * 51, "reason": "x" * 2001}
    with translation.override("vi"):
        vi = RequestSupplementInput(data=body)
        assert not vi.is_valid()
        assert vi.errors["items"] == ["Tối đa 50 mục."] and vi.errors["reason"] == ["Tối đa 2000 ký tự."]
        assert items_problem(["x" * 501]) == "Mỗi nội dung tối đa 500 ký tự."
    with translation.override("en"):
        en = RequestSupplementInput(data=body)
        assert not en.is_valid()
        assert en.errors["items"] == ["At most 50 items."] and en.errors["reason"] == [
            "At most 2000 characters."
        ]
        assert items_problem(["Ảnh"] * 51) == "At most 50 items, one per line."
