"""The letters' pages and API: to sign, sign many, a draft's page, the register, the PDF; scoped by unit."""

import io
import json

import pytest
import time_machine
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from cqtt.core.models import AuditEvent
from cqtt.dossiers import services as dossiers
from cqtt.letters import services
from cqtt.letters.models import Letter
from tests.dossiers.conftest import applicant, at, documents_for

NOW = at(2026, 11, 25, 9, 0)


@pytest.fixture
def apology(world, gateway, django_capture_on_commit_callbacks):
    """A dossier of ward A in progress, and its apology drafted by the sweep."""
    with (
        time_machine.travel(at(2026, 11, 23, 9, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        d = dossiers.dossier_intake(
            actor=world.counter_a,
            procedure_code=world.birth.code,
            applicant=applicant(),
            documents=documents_for(world.birth),
            at=at(2026, 11, 23, 9, 0),
        ).dossier
        d = dossiers.dossier_assign(
            actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10, 0)
        )
    d.refresh_from_db()
    services.apology_sweep(now=d.risk_at)
    return Letter.objects.get(dossier=d, kind="apology")


def _thanks(world, name="Nguyễn Văn An"):
    return services.letter_draft(
        actor=world.counter_a, kind="thanks", unit=world.a, recipient_name=name, reason="góp ý"
    )


def test_the_leader_sees_drafts_to_sign_and_signs_several_at_once(world, client):
    a, b = _thanks(world), _thanks(world, "Lê Thị Bảy")
    client.force_login(world.leader)
    page = client.get("/thu/")
    html = page.content.decode()
    assert "Nguyễn Văn An" in html and "Ký các thư đã chọn" in html
    r = client.post("/thu/ky/", {"letter": [a.pk, b.pk], "unit": world.a.code})
    assert r.status_code == 302
    assert sorted(Letter.objects.values_list("number", flat=True)) == [1, 2]
    client.force_login(world.counter_a)
    assert "Ký các thư đã chọn" not in client.get("/thu/").content.decode()  # only the leader signs


def test_a_draft_is_edited_then_signed_on_its_page_and_the_dates_set_there_extend_the_dossier(
    world, apology, client
):
    client.force_login(world.leader)
    url = f"/thu/{apology.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and apology.dossier.code in page.content.decode()
    form = {
        "recipient_name": apology.recipient_name,
        "subject": apology.subject,
        "body": apology.body + "\n\nXin cảm ơn ông/bà ((khong_co)).",
        "reason": "Chờ xác minh",
        "proposed_date": "09/12/2026",
        "version": apology.version,
        "action": "save",
    }
    bad = client.post(url, form)
    assert bad.status_code == 400 and "((khong_co))" in bad.content.decode()
    form["body"] = apology.body
    form["action"] = "sign"
    with time_machine.travel(NOW, tick=False):
        r = client.post(url, form)
    assert r.status_code == 302
    apology.refresh_from_db()
    assert apology.number_text == "01/PXL-UBND" and apology.reason == "Chờ xác minh"
    apology.dossier.refresh_from_db()
    assert apology.dossier.due_at == at(2026, 12, 9, 17, 0)
    assert AuditEvent.objects.filter(action="letters.sign", object_id=apology.pk).exists()
    assert client.get(f"/thu/{apology.pk}/thu.pdf")["Content-Type"] == "application/pdf"


def test_not_sending_a_letter_needs_a_reason(world, client):
    letter = _thanks(world)
    client.force_login(world.counter_a)
    r = client.post(f"/thu/{letter.pk}/", {"action": "cancel", "cancel_reason": ""})
    assert r.status_code == 400
    r = client.post(f"/thu/{letter.pk}/", {"action": "cancel", "cancel_reason": "Trùng"})
    letter.refresh_from_db()
    assert letter.status == "cancelled" and letter.cancel_reason == "Trùng"


def test_another_ward_sees_nothing_of_ward_a_letters(world, apology, client):
    client.force_login(world.counter_b)
    assert client.get(f"/thu/{apology.pk}/").status_code == 404
    assert client.get(f"/thu/{apology.pk}/thu.pdf").status_code == 404
    assert apology.recipient_name not in client.get("/thu/?tab=all").content.decode()
    assert client.get(f"/thu/thong-ke/?unit={world.a.code}").content == b""
    token = Token.objects.create(user=world.counter_b)
    r = client.get(
        f"/api/v1/letters/?dossier={apology.dossier.code}", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert r.json() == []
    r = client.post(f"/api/v1/letters/{apology.pk}/sign/", {}, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert r.status_code == 404


def test_the_api_lists_signs_and_prints(world, apology, client):
    token = Token.objects.create(user=world.leader)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    rows = client.get(
        f"/api/v1/letters/?dossier={apology.dossier.code}&kind=apology&status=draft", **auth
    ).json()
    assert rows == [
        {
            "id": apology.pk,
            "number": None,
            "kind": "apology",
            "status": "draft",
            "dossier": apology.dossier.code,
            "recipient": "Phạm Văn Bình",
            "proposed_due_at": apology.proposed_due_at.isoformat(),
            "signed_at": None,
            "signer": None,
            "late": False,
        }
    ]
    assert client.get("/api/v1/letters/?kind=nope", **auth).status_code == 400
    counter = Token.objects.create(user=world.counter_a)
    r = client.post(f"/api/v1/letters/{apology.pk}/sign/", {}, HTTP_AUTHORIZATION=f"Token {counter.key}")
    assert r.status_code == 403
    r = client.post(
        f"/api/v1/letters/{apology.pk}/sign/", json.dumps({}), content_type="application/json", **auth
    )
    assert r.status_code == 400 and "lý do" in json.dumps(r.json(), ensure_ascii=False)
    with time_machine.travel(NOW, tick=False):
        r = client.post(
            f"/api/v1/letters/{apology.pk}/sign/",
            json.dumps({"reason": "Chờ xác minh", "proposed_due_at": "2026-12-08T16:00:00+07:00"}),
            content_type="application/json",
            **auth,
        )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (
        body["number"] == "01/PXL-UBND"
        and body["status"] in ("signed", "sent")
        and body["signer"] == "lanhdao"
    )
    again = client.post(
        f"/api/v1/letters/{apology.pk}/sign/",
        json.dumps({"reason": "x"}),
        content_type="application/json",
        **auth,
    )
    assert again.status_code == 409
    pdf = client.get(f"/api/v1/letters/{apology.pk}/pdf/", **auth)
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )


def test_the_register_lists_the_signed_letters_and_exports_them(world, client):
    letter = _thanks(world)
    services.letter_sign(actor=world.leader, letter=letter, at=at(2026, 11, 23, 9, 0))
    client.force_login(world.leader)
    html = client.get("/thu/so/?year=2026").content.decode()
    assert "01/TCO-UBND" in html and "Thư cảm ơn: 1" in html
    xlsx = client.get("/thu/so/?year=2026&format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in ws[3]][:4] == ["01/TCO-UBND", "23/11/2026", "Thư cảm ơn", "Nguyễn Văn An"]
    counts = client.get(f"/thu/thong-ke/?unit={world.a.code}&year=2026").content.decode()
    assert "Thư cảm ơn: 1" in counts


def test_a_unit_writes_its_own_wording_and_a_bad_placeholder_is_refused(world, client):
    client.force_login(world.leader)
    r = client.post(
        "/thu/mau/thanks/",
        {"subject": "Thư cảm ơn", "body": "Cảm ơn ((nguoi_nhan)) ((sai))", "unit": world.a.code},
    )
    assert r.status_code == 400 and "((sai))" in r.content.decode()
    r = client.post(
        "/thu/mau/thanks/",
        {"subject": "Thư cảm ơn", "body": "Cảm ơn ((nguoi_nhan)) rất nhiều.", "unit": world.a.code},
    )
    assert r.status_code == 302
    letter = _thanks(world)
    assert services.rendered(letter)[1] == ["Cảm ơn Nguyễn Văn An rất nhiều."]
    client.force_login(world.counter_a)
    assert client.get("/thu/mau/").status_code == 403


def test_the_return_form_of_a_birth_registration_offers_to_send_no_letter_with_a_reason(world, client):
    from tests.dossiers.conftest import receive

    d = receive(world)
    d = dossiers.dossier_assign(
        actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10, 0)
    )
    d = dossiers.dossier_submit(actor=world.specialist, dossier=d, at=at(2026, 11, 24, 9, 0))
    d = dossiers.dossier_approve(actor=world.leader, dossier=d, at=at(2026, 11, 24, 10, 0))
    d = dossiers.dossier_mark_ready(actor=world.specialist, dossier=d, at=at(2026, 11, 24, 11, 0))
    client.force_login(world.counter_a)
    page = client.get(f"/ho-so/{d.code}/").content.decode()
    assert "Không gửi thư chúc mừng gia đình" in page
    url = f"/ho-so/{d.code}/thao-tac/return-result/"
    r = client.post(
        url, {"collected_by": "Phạm Văn Bình", "id_checked": "on", "no_letter": "on", "version": d.version}
    )
    assert r.status_code == 400 and "Ghi lý do không gửi thư" in r.content.decode()


def test_paragraphs_survive_a_save_and_a_letter_with_a_hole_is_not_signed(world, client):
    letter = services.letter_draft(
        actor=world.counter_a, kind="custom", unit=world.a, recipient_name="Cụ Mười", title="Thư chúc thọ"
    )
    client.force_login(world.leader)
    form = {
        "recipient_name": "Cụ Mười",
        "subject": "Thư chúc thọ",
        "body": "Đoạn một,   còn tiếp.\r\n\r\nĐoạn hai ((ly_do)).",
        "reason": "",
        "version": letter.version,
        "action": "sign",
    }
    r = client.post(f"/thu/{letter.pk}/", form)
    assert r.status_code == 400 and "((ly_do))" in r.content.decode()  # no reason: a hole
    letter.refresh_from_db()
    assert letter.status == "draft" and letter.number is None
    assert letter.body != form["body"].replace("\r", "")  # the refused signature took its edit with it
    form["reason"] = "mừng thọ 90 tuổi"
    assert client.post(f"/thu/{letter.pk}/", form).status_code == 302
    letter.refresh_from_db()
    assert letter.body == "Đoạn một, còn tiếp.\n\nĐoạn hai ((ly_do))." and letter.number == 1
    assert services.rendered(letter)[1] == ["Đoạn một, còn tiếp.", "Đoạn hai mừng thọ 90 tuổi."]


def test_a_unit_outside_the_user_s_scope_is_404_not_another_unit(world, client):
    client.force_login(world.counter_b)
    assert client.get(f"/thu/?unit={world.a.code}").status_code == 404
    assert client.get(f"/thong-bao/?unit={world.a.code}").status_code == 404
    client.force_login(world.leader)
    r = client.post(
        f"/thu/mau/thanks/?unit={world.b.code}", {"subject": "x", "body": "y", "unit": world.b.code}
    )
    assert r.status_code == 404


def test_an_apology_s_new_date_must_follow_the_old_one_already_when_saved(world, apology, client):
    client.force_login(world.leader)
    form = {
        "recipient_name": apology.recipient_name,
        "subject": apology.subject,
        "body": apology.body,
        "reason": "Chờ xác minh",
        "proposed_date": "01/11/2026",
        "version": apology.version,
        "action": "save",
    }
    r = client.post(f"/thu/{apology.pk}/", form)
    assert r.status_code == 400 and "phải sau ngày hẹn cũ" in r.content.decode()


def test_a_name_with_its_own_title_is_not_given_a_second_one_and_tab_counts_follow_the_kind(world, client):
    from cqtt.letters.rules import addressee

    assert addressee("Cụ Lê Văn Mười") == "Cụ Lê Văn Mười"
    assert addressee("Nguyễn Văn An") == "Ông/Bà Nguyễn Văn An"
    letter = services.letter_draft(
        actor=world.counter_a, kind="thanks", unit=world.a, recipient_name="Bà Lành", reason="x"
    )
    services.letter_draft(
        actor=world.counter_a,
        kind="custom",
        unit=world.a,
        recipient_name="Cụ Mười",
        reason="y",
        title="Thư chúc thọ",
    )
    client.force_login(world.leader)
    assert "Kính gửi: Bà Lành" in client.get(f"/thu/{letter.pk}/").content.decode()
    html = client.get("/thu/?kind=thanks").content.decode()
    assert 'Chờ ký <span class="count">1</span>' in html and "&amp;kind=thanks" in html


def test_a_new_letter_by_hand_refuses_another_ward_s_dossier_and_a_missing_name(world, client):
    from tests.dossiers.conftest import receive

    theirs = dossiers.dossier_intake(
        actor=world.counter_b,
        procedure_code=world.birth.code,
        applicant=applicant(),
        documents=documents_for(world.birth),
        at=at(2026, 11, 23, 9, 0),
    ).dossier
    mine = receive(world)
    client.force_login(world.counter_a)
    r = client.post("/thu/moi/", {"kind": "thanks", "dossier": theirs.code, "unit": world.a.code})
    assert r.status_code == 400 and "Không tìm thấy hồ sơ này" in r.content.decode()
    r = client.post("/thu/moi/", {"kind": "thanks", "recipient_name": "", "unit": world.a.code})
    assert r.status_code == 400 and "Ghi tên người nhận thư" in r.content.decode()
    assert not Letter.objects.exists()
    r = client.post(
        "/thu/moi/", {"kind": "thanks", "dossier": mine.code, "reason": "góp ý", "unit": world.a.code}
    )
    letter = Letter.objects.get()
    assert r.status_code == 302 and letter.dossier == mine and letter.recipient_name == "Phạm Văn Bình"
    client.force_login(world.observer)
    assert client.get("/thu/moi/").status_code == 403


def _links(html: str, testid: str) -> dict[str, str]:
    """The links (text → href) inside the element marked `data-testid=testid`."""
    import html as html_lib
    import re

    part = re.search(rf'data-testid="{testid}"(.*?)</(?:div|p)>', html, re.S)
    assert part, f"no {testid} on the page"
    return {
        html_lib.unescape(text).strip(): html_lib.unescape(href)
        for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', part.group(1))
    }


def test_each_role_sees_exactly_the_letters_links_it_may_follow(world, client):
    from cqtt.accounts.models import Role
    from tests.factories import make_user

    admin = make_user("qtdv", unit=world.a, role=Role.UNIT_ADMIN)
    supervisor = make_user("giamsat", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR)
    every = {"Thư", "+ Thư mới", "Sổ thư", "Mẫu thư"}
    expected = {
        world.counter_a: every - {"Mẫu thư"},
        world.specialist: every - {"Mẫu thư"},
        world.leader: every,
        admin: every - {"+ Thư mới"},  # a unit administrator keeps the wording, does not write letters
        supervisor: every - {"+ Thư mới", "Mẫu thư"},
    }
    targets = {"+ Thư mới": "/thu/moi/", "Mẫu thư": "/thu/mau/"}
    for user, names in expected.items():
        client.force_login(user)
        for page in ("/thu/", "/thu/so/", "/thu/mau/thanks/", "/thu/moi/", "/thu/mau/"):
            r = client.get(f"{page}?unit={world.a.code}")
            if r.status_code == 403:
                continue  # a page this role may not open (checked below)
            links = _links(r.content.decode(), "letters-nav")
            assert set(links) == names, (user.username, page)
            for href in links.values():
                assert client.get(href).status_code == 200, (user.username, href)
        for name, url in targets.items():
            if name not in names:  # hidden because the page refuses this role
                assert client.get(f"{url}?unit={world.a.code}").status_code == 403, (user.username, url)


def test_the_dossier_s_letters_offer_a_new_letter_only_to_those_who_may_write_one(world, client):
    from cqtt.accounts.models import Role
    from tests.dossiers.conftest import receive
    from tests.factories import make_user

    d = receive(world)
    admin = make_user("qtdv", unit=world.a, role=Role.UNIT_ADMIN)
    for user, shown in ((world.counter_a, True), (world.leader, True), (admin, False)):
        client.force_login(user)
        html = client.get(f"/thu/ho-so/{d.code}/").content.decode()
        links = _links(html.replace("</p>", ""), "dossier-letters")
        assert ("+ Lập thư cho hồ sơ này" in links) is shown, user.username
        if shown:
            assert client.get(links["+ Lập thư cho hồ sơ này"]).status_code == 200
    client.force_login(world.counter_b)  # another ward's dossier: nothing to offer
    assert "+ Lập thư" not in client.get(f"/thu/ho-so/{d.code}/").content.decode()


def test_the_template_editor_previews_the_wording_with_sample_values_and_names_unknown_placeholders(
    world, client
):
    client.force_login(world.leader)
    page = client.get(f"/thu/mau/thanks/?unit={world.a.code}").content.decode()
    assert f'hx-post="/thu/mau/thanks/xem-truoc/?unit={world.a.code}"' in page
    url = f"/thu/mau/thanks/xem-truoc/?unit={world.a.code}"
    r = client.post(
        url,
        {
            "subject": "Cảm ơn ((nguoi_nhan))",
            "body": "Kính gửi ((nguoi_nhan)),\r\n\r\n((don_vi)) cảm ơn vì ((ly_do)). ((sai_ten))",
            "unit": world.a.code,
        },
        HTTP_HX_REQUEST="true",
    )
    html = r.content.decode()
    assert r.status_code == 200 and 'id="preview"' in html and "<html" not in html  # the part alone
    assert "<strong>Cảm ơn Phạm Văn Bình</strong>" in html
    assert "<p>Kính gửi Phạm Văn Bình,</p>" in html  # one paragraph per blank line
    assert f"{world.a.full_name} cảm ơn vì cần xác minh thêm" in html  # the unit's own name
    assert "“((sai_ten))” không dùng được trong loại thư này" in html and "((ly_do))" in html
    # an apology offers its dates; a thank-you does not
    ok = client.post("/thu/mau/apology/xem-truoc/", {"body": "Hẹn mới ((ngay_hen_moi))"}).content.decode()
    assert "Hẹn mới 09/12/2026" in ok and "errorlist" not in ok
    bad = client.post("/thu/mau/thanks/xem-truoc/", {"body": "Hẹn mới ((ngay_hen_moi))"}).content.decode()
    assert "((ngay_hen_moi))" in bad and "errorlist" in bad
    assert client.get(url).status_code == 405
    assert client.post("/thu/mau/nope/xem-truoc/", {"body": "x"}).status_code == 404
    assert client.post(f"/thu/mau/thanks/xem-truoc/?unit={world.b.code}", {"body": "x"}).status_code == 404
    client.force_login(world.counter_a)  # who may not edit the wording gets no preview either
    assert client.post(url, {"body": "x"}).status_code == 403


def _custom_kind(world, client, title="Thư chúc thọ", body="Kính chúc ((nguoi_nhan)) sống lâu."):
    from cqtt.letters.models import LetterTemplate

    client.force_login(world.leader)
    r = client.post(
        f"/thu/mau/custom/?unit={world.a.code}",
        {"title": title, "subject": title, "body": body, "unit": world.a.code},
    )
    assert r.status_code == 302
    return LetterTemplate.objects.get(unit=world.a, kind="custom", title=title)


def test_the_new_letter_page_offers_each_of_the_unit_s_own_kinds_and_drafts_from_its_wording(world, client):
    kind = _custom_kind(world, client)
    _custom_kind(world, client, title="Thư mừng tân gia", body="Mừng ((nguoi_nhan)) về nhà mới.")
    client.force_login(world.counter_a)
    page = client.get(f"/thu/moi/?unit={world.a.code}").content.decode()
    assert f'<option value="custom:{kind.pk}">Thư chúc thọ</option>' in page
    assert "Thư mừng tân gia</option>" in page and 'value="custom">Thư khác</option>' in page
    r = client.post(
        "/thu/moi/", {"kind": f"custom:{kind.pk}", "recipient_name": "Cụ Mười", "unit": world.a.code}
    )
    assert r.status_code == 302
    letter = Letter.objects.get()
    assert (letter.kind, letter.title, letter.template) == ("custom", "Thư chúc thọ", kind)
    assert services.rendered(letter)[1] == ["Kính chúc Cụ Mười sống lâu."]
    # another ward's page does not offer it, nor accept it
    client.force_login(world.counter_b)
    assert f"custom:{kind.pk}" not in client.get("/thu/moi/").content.decode()
    r = client.post("/thu/moi/", {"kind": f"custom:{kind.pk}", "recipient_name": "X", "unit": world.b.code})
    assert r.status_code == 400 and Letter.objects.count() == 1


def test_a_unit_renames_its_own_kind_and_the_letters_already_made_keep_their_name(world, client):
    kind = _custom_kind(world, client)
    made = services.letter_draft(
        actor=world.counter_a, kind="custom", template=kind, unit=world.a, recipient_name="Cụ Mười"
    )
    client.force_login(world.leader)
    listing = client.get(f"/thu/mau/?unit={world.a.code}").content.decode()
    assert f'href="/thu/mau/rieng/{kind.pk}/"' in listing
    form = {"title": "Thư mừng thọ", "subject": "Thư mừng thọ", "body": kind.body, "unit": world.a.code}
    assert client.post(f"/thu/mau/rieng/{kind.pk}/", form).status_code == 302
    kind.refresh_from_db()
    made.refresh_from_db()
    assert kind.title == "Thư mừng thọ" and made.title == "Thư chúc thọ" and made.template == kind
    event = AuditEvent.objects.get(action="letters.kind.rename")
    assert event.changes["title"] == ["Thư chúc thọ", "Thư mừng thọ"]
    later = services.letter_draft(
        actor=world.counter_a, kind="custom", template=kind, unit=world.a, recipient_name="Cụ Năm"
    )
    assert later.title == "Thư mừng thọ"
    # a name the unit already uses is refused, in Vietnamese
    _custom_kind(world, client, title="Thư mừng tân gia")
    client.force_login(world.leader)
    r = client.post(f"/thu/mau/rieng/{kind.pk}/", {**form, "title": "Thư mừng tân gia"})
    assert r.status_code == 400 and "Đơn vị đã có loại thư “Thư mừng tân gia”" in r.content.decode()


def test_an_unused_own_kind_is_deleted_a_used_one_is_refused_with_a_reason_and_can_be_archived(world, client):
    from cqtt.letters.models import LetterTemplate

    unused = _custom_kind(world, client, title="Thư mừng tân gia")
    used = _custom_kind(world, client)
    services.letter_draft(
        actor=world.counter_a, kind="custom", template=used, unit=world.a, recipient_name="Cụ Mười"
    )
    client.force_login(world.leader)
    listing = client.get(f"/thu/mau/?unit={world.a.code}").content.decode()
    assert f'action="/thu/mau/rieng/{unused.pk}/xoa/"' in listing
    assert f'action="/thu/mau/rieng/{used.pk}/xoa/"' not in listing  # nothing to press that would be refused
    assert client.post(f"/thu/mau/rieng/{unused.pk}/xoa/").status_code == 302
    assert not LetterTemplate.objects.filter(pk=unused.pk).exists()
    assert AuditEvent.objects.filter(action="letters.kind.delete", object_id=str(unused.pk)).exists()
    r = client.post(f"/thu/mau/rieng/{used.pk}/xoa/", follow=True)
    html = r.content.decode()
    assert "Không xóa được loại thư “Thư chúc thọ”: đã có 1 thư lập theo loại này" in html
    assert LetterTemplate.objects.filter(pk=used.pk).exists()
    # archived: kept with its letter, no longer offered for a new one
    assert client.post(f"/thu/mau/rieng/{used.pk}/luu-tru/", {"action": "archive"}).status_code == 302
    used.refresh_from_db()
    assert used.archived_at is not None
    assert AuditEvent.objects.filter(action="letters.kind.archive", object_id=str(used.pk)).exists()
    assert f"custom:{used.pk}" not in client.get(f"/thu/moi/?unit={world.a.code}").content.decode()
    r = client.post("/thu/moi/", {"kind": f"custom:{used.pk}", "recipient_name": "X", "unit": world.a.code})
    assert r.status_code == 400
    assert "đã lưu trữ" in client.get(f"/thu/mau/?unit={world.a.code}").content.decode()
    client.post(f"/thu/mau/rieng/{used.pk}/luu-tru/", {"action": "restore"})
    used.refresh_from_db()
    assert used.archived_at is None
    assert AuditEvent.objects.filter(action="letters.kind.restore", object_id=str(used.pk)).exists()


def test_another_unit_s_admin_gets_404_for_a_unit_s_own_kind_and_its_counter_officer_403(world, client):
    from cqtt.accounts.models import Role
    from cqtt.letters.models import LetterTemplate
    from tests.factories import make_user

    kind = _custom_kind(world, client)
    admin_b = make_user("qtdv2", unit=world.b, role=Role.UNIT_ADMIN)
    form = {"title": "Đổi", "subject": "x", "body": "y", "unit": world.a.code}
    client.force_login(admin_b)
    assert client.get(f"/thu/mau/rieng/{kind.pk}/").status_code == 404
    assert client.post(f"/thu/mau/rieng/{kind.pk}/", form).status_code == 404
    assert client.post(f"/thu/mau/rieng/{kind.pk}/xoa/").status_code == 404
    assert client.post(f"/thu/mau/rieng/{kind.pk}/luu-tru/").status_code == 404
    assert client.get("/thu/mau/rieng/999999/").status_code == 404
    client.force_login(world.counter_a)
    assert client.get(f"/thu/mau/rieng/{kind.pk}/").status_code == 403
    assert client.post(f"/thu/mau/rieng/{kind.pk}/xoa/").status_code == 403
    assert client.post(f"/thu/mau/rieng/{kind.pk}/luu-tru/").status_code == 403
    kind.refresh_from_db()
    assert kind.title == "Thư chúc thọ" and kind.archived_at is None
    assert LetterTemplate.objects.filter(pk=kind.pk).exists()
    assert not AuditEvent.objects.filter(action__startswith="letters.kind.").exists()
