"""Tracking book (xlsx and A4 landscape PDF) and the dossier list as xlsx."""

import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cqtt.accounts.models import Role
from cqtt.dossiers import services as s
from cqtt.dossiers.models import Status
from cqtt.dossiers.printouts import exports, printing
from tests.factories import make_user

from .conftest import applicant, at, documents_for, receive

pytestmark = pytest.mark.django_db

MM = 96 / 25.4
A4_LANDSCAPE = (297 * MM, 210 * MM)
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}
BOOK_XLSX = reverse("dossiers:tracking_book_xlsx")
BOOK_PDF = reverse("dossiers:tracking_book_pdf")
LIST_XLSX = reverse("dossiers:list_xlsx")


def _receive_in_b(world, when):
    return s.dossier_intake(
        actor=world.counter_b,
        procedure_code="1.001193",
        applicant=applicant(full_name="Võ Thị Cúc"),
        documents=documents_for(world.birth),
        at=when,
    ).dossier


def _sheet_rows(response, first_data_row):
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content), read_only=True).active
    return [row for row in ws.iter_rows(min_row=first_data_row, values_only=True) if any(row)]


# --- date range --------------------------------------------------------------------------------------------


def test_default_range_is_the_current_month():
    period = exports.parse_range({}, today=dt.date(2026, 2, 14))
    assert (period.start, period.end) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    period = exports.parse_range({}, today=dt.date(2026, 12, 31))
    assert (period.start, period.end) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


@pytest.mark.parametrize(
    "params",
    [
        {"from": "31/11/2026"},
        {"from": "23-11-2026"},
        {"from": "2026-02-30"},
        {"to": "hôm nay"},
        {"from": "2026-11-30", "to": "2026-11-01"},
        {"from": "2025-01-01", "to": "2026-01-02"},
    ],
)
def test_bad_or_too_long_ranges_are_refused(params):
    with pytest.raises(exports.BadRange):
        exports.parse_range(params)


def test_a_whole_leap_year_is_allowed():
    period = exports.parse_range({"from": "2028-01-01", "to": "2028-12-31"})
    assert (period.end - period.start).days + 1 == 366


def test_period_bounds_are_vietnam_days():
    lo, hi = exports.DateRange(dt.date(2026, 11, 1), dt.date(2026, 11, 30)).bounds
    assert lo == at(2026, 11, 1, 0, 0) and hi == at(2026, 12, 1, 0, 0)


def test_bad_from_is_400_with_a_vietnamese_message(world, client):
    client.force_login(world.counter_a)
    for url in (BOOK_XLSX, BOOK_PDF):
        response = client.get(url, {"from": "23-11-2026"})
        assert response.status_code == 400
        assert "không hợp lệ" in response.content.decode()


def test_range_over_366_days_is_400(world, client):
    client.force_login(world.counter_a)
    response = client.get(BOOK_XLSX, {"from": "2025-01-01", "to": "2026-06-30"})
    assert response.status_code == 400
    assert "366" in response.content.decode()


# --- tracking book -----------------------------------------------------------------------------------------


def test_tracking_book_xlsx_lists_the_dossiers_received_in_range_and_no_other_commune(world, client):
    first = receive(world, when=at(2026, 11, 2, 9, 0))
    second = receive(world, when=at(2026, 11, 30, 16, 0))
    receive(world, when=at(2026, 12, 1, 8, 0))  # after the range
    _receive_in_b(world, at(2026, 11, 10, 9, 0))  # another commune
    s.dossier_intake(  # never received: not in the book
        actor=world.counter_a,
        procedure_code="1.001193",
        applicant=applicant(),
        documents=documents_for(world.birth, missing=0),
        at=at(2026, 11, 3, 9, 0),
    )
    client.force_login(world.counter_a)
    response = client.get(BOOK_XLSX, NOVEMBER)
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert "so-theo-doi-20261101-20261130.xlsx" in response["Content-Disposition"]
    rows = _sheet_rows(response, 5)
    assert [(r[0], r[1]) for r in rows] == [(1, first.code), (2, second.code)]
    row = rows[0]
    assert row[2] == "Đăng ký khai sinh" and row[3] == 1 and row[4] == "Phạm Văn Bình"
    assert row[5] == "12 Đường Bạch Đằng; ĐT: 0912345678"
    assert row[7].date() == dt.date(2026, 11, 2)  # Ngày nhận
    assert row[8].date() == dt.date(2026, 11, 5)  # Ngày hẹn trả


