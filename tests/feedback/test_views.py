"""The feedback pages: the public form (bad input kept, the honeypot, the limit), the lookup, and the staff pages
scoped by unit (another ward's item, box, opening or official is 404; no staff role is 403)."""

import hashlib
import hmac
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from cqtt.feedback import channels, services
from cqtt.feedback.models import Box, FeedbackItem, Mailbox, Reaction, Status
from cqtt.notifications.models import Message
from tests.dossiers.conftest import at

from .conftest import submit

pytestmark = pytest.mark.django_db
NOW = at(2026, 11, 24, 10, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


FORM = {
    "unit": "25747",
    "kind": "suggestion",
    "content": "Đề nghị bố trí thêm ghế ngồi chờ ở sảnh.",
    "phone": "",
    "name": "",
    "email": "",
    "address": "",
}


def test_the_commune_is_picked_by_name_then_the_form_is_shown(client, world):
    page = client.get("/gop-y/?q=thu dau mot")
    assert page.status_code == 200 and "?unit=25747" in page.content.decode()
    page = client.get("/gop-y/?unit=25747")
    assert "Phường Thủ Dầu Một" in page.content.decode() and 'name="website"' in page.content.decode()
    assert client.get("/gop-y/?unit=00000").status_code == 404


def test_sending_the_form_shows_the_code_and_the_lookup_shows_the_status(client, world):
    r = client.post("/gop-y/", {**FORM, "phone": "0912345678"})
    assert r.status_code == 302
    item = FeedbackItem.objects.get()
    assert r["Location"] == f"/gop-y/da-gui/{item.code}/"
    page = client.get(r["Location"]).content.decode()
    assert item.code in page and f"http://testserver/gop-y/tra-cuu/{item.code}/" in page
    assert Message.objects.filter(subject_code=item.code, channel="sms").exists()
    status = client.get(f"/gop-y/tra-cuu/{item.code}/")
    html = status.content.decode()
    assert status.status_code == 200 and "Mới tiếp nhận" in html and "15/12/2026" in html
    assert "0912345678" not in html
    assert (
        client.get(f"/gop-y/tra-cuu/?code={item.code.lower()}")["Location"] == f"/gop-y/tra-cuu/{item.code}/"
    )
    assert client.get("/gop-y/tra-cuu/GY-AAAAA-AAAAA/").status_code == 404


def test_another_browser_does_not_see_the_confirmation(client, world):
    item = submit(world)
    assert client.get(f"/gop-y/da-gui/{item.code}/")["Location"] == "/gop-y/tra-cuu/"


def test_bad_input_is_explained_in_vietnamese_and_nothing_typed_is_lost(client, world):
    r = client.post(
        "/gop-y/", {**FORM, "content": "ngắn quá", "phone": "12345", "email": "x@", "name": "Trần Thị Lan"}
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "Nội dung quá ngắn" in html and "Số điện thoại không đúng định dạng" in html
    assert "Địa chỉ thư điện tử không hợp lệ" in html
    assert "ngắn quá" in html and "Trần Thị Lan" in html and 'value="suggestion" checked' in html
    assert not FeedbackItem.objects.exists()
    r = client.post("/gop-y/", {**FORM, "kind": ""})
    assert "Hãy chọn loại" in r.content.decode()


def test_a_robot_filling_the_honeypot_stores_nothing(client, world):
    r = client.post("/gop-y/", {**FORM, "website": "http://spam.example"})
    assert r.status_code == 200 and not FeedbackItem.objects.exists()


def test_the_form_is_rate_limited(client, world, settings):
    settings.FEEDBACK_SUBMIT_RATE = "1/h"
    assert client.post("/gop-y/", FORM).status_code == 302
    assert (
        client.post("/gop-y/", {**FORM, "content": "Một góp ý khác hẳn về giờ làm việc."}).status_code == 429
    )


def test_published_answers_page_and_reactions(client, world):
    item = submit(world, publish_consent=True)
    services.feedback_answer(actor=world.leader, item=item, answer="Đã thay bóng đèn.", publish=True)
    page = client.get("/gop-y/cong-khai/?unit=25747").content.decode()
    assert "Đã thay bóng đèn." in page and "Phạm Văn Bình" not in page
    r = client.post(f"/gop-y/tra-cuu/{item.code}/danh-gia/", {"value": "like"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.likes == 1


def _session_voter(key: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()[:32]


def test_the_voter_is_never_a_session_key_the_client_made_up(rf, db):
    request = rf.post("/")
    request.session = SessionStore("forgedsessionkey0123456789abcdef")  # the cookie's value, not yet loaded
    voter = channels.voter_key(request)
    issued = request.session.session_key
    assert (
        issued != "forgedsessionkey0123456789abcdef" and Session.objects.filter(session_key=issued).exists()
    )
    assert voter == _session_voter(issued)
    # a session the server issued is kept
    request.session = SessionStore(issued)
    assert channels.voter_key(request) == voter and request.session.session_key == issued


def test_a_made_up_session_cookie_is_not_a_voter_a_real_session_is_issued(client, world):
    item = submit(world, publish_consent=True)
    services.feedback_answer(actor=world.leader, item=item, answer="Đã thay bóng đèn.", publish=True)
    url = f"/gop-y/tra-cuu/{item.code}/danh-gia/"
    forged = "forgedsessionkey0123456789abcdef"
    client.cookies[settings.SESSION_COOKIE_NAME] = forged
    assert client.post(url, {"value": "like"}).status_code == 302
    issued = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert issued != forged and Session.objects.filter(session_key=issued).exists()
    vote = Reaction.objects.get(item=item)
    assert vote.voter == _session_voter(issued) and vote.voter != _session_voter(forged)
    # the issued session votes again: its vote changes, no second one
    client.post(url, {"value": "dislike"})
    item.refresh_from_db()
    assert (item.likes, item.dislikes) == (0, 1) and Reaction.objects.filter(item=item).count() == 1


# --- staff -------------------------------------------------------------------------------------------------


def test_the_inbox_lists_the_units_items_with_filters(client, world):
    mine = submit(world)
    theirs = submit(world, unit=world.b, phone="0987654321")
    client.force_login(world.counter_a)
    html = client.get("/gop-y/xu-ly/").content.decode()
    assert mine.code in html and theirs.code not in html
    html = client.get("/gop-y/xu-ly/?status=answered").content.decode()
    assert mine.code not in html
    assert client.get(f"/gop-y/xu-ly/?unit={world.b.code}").status_code == 404


def test_the_inbox_query_count_does_not_grow_with_items(client, world, django_assert_max_num_queries):
    for i in range(12):
        submit(world, phone=f"09123456{i:02d}", content=f"Phản ánh số {i} về trật tự đô thị trên đường {i}.")
    client.force_login(world.counter_a)
    with django_assert_max_num_queries(16):
        assert client.get("/gop-y/xu-ly/").status_code == 200


def test_staff_of_another_unit_get_404_on_every_page_of_an_item(client, world):
    item = submit(world, kind="commendation", content="Khen chị Hà ở quầy một cửa rất nhiệt tình.")
    box = services.box_save(actor=world.leader, unit=world.a, name="Hòm 1", place="Sảnh UBND")
    opening = services.box_open(
        actor=world.counter_a, box=box, opened_at=NOW, witnesses="Ông A, bà B", letter_count=2
    )
    services.feedback_link_official(actor=world.counter_a, item=item, official=world.counter_a)
    client.force_login(world.counter_b)
    for url in (
        f"/gop-y/xu-ly/{item.code}/",
        f"/gop-y/xu-ly/hom-thu/{box.pk}/",
        f"/gop-y/xu-ly/mo-hom-thu/{opening.pk}/",
        f"/gop-y/xu-ly/can-bo/{world.counter_a.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/gop-y/xu-ly/{item.code}/refuse/", {"refuse-reason": "x"}).status_code == 404
    assert client.post(f"/gop-y/xu-ly/{item.code}/thu-cam-on/").status_code == 404
    assert client.get(f"/gop-y/xu-ly/hom-thu/?unit={world.a.code}").status_code == 404
    assert client.get(f"/gop-y/xu-ly/cai-dat/?unit={world.a.code}").status_code == 404
    # the observer holds no staff role: the inbox is refused
    client.force_login(world.observer)
    assert client.get("/gop-y/xu-ly/").status_code == 403
    assert client.get(f"/gop-y/xu-ly/{item.code}/").status_code == 404


def test_the_item_page_runs_an_action_and_shows_a_bad_input_again(client, world):
    item = submit(world)
    client.force_login(world.counter_a)
    page = client.get(f"/gop-y/xu-ly/{item.code}/").content.decode()
    assert 'data-action="refuse"' in page and 'data-action="reopen"' not in page
    r = client.post(f"/gop-y/xu-ly/{item.code}/refuse/", {"refuse-reason": "", "version": item.version})
    assert r.status_code == 400 and "Ghi lý do." in r.content.decode()
    r = client.post(
        f"/gop-y/xu-ly/{item.code}/refuse/", {"refuse-reason": "Quảng cáo", "version": item.version}
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.REFUSED


def _options(html: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return {v for v in re.findall(r'<option value="([^"]*)"', select.group(1)) if v}


def test_the_assign_and_official_lists_offer_exactly_whom_the_services_accept(client, world, admin_a):
    from cqtt.accounts.models import Role, User
    from cqtt.accounts.services import role_grant
    from cqtt.core.errors import ServiceError
    from tests.factories import make_user

    # beside the world's staff: a specialist of a department only, a leader of the city, a provincial
    # supervisor, an inactive counter officer, a superuser with no role, ward B's staff
    make_user("chuyenvienvp", unit=world.dept, role=Role.SPECIALIST, full_name="Đặng Văn Phòng")
    make_user("lanhdaotp", unit=world.city, role=Role.LEADER, full_name="Mai Thành Phố")
    make_user("giamsat", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR, full_name="Giám Sát")
    gone = make_user("nghiviec", unit=world.a, role=Role.COUNTER_OFFICER, full_name="Nghỉ Việc")
    gone.is_active = False
    gone.save()
    make_user("root", unit=world.a, is_staff=True, is_superuser=True, full_name="Siêu Quản Trị")
    role_grant(user=world.observer, unit=world.dept, role=Role.OBSERVER)
    item = submit(world, kind="official_conduct", content="Cán bộ đòi thêm giấy tờ ngoài quy định.")
    client.force_login(world.leader)
    html = client.get(f"/gop-y/xu-ly/{item.code}/").content.decode()
    offered = {"assign": _options(html, "assign-assignee"), "link": _options(html, "link_official-official")}
    accepted = {"assign": set(), "link": set()}
    for user in User.objects.all():
        try:
            item = services.feedback_assign(actor=world.leader, item=item, assignee=user)
            accepted["assign"].add(str(user.pk))
        except ServiceError:
            pass
        try:
            item = services.feedback_link_official(actor=world.leader, item=item, official=user)
            accepted["link"].add(str(user.pk))
        except ServiceError:
            pass
    assert offered == accepted
    names = {
        key: set(User.objects.filter(pk__in=ids).values_list("username", flat=True))
        for key, ids in offered.items()
    }
    assert names["assign"] == {"motcua", "chuyenvien", "lanhdao", "lanhdaotp"}
    assert names["link"] == {"motcua", "chuyenvien", "lanhdao", "lanhdaotp", "quantri"}


def test_a_hotline_call_dated_more_than_thirty_days_back_or_ahead_is_refused_and_kept_in_the_form(
    client, world
):
    client.force_login(world.counter_a)
    call = {"unit": "25747", "kind": "report", "name": "Bà Tư", "content": "Gọi báo nước ngập ở hẻm 7."}
    for typed, problem in (
        ("20/10/2026 09:00", "không được trước quá 30 ngày"),
        ("25/11/2026 09:00", "không được ở tương lai"),
    ):
        r = client.post("/gop-y/xu-ly/duong-day-nong/", {**call, "received_at": typed})
        html = r.content.decode()
        assert (
            r.status_code == 400
            and problem in html
            and typed in html
            and "Gọi báo nước ngập ở hẻm 7." in html
        )
    assert not FeedbackItem.objects.exists()
    r = client.post("/gop-y/xu-ly/duong-day-nong/", {**call, "received_at": "23/11/2026 16:30"})
    assert r.status_code == 302
    assert FeedbackItem.objects.get().received_at == at(2026, 11, 23, 16, 30)


def test_hotline_and_paper_box_intake(client, world):
    client.force_login(world.counter_a)
    r = client.post(
        "/gop-y/xu-ly/duong-day-nong/",
        {
            "unit": "25747",
            "kind": "report",
            "name": "Bà Tư",
            "phone": "0912345678",
            "content": "Gọi báo nước ngập ở hẻm 7.",
        },
    )
    assert r.status_code == 302
    assert FeedbackItem.objects.get().channel == "hotline"
    r = client.post("/gop-y/xu-ly/duong-day-nong/", {"unit": "25747", "kind": "report", "content": "ngắn"})
    assert r.status_code == 400 and "ngắn" in r.content.decode()
    r = client.post("/gop-y/xu-ly/hom-thu/", {"unit": "25747", "name": "Hòm sảnh", "place": "Sảnh tầng 1"})
    assert r.status_code == 302
    box = Box.objects.get()
    r = client.post(
        f"/gop-y/xu-ly/hom-thu/{box.pk}/",
        {"opened_at": "24/11/2026 09:00", "witnesses": "", "letter_count": "3"},
    )
    assert r.status_code == 400 and "người chứng kiến" in r.content.decode()
    r = client.post(
        f"/gop-y/xu-ly/hom-thu/{box.pk}/",
        {"opened_at": "24/11/2026 09:00", "witnesses": "Ông Nguyễn Văn An (MTTQ)", "letter_count": "3"},
    )
    assert r.status_code == 302
    opening_url = r["Location"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    scan = SimpleUploadedFile(
        "thu.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "application/pdf"
    )
    r = client.post(
        opening_url, {"kind": "suggestion", "content": "Thư tay: đề nghị mở cửa sáng thứ bảy.", "scan": scan}
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    paper = FeedbackItem.objects.get(channel="paper_box")
    assert paper.box_opening.box == box and paper.scan.name.endswith(".pdf")
    assert "Đã nhập 1/3 thư" in client.get(opening_url).content.decode()


SETTINGS = {
    "unit": "25747",
    "refuse_days": 2,
    "supplement_days": 5,
    "handle_days": 10,
    "publish_days": 2,
    "transfer_days": 5,
    "duplicate_window_days": 30,
}


def test_the_unit_admin_sets_the_channel_ids_and_an_id_of_another_unit_is_refused(client, world, admin_a):
    from cqtt.accounts.models import Role
    from tests.factories import make_user

    services.settings_save(
        actor=make_user("quantri2", unit=world.b, role=Role.UNIT_ADMIN), unit=world.b, zalo_oa_id="oa-b"
    )
    client.force_login(admin_a)
    r = client.post("/gop-y/xu-ly/cai-dat/", {**SETTINGS, "zalo_oa_id": "oa-b", "facebook_page_id": "page-a"})
    html = r.content.decode()
    assert r.status_code == 400 and "Mã Zalo OA này đã được một đơn vị khác khai báo" in html
    assert 'value="oa-b"' in html and 'value="page-a"' in html  # what was typed is kept
    r = client.post("/gop-y/xu-ly/cai-dat/", {**SETTINGS, "zalo_oa_id": "oa-a", "facebook_page_id": "page-a"})
    assert r.status_code == 302
    config = services.unit_settings(world.a)
    assert (config.zalo_oa_id, config.facebook_page_id) == ("oa-a", "page-a")


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_a_paper_letters_scan_opens_from_its_page_for_the_units_staff_only(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    box = services.box_save(actor=world.leader, unit=world.a, name="Hòm 1", place="Sảnh UBND")
    opening = services.box_open(
        actor=world.counter_a, box=box, opened_at=NOW, witnesses="Ông A, bà B", letter_count=1
    )
    client.force_login(world.counter_a)
    client.post(
        f"/gop-y/xu-ly/mo-hom-thu/{opening.pk}/",
        {
            "kind": "suggestion",
            "content": "Thư tay: đề nghị mở cửa sáng thứ bảy.",
            "scan": SimpleUploadedFile("Thư bà Tư.pdf", PDF, "application/pdf"),
        },
    )
    item = FeedbackItem.objects.get(channel="paper_box")
    url = f"/gop-y/xu-ly/{item.code}/ban-quet/"
    page = client.get(f"/gop-y/xu-ly/{item.code}/").content.decode()
    assert f'href="{url}"' in page
    for who in (world.counter_a, world.leader, world.specialist):
        client.force_login(who)
        r = client.get(url)
        assert r.status_code == 200 and b"".join(r.streaming_content) == PDF, who
        assert r["Content-Type"] == "application/pdf" and r["Content-Disposition"].startswith("inline")
        assert r["X-Content-Type-Options"] == "nosniff" and "no-store" in r["Cache-Control"]
    for who in (world.counter_b, world.specialist_b, world.observer):
        client.force_login(who)
        assert client.get(url).status_code == 404, who
    client.logout()
    assert client.get(url)["Location"].startswith("/tai-khoan/dang-nhap/")
    # an item without a scan has none to open
    client.force_login(world.counter_a)
    plain = submit(world)
    assert client.get(f"/gop-y/xu-ly/{plain.code}/ban-quet/").status_code == 404
    assert "ban-quet" not in client.get(f"/gop-y/xu-ly/{plain.code}/").content.decode()


def test_settings_and_mailboxes_are_for_the_leader_and_the_unit_admin(client, world):
    client.force_login(world.specialist)
    assert client.get("/gop-y/xu-ly/cai-dat/").status_code == 403
    client.force_login(world.leader)
    r = client.post("/gop-y/xu-ly/cai-dat/", SETTINGS)
    assert r.status_code == 302
    assert services.unit_settings(world.a).handle_days == 10
    # the leader cannot set the channel ids: the fields are shown disabled and what it posts there is ignored
    page = client.get("/gop-y/xu-ly/cai-dat/").content.decode()
    assert re.search(r'<input[^>]*name="zalo_oa_id"[^>]*disabled', page)
    client.post(
        "/gop-y/xu-ly/cai-dat/",
        {**SETTINGS, "zalo_oa_id": "579745863508352884", "facebook_page_id": "1029384756"},
    )
    assert services.unit_settings(world.a).zalo_oa_id == ""


MAILBOX_FORM = {
    "unit": "25747",
    "host": "imap.example.vn",
    "port": 993,
    "use_ssl": "on",
    "username": "gopy@example.vn",
    "password_env": "FEEDBACK_IMAP_PASSWORD_25747",
    "folder": "INBOX",
}


def test_the_leader_sees_the_mailboxes_but_only_the_unit_admin_declares_one(client, world, admin_a):
    client.force_login(world.leader)
    page = client.get("/gop-y/xu-ly/hop-thu/")
    assert page.status_code == 200 and 'name="password_env"' not in page.content.decode()
    assert "Chỉ quản trị đơn vị được khai báo hộp thư." in page.content.decode()
    assert client.post("/gop-y/xu-ly/hop-thu/", MAILBOX_FORM).status_code == 403
    assert not Mailbox.objects.exists()
    client.force_login(admin_a)
    page = client.get("/gop-y/xu-ly/hop-thu/").content.decode()
    assert 'value="FEEDBACK_IMAP_PASSWORD_25747"' in page  # offered for the unit
    r = client.post("/gop-y/xu-ly/hop-thu/", {**MAILBOX_FORM, "password_env": "DATABASE_URL"})
    html = r.content.decode()
    assert r.status_code == 400 and "Tên biến môi trường phải bắt đầu bằng FEEDBACK_IMAP_PASSWORD_" in html
    assert 'value="DATABASE_URL"' in html and 'value="imap.example.vn"' in html
    r = client.post("/gop-y/xu-ly/hop-thu/", {**MAILBOX_FORM, "use_ssl": ""})
    assert r.status_code == 400 and "SSL/TLS" in r.content.decode()
    assert client.post("/gop-y/xu-ly/hop-thu/", MAILBOX_FORM).status_code == 302
    assert Mailbox.objects.get().password_env == "FEEDBACK_IMAP_PASSWORD_25747"


def test_the_mailboxes_page_shows_a_kind_of_error_never_the_servers_words(client, world, admin_a):
    box = services.mailbox_save(
        actor=admin_a, unit=world.a, **{k: MAILBOX_FORM[k] for k in ("host", "username", "password_env")}
    )
    client.force_login(world.leader)
    for stored, shown in (
        ("login", "Máy chủ thư từ chối đăng nhập"),
        ("connect", "Không kết nối được máy chủ thư"),
        ("folder", "Không tìm thấy thư mục trên hộp thư"),
        ("b'[AUTHENTICATIONFAILED] Authentication failed.' 10.0.0.5:993", "Không đọc được hộp thư"),
    ):
        Mailbox.objects.filter(pk=box.pk).update(last_error=stored)
        html = client.get("/gop-y/xu-ly/hop-thu/").content.decode()
        cell = re.search(r'data-testid="mail-error">([^<]*)<', html).group(1)
        assert shown in cell and "AUTHENTICATIONFAILED" not in html and "10.0.0.5" not in html


def test_the_staff_home_links_the_inbox_only_for_staff_roles(client, world):
    client.force_login(world.counter_a)
    assert "/gop-y/xu-ly/" in client.get("/tai-khoan/").content.decode()
    client.force_login(world.observer)
    assert "/gop-y/xu-ly/" not in client.get("/tai-khoan/").content.decode()
