import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cqtt.dossiers import services as s
from cqtt.dossiers.models import Channel, Dossier, Status
from tests.factories import make_user

from .conftest import applicant, documents_for, receive

pytestmark = pytest.mark.django_db

INTAKE = "/ho-so/tiep-nhan/"


def url(name, *args):
    return reverse(f"dossiers:{name}", args=args)


def intake_post(procedure, **over):
    """A complete counter intake of `procedure`, as the browser posts it."""
    data = {
        "procedure": procedure.code,
        "kind": "person",
        "full_name": "Phạm Văn Bình",
        "id_number": "079085001234",
        "phone": "0912 345 678",
        "email": "binh@example.vn",
        "address": "12 Đường Bạch Đằng",
        "commune": "25747",
        "channel": "counter",
        "delivery": "counter",
        "sets_count": "1",
        "missing_items": "",
        "supplement_reason": "",
        "refusal_reason": "",
        "outcome": "receive",
    }
    docs = list(procedure.documents.all())
    data.update(
        {
            "doc-TOTAL_FORMS": str(len(docs)),
            "doc-INITIAL_FORMS": str(len(docs)),
            "doc-MIN_NUM_FORMS": "0",
            "doc-MAX_NUM_FORMS": "100",
        }
    )
    for i, d in enumerate(docs):
        data.update(
            {
                f"doc-{i}-required_id": str(d.pk),
                f"doc-{i}-submitted": "on",
                f"doc-{i}-kind": "original",
                f"doc-{i}-count": str(d.count),
            }
        )
    for key, value in over.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def act(client, dossier, action, **data):
    dossier.refresh_from_db()
    data.setdefault("version", dossier.version)
    return client.post(url("action", dossier.code, action), data)