def test_tracking_book_shows_hand_over_result_and_return(world, client):
    d = receive(world, when=at(2026, 11, 23, 9, 0))
    d = s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 23, 10, 0))
    d = s.dossier_approve(actor=world.leader, dossier=d, at=at(2026, 11, 25, 9, 0))
    d = s.dossier_mark_ready(actor=world.leader, dossier=d, at=at(2026, 11, 25, 10, 0))
    s.dossier_return_result(
        actor=world.counter_a, dossier=d, collected_by="Phạm Văn Bình", at=at(2026, 11, 26, 8, 0)
    )
    client.force_login(world.counter_a)
    (row,) = _sheet_rows(client.get(BOOK_XLSX, {**NOVEMBER, "unit": world.a.code}), 5)
    assert row[9] == "Phường Thủ Dầu Một (23/11/2026)"
    assert row[10].date() == dt.date(2026, 11, 25)
    assert row[11].date() == dt.date(2026, 11, 26)


def test_provincial_supervisor_gets_both_communes_in_unit_then_entry_order(world, client):
    b1 = _receive_in_b(world, at(2026, 11, 4, 9, 0))
    a1 = receive(world, when=at(2026, 11, 5, 9, 0))
    a2 = receive(world, when=at(2026, 11, 6, 9, 0))
    supervisor = make_user("giamsat", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR)
    client.force_login(supervisor)
    rows = _sheet_rows(client.get(BOOK_XLSX, NOVEMBER), 5)
    by_path = sorted([(world.a.path, a1), (world.a.path, a2), (world.b.path, b1)], key=lambda p: p[0])
    assert [r[1] for r in rows] == [d.code for _p, d in by_path]
    only_b = _sheet_rows(client.get(BOOK_XLSX, {**NOVEMBER, "unit": world.b.code}), 5)
    assert [r[1] for r in only_b] == [b1.code]


def test_unit_the_user_cannot_see_is_404(world, client):
    client.force_login(world.counter_a)
    assert client.get(BOOK_XLSX, {**NOVEMBER, "unit": world.b.code}).status_code == 404
    assert client.get(BOOK_PDF, {**NOVEMBER, "unit": "khong-co"}).status_code == 404


def test_tracking_book_pdf_is_a4_landscape_with_every_entry(world, client):
    first = receive(world, when=at(2026, 11, 2, 9, 0))
    second = receive(world, when=at(2026, 11, 3, 9, 0))
    _receive_in_b(world, at(2026, 11, 10, 9, 0))
    client.force_login(world.counter_a)
    response = client.get(BOOK_PDF, {**NOVEMBER, "unit": world.a.code})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="so-theo-doi-25747-20261101-20261130.pdf"' in response["Content-Disposition"]

    period = exports.DateRange(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    rows = exports.tracking_book_rows(user=world.counter_a, period=period)
    context = printing.tracking_book_context(
        user=world.counter_a, start=period.start, end=period.end, unit=world.a, rows=rows
    )
    html = printing.render_html("dossiers/print/tracking_book.html", context)
    assert first.code in html and second.code in html and "Võ Thị Cúc" not in html
    assert "SỔ THEO DÕI HỒ SƠ" in html and "Từ ngày 01/11/2026 đến ngày 30/11/2026" in html
    assert "Cơ quan chủ trì giải quyết" in html and "Trả kết quả cho cá nhân, tổ chức" in html
    page = printing.html_to_document(html).pages[0]
    assert (page.width, page.height) == pytest.approx(A4_LANDSCAPE, abs=1)


def test_tracking_book_pdf_refuses_too_many_rows(world, client, monkeypatch):
    monkeypatch.setattr(exports, "BOOK_PDF_MAX_ROWS", 1)
    receive(world, when=at(2026, 11, 2, 9, 0))
    receive(world, when=at(2026, 11, 3, 9, 0))
    client.force_login(world.counter_a)
    response = client.get(BOOK_PDF, NOVEMBER)
    assert response.status_code == 400 and "Excel" in response.content.decode()


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [BOOK_XLSX, BOOK_PDF, LIST_XLSX])
def test_export_queries_do_not_grow_with_the_rows(world, client, url, django_assert_max_num_queries):
    client.force_login(world.counter_a)
    d = receive(world, when=at(2026, 11, 2, 9, 0))
    s.dossier_assign(actor=world.leader, dossier=d, assignee=world.specialist, at=at(2026, 11, 2, 10, 0))
    _queries(client, url, NOVEMBER)  # first request fills the cached permission scope
    few = _queries(client, url, NOVEMBER)
    for day in range(3, 9):
        receive(world, when=at(2026, 11, day, 9, 0))
    assert _queries(client, url, NOVEMBER) == few
    with django_assert_max_num_queries(12):
        client.get(url, NOVEMBER)


# --- dossier list ------------------------------------------------------------------------------------------


@time_machine.travel(at(2026, 11, 25, 12, 0), tick=False)
def test_dossier_list_xlsx_respects_status_overdue_and_unit(world, client):
    received = receive(world, when=at(2026, 11, 23, 9, 0))
    late = receive(world, when=at(2026, 11, 2, 9, 0))  # due 05/11, still open
    assigned = s.dossier_assign(
        actor=world.leader, dossier=receive(world, when=at(2026, 11, 24, 9, 0)), assignee=world.specialist
    )
    other = _receive_in_b(world, at(2026, 11, 23, 9, 0))
    client.force_login(world.counter_a)

    all_rows = _sheet_rows(client.get(LIST_XLSX), 2)
    assert {r[0] for r in all_rows} == {received.code, late.code, assigned.code}
    assert other.code not in {r[0] for r in all_rows}

    only_received = _sheet_rows(client.get(LIST_XLSX, {"status": Status.RECEIVED}), 2)
    assert {r[0] for r in only_received} == {received.code, late.code}
    assert only_received[0][3] == "Đã tiếp nhận, chờ phân công"

    overdue = _sheet_rows(client.get(LIST_XLSX, {"overdue": "1"}), 2)
    assert [r[0] for r in overdue] == [late.code]

    by_unit = _sheet_rows(client.get(LIST_XLSX, {"unit": world.b.code}), 2)
    assert by_unit == []


def test_dossier_list_xlsx_has_a_header_local_times_and_labels(world, client):
    d = receive(world, when=at(2026, 11, 23, 9, 0))
    client.force_login(world.counter_a)
    response = client.get(LIST_XLSX)
    assert response.status_code == 200 and response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in ws[1]][:4] == ["Mã hồ sơ", "Thủ tục", "Người nộp", "Trạng thái"]
    assert ws["A2"].value == d.code
    assert ws["E2"].value == dt.datetime(2026, 11, 23, 9, 0)  # Vietnam wall-clock time
    assert ws["E2"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["F2"].value == dt.datetime(2026, 11, 27, 17, 0)


def test_dossier_list_with_an_unknown_status_is_400(world, client):
    client.force_login(world.counter_a)
    assert client.get(LIST_XLSX, {"status": "khong-ton-tai"}).status_code == 400


def test_exports_need_a_login(world, client):
    for url in (BOOK_XLSX, BOOK_PDF, LIST_XLSX):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