# --- login and permission ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/ho-so/", INTAKE, "/ho-so/tong-quan/"])
def test_anonymous_is_sent_to_the_login_page(client, world, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/?next=")


def test_anonymous_cannot_open_act_on_or_download_a_dossier(client, world):
    d = receive(world)
    for response in (
        client.get(url("detail", d.code)),
        client.post(url("action", d.code, "assign"), {"version": 0}),
        client.get(url("document_file", d.code, d.documents.first().pk)),
    ):
        assert response.status_code == 302
        assert "/tai-khoan/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("who", ["specialist", "leader", "observer"])
def test_intake_page_is_for_counter_officers_only(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(INTAKE)
    assert response.status_code == 403
    assert "Chỉ cán bộ Bộ phận Một cửa" in response.content.decode()


def test_another_communes_staff_get_404_for_page_actions_and_files(client, world):
    d = receive(world)
    client.force_login(world.counter_b)
    assert client.get(url("detail", d.code)).status_code == 404
    assert act(client, d, "assign", assignee=world.specialist.pk).status_code == 404
    assert client.get(url("document_file", d.code, d.documents.first().pk)).status_code == 404
    d.refresh_from_db()
    assert d.status == Status.RECEIVED


# --- counter intake ----------------------------------------------------------------------------------------


def test_intake_starts_with_the_procedure_search(client, world):
    client.force_login(world.counter_a)
    response = client.get(INTAKE)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-get="/ho-so/tiep-nhan/"' in html
    assert "Đăng ký khai sinh" in html and "Chứng thực bản sao từ bản chính" in html


@pytest.mark.parametrize("q", ["khai sinh", "KHAI SINH", "dang ky khai", "1.001193"])
def test_procedure_search_is_diacritic_insensitive_and_answers_htmx_with_a_fragment(client, world, q):
    client.force_login(world.counter_a)
    response = client.get(INTAKE, {"q": q}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Đăng ký khai sinh" in html
    assert "Chứng thực bản sao" not in html
    assert "?procedure=1.001193&amp;unit=25747" in html


def test_plain_get_with_procedure_shows_the_checklist_fees_and_prefilled_counts(client, world):
    client.force_login(world.counter_a)
    response = client.get(INTAKE, {"procedure": "1.001193"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tờ khai đăng ký khai sinh" in html and "Giấy chứng sinh" in html
    assert "Lệ phí đăng ký khai sinh" in html and "8.000" in html
    assert 'name="doc-0-submitted"' in html and "checked" in html
    assert 'name="doc-1-count" value="1"' in html
    assert "trong lượt này" not in html  # not a same-day procedure
    for label in ("Tiếp nhận", "Yêu cầu bổ sung", "Từ chối tiếp nhận"):
        assert f">{label}</button>" in html


def test_same_day_procedure_says_the_result_can_be_returned_at_once(client, world):
    client.force_login(world.counter_a)
    html = client.get(INTAKE, {"procedure": "2.000815"}).content.decode()
    assert "trả kết quả ngay trong lượt này" in html


def test_unknown_procedure_code_goes_back_to_the_search_with_a_message(client, world):
    client.force_login(world.counter_a)
    html = client.get(INTAKE, {"procedure": "9.999"}, follow=True).content.decode()
    assert "Không có thủ tục mã “9.999”" in html
    assert 'role="search"' in html


def test_complete_intake_receives_and_offers_the_appointment_slip(client, world):
    client.force_login(world.counter_a)
    response = client.post(INTAKE, intake_post(world.birth))
    d = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", d.code) + "?in=receipt"
    assert d.status == Status.RECEIVED
    assert d.applicant_phone == "0912345678"
    assert d.applicant_commune == world.a
    assert d.received_by == world.counter_a
    page = client.get(response["Location"]).content.decode()
    assert f"Đã tiếp nhận hồ sơ {d.code}" in page
    assert f'href="{url("print_receipt", d.code)}"' in page
    assert 'data-testid="print-slip"' in page


def test_incomplete_intake_puts_every_unticked_document_and_extra_item_on_the_supplement_slip(client, world):
    client.force_login(world.counter_a)
    data = intake_post(
        world.birth,
        outcome="supplement",
        missing_items="Bản sao CCCD của mẹ\n\nGiấy xác nhận cư trú",
        supplement_reason="Thiếu giấy tờ theo quy định",
    )
    data.pop("doc-1-submitted")
    response = client.post(INTAKE, data)
    d = Dossier.objects.get()
    assert response["Location"].endswith("?in=supplement")
    assert d.status == Status.INTAKE_SUPPLEMENT
    assert d.supplements.get().items == ["Bản sao CCCD của mẹ", "Giấy xác nhận cư trú", "Giấy chứng sinh"]
    assert d.supplements.get().reason == "Thiếu giấy tờ theo quy định"
    page = client.get(response["Location"]).content.decode()
    assert f'href="{url("print_supplement", d.code)}"' in page
    assert "Mẫu 02" in page


def test_receive_button_with_a_missing_document_explains_instead_of_guessing(client, world):
    client.force_login(world.counter_a)
    data = intake_post(world.birth)
    data.pop("doc-1-submitted")
    response = client.post(INTAKE, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "hãy bấm “Yêu cầu bổ sung”" in html
    assert not Dossier.objects.exists()
    assert 'name="doc-1-submitted"' in html
    assert 'id="id_doc-1-submitted" checked' not in html  # the unticked box stays unticked
    assert 'id="id_doc-0-submitted" checked' in html or 'checked id="id_doc-0-submitted"' in html


def test_refusal_needs_a_reason_then_offers_the_refusal_slip(client, world):
    client.force_login(world.counter_a)
    response = client.post(INTAKE, intake_post(world.birth, outcome="refuse"))
    assert response.status_code == 400
    assert "Nêu rõ lý do từ chối tiếp nhận" in response.content.decode()
    assert not Dossier.objects.exists()
    response = client.post(
        INTAKE, intake_post(world.birth, outcome="refuse", refusal_reason="Không thuộc thẩm quyền của phường")
    )
    d = Dossier.objects.get()
    assert d.status == Status.INTAKE_REFUSED
    assert response["Location"].endswith("?in=refusal")
    assert f'href="{url("print_refusal", d.code)}"' in client.get(response["Location"]).content.decode()


def test_bad_applicant_data_is_shown_next_to_each_field_and_nothing_typed_is_lost(client, world):
    client.force_login(world.counter_a)
    data = intake_post(
        world.birth,
        full_name="Trần Thị Cúc",
        phone="0123",
        id_number="12345",
        email="khong-hop-le",
        address="45 Lê Lợi",
        missing_items="Ghi chú của cán bộ",
        sets_count="2",
        delivery="post",
        kind="person",
        outcome="supplement",
    )
    data["doc-1-kind"] = "certified_copy"
    data["doc-1-count"] = "3"
    response = client.post(INTAKE, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert not Dossier.objects.exists()
    assert 'id="id_phone_errors"' in html and "Số điện thoại không đúng định dạng" in html
    assert 'id="id_id_number_errors"' in html and "đúng 12 chữ số" in html
    assert 'id="id_email_errors"' in html and "Địa chỉ thư điện tử không hợp lệ" in html
    for kept in (
        'value="Trần Thị Cúc"',
        'value="0123"',
        'value="12345"',
        'value="45 Lê Lợi"',
        "Ghi chú của cán bộ</textarea>",
        'name="sets_count" value="2"',
        'name="doc-1-count" value="3"',
        '<option value="certified_copy" selected>',
        '<option value="post" selected>',
    ):
        assert kept in html, kept


def test_missing_name_and_phone_are_reported_in_vietnamese(client, world):
    client.force_login(world.counter_a)
    response = client.post(INTAKE, intake_post(world.birth, full_name="", phone=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Vui lòng nhập họ tên người nộp hồ sơ." in html
    assert "Vui lòng nhập số điện thoại để nhận thông báo." in html


def test_scanned_document_is_stored_and_served_only_to_permitted_staff(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.counter_a)
    data = intake_post(world.birth)
    data["doc-0-scan"] = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(INTAKE, data)
    d = Dossier.objects.get()
    doc = d.documents.exclude(file="").get()
    assert doc.original_filename == "to-khai.pdf"
    page = client.get(url("detail", d.code)).content.decode()
    assert url("document_file", d.code, doc.pk) in page
    response = client.get(url("document_file", d.code, doc.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "to-khai.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    # a document without a file, and another commune's officer
    empty = d.documents.filter(file="").get()
    assert client.get(url("document_file", d.code, empty.pk)).status_code == 404
    client.force_login(world.counter_b)
    assert client.get(url("document_file", d.code, doc.pk)).status_code == 404


def test_scan_of_a_wrong_type_is_refused_next_to_its_row(client, world):
    client.force_login(world.counter_a)
    data = intake_post(world.birth)
    data["doc-0-scan"] = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(INTAKE, data)
    assert response.status_code == 400
    assert "không phải PDF, JPEG hay PNG" in response.content.decode()
    assert not Dossier.objects.exists()


def test_officer_of_two_units_chooses_the_receiving_unit(client, world):
    from cqtt.accounts.models import Role
    from cqtt.accounts.services import role_grant

    role_grant(user=world.counter_a, unit=world.b, role=Role.COUNTER_OFFICER)
    client.force_login(world.counter_a)
    html = client.get(INTAKE, {"procedure": "1.001193"}).content.decode()
    assert 'name="unit"' in html and "Phường Thuận An" in html
    response = client.post(INTAKE, intake_post(world.birth, unit="25978"))
    assert response.status_code == 302
    assert Dossier.objects.get().receiving_unit == world.b


# --- work lists and overview -------------------------------------------------------------------------------


def test_counter_worklist_shows_ready_dossiers_with_due_dates(client, world):
    d = receive(world)
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    s.dossier_approve(actor=world.leader, dossier=d)
    s.dossier_mark_ready(actor=world.leader, dossier=d)
    client.force_login(world.counter_a)
    html = client.get("/ho-so/", {"tab": "counter.ready"}).content.decode()
    assert d.code in html and "Đăng ký khai sinh" in html and "Phạm Văn Bình" in html
    assert "Có kết quả, chờ trả" in html
    assert "Trần Minh Đức" in html  # assignee
    assert "+ Tiếp nhận hồ sơ" in html


@pytest.mark.usefixtures("frozen_clock")
def test_leader_sees_unassigned_and_overdue_marked_red(client, world):
    fresh = receive(world)
    late = receive(world, when=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
    s.dossier_assign(actor=world.leader, dossier=late, assignee=world.specialist)
    client.force_login(world.leader)
    html = client.get("/ho-so/", {"tab": "leader.unassigned"}).content.decode()
    assert fresh.code in html and late.code not in html
    html = client.get("/ho-so/", {"tab": "leader.overdue"}).content.decode()
    assert late.code in html and fresh.code not in html
    assert 'class="due overdue"' in html


def test_specialist_sees_own_dossiers_and_observer_only_the_search_tab(client, world):
    d = receive(world)
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    client.force_login(world.specialist)
    html = client.get("/ho-so/").content.decode()
    assert "Hồ sơ của tôi" in html and d.code in html
    assert "Chờ phê duyệt" not in html
    client.force_login(world.observer)
    html = client.get("/ho-so/").content.decode()
    assert "Tất cả hồ sơ" in html and d.code in html
    assert "Hồ sơ của tôi" not in html and "+ Tiếp nhận hồ sơ" not in html


def test_worklists_of_another_commune_do_not_show_our_dossiers(client, world):
    d = receive(world)
    client.force_login(world.counter_b)
    html = client.get("/ho-so/", {"tab": "all"}).content.decode()
    assert d.code not in html


def test_worklist_is_paginated_by_25(client, world):
    for _ in range(27):
        receive(world)
    client.force_login(world.leader)
    html = client.get("/ho-so/", {"tab": "leader.unassigned"}).content.decode()
    assert html.count('<tr>\n      <td class="nowrap">') == 25
    assert "Trang 1/2 · 27 hồ sơ" in html
    html = client.get("/ho-so/", {"tab": "leader.unassigned", "page": 2}).content.decode()
    assert html.count('<tr>\n      <td class="nowrap">') == 2


def test_all_dossiers_tab_pages_newest_first_without_a_total(client, world):
    from .conftest import at

    made = [receive(world, when=at(2026, 11, 23, 8, minute)) for minute in range(27)]
    client.force_login(world.leader)
    html = client.get("/ho-so/", {"tab": "all"}).content.decode()
    assert html.count('<tr>\n      <td class="nowrap">') == 25
    assert "Trang 1" in html and "hồ sơ</span>" not in html  # no total counted
    assert html.index(made[-1].code) < html.index(made[-2].code)  # newest first
    assert "page=2" in html and made[0].code not in html
    html = client.get("/ho-so/", {"tab": "all", "page": 2}).content.decode()
    assert html.count('<tr>\n      <td class="nowrap">') == 2 and made[0].code in html
    assert "page=1" in html and "page=3" not in html
    for bad in ("abc", "-4", "0", ""):  # a bad page number shows the first page
        html = client.get("/ho-so/", {"tab": "all", "page": bad}).content.decode()
        assert made[-1].code in html and "Trang 1" in html
    html = client.get("/ho-so/", {"tab": "all", "page": 99}).content.decode()
    assert "Không có hồ sơ nào." in html  # past the end: an empty page, not an error


@pytest.mark.parametrize(
    ("who", "tab", "limit"),
    [
        # session, user, roles; one count per tab; one page of rows (+2 for the specialist's calendar)
        ("counter_a", "all", 8),
        ("specialist", "specialist.mine", 10),
        ("leader", "leader.unassigned", 9),
        ("observer", "all", 5),
    ],
)
def test_worklist_query_count_does_not_grow_with_rows(
    client, world, who, tab, limit, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            d = receive(world)
            if who == "specialist":
                s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)

    client.force_login(getattr(world, who))
    make(2)
    with django_assert_max_num_queries(limit):
        assert client.get("/ho-so/", {"tab": tab}).status_code == 200
    make(20)
    with django_assert_max_num_queries(limit):
        assert client.get("/ho-so/", {"tab": tab}).status_code == 200


def test_overview_counts_and_links_exports(client, world, django_assert_max_num_queries):
    receive(world)
    receive(world)
    d = receive(world)
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    client.force_login(world.leader)
    client.get("/ho-so/tong-quan/")  # fills the cached permission scope, as in steady use
    with django_assert_max_num_queries(5):  # session, user, units, open dossiers by state, finished tallies
        response = client.get("/ho-so/tong-quan/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đã tiếp nhận, chờ phân công" in html
    assert '<td class="num">2</td>' in html and '<td class="num">1</td>' in html
    for target in ("book_xlsx", "book_pdf", "list_xlsx"):  # the export form's buttons
        assert f'name="export-target" value="{target}"' in html
    assert 'data-testid="communes"' not in html  # one ward: no comparison table
    for _ in range(10):
        receive(world)
    with django_assert_max_num_queries(5):
        client.get("/ho-so/tong-quan/")


# --- dossier page ------------------------------------------------------------------------------------------


def test_dossier_page_shows_everything_a_leader_needs(client, world):
    d = receive(world)
    client.force_login(world.leader)
    response = client.get(url("detail", d.code))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        d.code,
        "Phạm Văn Bình",
        "079085001234",
        "Đăng ký khai sinh",
        "Giấy chứng sinh",
        "Lệ phí đăng ký khai sinh",
        "17:00 27/11/2026",
        "Cách tính ngày hẹn trả",
        "Văn hóa",  # 24/11 skipped in the explanation
        "Tiếp nhận hồ sơ",  # timeline label of the intake event
        f'href="{url("print_receipt", d.code)}"',
        f'href="{url("print_control", d.code)}"',
    ):
        assert text in html, text
    assert f'action="{url("action", d.code, "assign")}"' in html
    assert f'value="{d.version}"' in html
    assert "Trần Minh Đức" in html  # specialist offered in the assign select
    assert f'action="{url("action", d.code, "refuse")}"' in html
    assert f'action="{url("action", d.code, "submit")}"' not in html  # a specialist's action


def test_observer_sees_the_dossier_but_no_action_forms_and_cannot_post(client, world):
    d = receive(world)
    client.force_login(world.observer)
    html = client.get(url("detail", d.code)).content.decode()
    assert "Phạm Văn Bình" in html
    assert "/thao-tac/" not in html
    assert "quyền giám sát" in html
    response = act(client, d, "assign", assignee=world.specialist.pk)
    assert response.status_code == 403
    d.refresh_from_db()
    assert d.status == Status.RECEIVED


def test_action_must_be_posted(client, world):
    d = receive(world)
    client.force_login(world.leader)
    assert client.get(url("action", d.code, "assign")).status_code == 405


def test_unknown_action_is_404(client, world):
    d = receive(world)
    client.force_login(world.leader)
    assert act(client, d, "delete-everything").status_code == 404


def test_full_processing_through_the_action_forms(client, world):
    d = receive(world)
    client.force_login(world.leader)
    response = act(client, d, "assign", assignee=world.specialist.pk, note="Xử lý gấp")
    assert response.status_code == 302 and response["Location"] == url("detail", d.code)
    d.refresh_from_db()
    assert (d.status, d.assignee) == (Status.IN_PROGRESS, world.specialist)

    client.force_login(world.specialist)
    assert act(client, d, "submit", note="Đủ điều kiện").status_code == 302
    client.force_login(world.leader)
    assert act(client, d, "approve").status_code == 302
    client.force_login(world.specialist)
    assert act(client, d, "mark-ready").status_code == 302
    client.force_login(world.counter_a)
    page = client.get(url("detail", d.code)).content.decode()
    assert 'value="Phạm Văn Bình"' in page  # the collector is prefilled with the applicant
    response = act(client, d, "return-result", collected_by="Phạm Văn Bình", id_checked="on")
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.RETURNED and d.collected_by == "Phạm Văn Bình"
    page = client.get(url("detail", d.code)).content.decode()
    assert "Đã thực hiện: Trả kết quả." in page
    assert "Hồ sơ đã kết thúc." in page
    assert d.steps.count() >= 4 and "Chuyên viên thụ lý: Trần Minh Đức" in page


def test_bad_action_input_is_shown_next_to_the_field_and_kept(client, world):
    d = receive(world)
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    s.dossier_approve(actor=world.leader, dossier=d)
    s.dossier_mark_ready(actor=world.leader, dossier=d)
    client.force_login(world.counter_a)
    response = act(client, d, "return-result", collected_by="", note="Đã đối chiếu bản chính")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ghi họ tên người nhận kết quả." in html
    assert 'id="id_collected_by_errors"' in html
    assert 'value="Đã đối chiếu bản chính"' in html
    assert '<details class="action card" data-action="return-result" open>' in html


def test_stale_version_gets_a_conflict_message_instead_of_overwriting(client, world):
    d = receive(world)
    client.force_login(world.leader)
    old_version = d.version
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)  # someone else was faster
    response = client.post(
        url("action", d.code, "assign"), {"version": old_version, "assignee": world.specialist.pk}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in html
    assert d.events.filter(action="assign").count() == 1


def test_action_not_allowed_in_this_state_is_a_conflict(client, world):
    d = receive(world)
    client.force_login(world.leader)
    response = act(client, d, "approve")
    assert response.status_code == 409
    assert "Không thể “Phê duyệt”" in response.content.decode()


def test_role_without_the_action_gets_403(client, world):
    d = receive(world)
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    client.force_login(world.specialist)
    response = act(client, d, "approve")
    assert response.status_code == 403
    assert "Vai trò của bạn không được thực hiện" in response.content.decode()


def test_request_supplement_needs_items_then_offers_the_slip(client, world):
    d = receive(world)
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    client.force_login(world.specialist)
    response = act(client, d, "request-supplement", items="", reason="Thiếu giấy tờ")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Liệt kê đầy đủ, một lần" in html and "Thiếu giấy tờ</textarea>" in html
    response = act(client, d, "request-supplement", items="Bản sao giấy đăng ký kết hôn", reason="Thiếu")
    assert response["Location"].endswith("?in=supplement")
    d.refresh_from_db()
    assert d.status == Status.SUPPLEMENT_REQUESTED
    assert act(client, d, "receive-supplement").status_code == 302
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS


def test_transfer_to_a_department_of_the_commune(client, world):
    d = receive(world)
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    client.force_login(world.specialist)
    html = client.get(url("detail", d.code)).content.decode()
    assert "Phòng Kinh tế" in html
    response = act(client, d, "transfer", department="25747.KT", note="Xác minh đất đai")
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.current_unit == world.other_dept
    response = act(client, d, "transfer", unit_code="KHONG-CO")
    assert response.status_code == 400
    assert "Không có đơn vị mã “KHONG-CO”" in response.content.decode()


def test_extend_once_with_a_reason_and_a_working_day(client, world):
    d = receive(world)
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    client.force_login(world.leader)
    response = act(client, d, "extend", reason="", new_due_date="2026-12-02", new_due_time="16:00")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nêu lý do chậm trễ" in html and 'value="2026-12-02"' in html
    response = act(
        client, d, "extend", reason="Chờ xác minh", new_due_date="2026-12-02", new_due_time="16:00"
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.is_extended
    html = client.get(url("detail", d.code)).content.decode()
    assert "Hạn ban đầu" in html and "17:00 27/11/2026" in html and "16:00 02/12/2026" in html
    assert "Chờ xác minh" in html


def test_withdraw_and_refuse_need_reasons(client, world):
    d = receive(world)
    client.force_login(world.leader)
    response = act(client, d, "refuse", reason="")
    assert response.status_code == 400 and "Nêu rõ lý do từ chối giải quyết." in response.content.decode()
    response = act(client, d, "refuse", reason="Không đủ điều kiện theo Điều 16")
    assert response["Location"].endswith("?in=refusal")
    d.refresh_from_db()
    assert d.status == Status.REFUSED


def test_online_dossier_is_received_or_sent_back_from_its_page(client, world):
    online = s.dossier_submit_online(
        procedure_code="1.001193", unit=world.a, applicant=applicant(), documents=documents_for(world.birth)
    )
    other = s.dossier_submit_online(
        procedure_code="1.001193", unit=world.a, applicant=applicant(), documents=documents_for(world.birth)
    )
    client.force_login(world.counter_a)
    html = client.get("/ho-so/").content.decode()
    assert online.code in html and other.code in html  # awaiting reception tab first
    html = client.get(url("detail", online.code)).content.decode()
    for action in ("receive", "request-intake-supplement", "refuse-intake"):
        assert f'action="{url("action", online.code, action)}"' in html
    assert act(client, online, "receive")["Location"].endswith("?in=receipt")
    online.refresh_from_db()
    assert online.status == Status.RECEIVED and online.channel == Channel.ONLINE
    response = act(client, other, "request-intake-supplement", items="Giấy chứng sinh bản chính", reason="")
    assert response["Location"].endswith("?in=supplement")
    other.refresh_from_db()
    assert other.status == Status.INTAKE_SUPPLEMENT


def test_staff_without_any_role_see_empty_lists(client, world):
    d = receive(world)
    nobody = make_user("khach")
    client.force_login(nobody)
    assert d.code not in client.get("/ho-so/").content.decode()
    assert client.get(url("detail", d.code)).status_code == 404


def test_same_day_dossier_is_returned_at_the_counter_in_one_sitting(client, world):
    d = receive(world, procedure=world.copy)
    birth = receive(world)
    client.force_login(world.counter_a)
    assert (
        f'action="{url("action", birth.code, "return-same-day")}"'
        not in client.get(url("detail", birth.code)).content.decode()
    )
    html = client.get(url("detail", d.code)).content.decode()
    assert f'action="{url("action", d.code, "return-same-day")}"' in html
    response = act(client, d, "return-same-day", collected_by="Phạm Văn Bình")
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.RETURNED and d.collected_by == "Phạm Văn Bình"


def test_detail_page_query_count_is_bounded(client, world, django_assert_max_num_queries):
    d = receive(world)
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    client.force_login(world.leader)
    with django_assert_max_num_queries(20):
        assert client.get(url("detail", d.code)).status_code == 200


def test_specialist_consults_a_department_and_records_its_answer_on_the_page(client, world):
    d = s.dossier_assign(actor=world.leader, dossier=receive(world), assignee=world.specialist)
    client.force_login(world.specialist)
    r = act(client, d, "consult", department=world.other_dept.code, question="", days="1")
    assert r.status_code == 400 and "Nêu nội dung cần lấy ý kiến" in r.content.decode()
    d.refresh_from_db()
    r = act(client, d, "consult", department=world.other_dept.code, question="Xác minh nơi cư trú", days="1")
    assert r.status_code == 302
    step = d.steps.get(kind="consultation")
    page = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert 'data-action="consultation-reply"' in page and "Xác minh nơi cư trú" in page
    d.refresh_from_db()
    r = act(client, d, "consultation-reply", step=str(step.seq), answer="Đúng địa chỉ")
    assert r.status_code == 302
    step.refresh_from_db()
    assert step.completed_at is not None and "Đúng địa chỉ" in step.note
    page = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert 'data-action="consultation-reply"' not in page


def test_the_specialist_is_warned_before_a_supplement_request_that_comes_too_late(client, world):
    import time_machine

    from .conftest import at

    d = s.dossier_assign(
        actor=world.leader, dossier=receive(world), assignee=world.specialist, at=at(2026, 11, 23, 10, 0)
    )
    with time_machine.travel(at(2026, 11, 26, 9, 0), tick=False):  # 2 working days after receipt (24/11 off)
        client.force_login(world.specialist)  # a session lasts a working day: log in on each day
        assert (
            'data-testid="late-supplement-warning"' not in client.get(url("detail", d.code)).content.decode()
        )
    with time_machine.travel(at(2026, 11, 30, 9, 0), tick=False):  # 4 working days after receipt
        client.force_login(world.specialist)
        page = client.get(url("detail", d.code)).content.decode()
    assert 'data-testid="late-supplement-warning"' in page and "quá 3 ngày làm việc" in page


# --- input limits and digits (the same rules as the API) -----------------------------------------------------


def test_counter_intake_stores_full_width_digits_as_ascii(client, world):
    client.force_login(world.counter_a)
    response = client.post(
        INTAKE, intake_post(world.birth, id_number="０７９０８５００１２３４", phone="０９１２３４５６７８")
    )
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert (d.applicant_id_number, d.applicant_phone) == ("079085001234", "0912345678")


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"missing_items": "\n".join(["Ảnh"] * 51)}, "Tối đa 50 nội dung, mỗi dòng một nội dung."),
        ({"missing_items": "x" * 501}, "Mỗi nội dung tối đa 500 ký tự."),
        ({"supplement_reason": "x" * 2001}, "tối đa 2000 ký tự"),
    ],
)
def test_counter_intake_refuses_oversized_supplement_lists_and_reasons(client, world, over, message):
    client.force_login(world.counter_a)
    data = intake_post(world.birth, outcome="supplement", **({"missing_items": "Ảnh"} | over))
    response = client.post(INTAKE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"items": "\n".join(["Ảnh"] * 51)}, "Tối đa 50 nội dung, mỗi dòng một nội dung."),
        ({"items": "x" * 501}, "Mỗi nội dung tối đa 500 ký tự."),
        ({"reason": "x" * 2001}, "tối đa 2000 ký tự"),
    ],
)
def test_request_supplement_refuses_oversized_lists_and_reasons(client, world, over, message):
    d = receive(world)
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist)
    client.force_login(world.specialist)
    response = act(client, d, "request-supplement", **({"items": "Ảnh", "reason": "Thiếu"} | over))
    assert response.status_code == 400
    assert message in response.content.decode()
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS


def test_a_reason_longer_than_2000_characters_is_refused(client, world):
    d = receive(world)
    client.force_login(world.leader)
    response = act(client, d, "refuse", reason="x" * 2001)
    assert response.status_code == 400
    assert "tối đa 2000 ký tự" in response.content.decode()
    d.refresh_from_db()
    assert d.status == Status.RECEIVED
