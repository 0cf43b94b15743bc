"""The unit overview (/ho-so/tong-quan/): one row per commune for a provincial supervisor, sortable, each row
leading to that commune's own overview; scoped; a bounded number of queries; the export form."""

import re

import pytest
from django.urls import reverse

from cqtt.accounts.models import Role
from cqtt.dossiers import services as s
from cqtt.dossiers.models import DossierTally
from cqtt.dossiers.selectors import unit_overview
from cqtt.dossiers.services import dossier_intake
from tests.factories import make_commune, make_province, make_user

from .conftest import applicant, at, documents_for, receive

pytestmark = pytest.mark.django_db

OVERVIEW = "/ho-so/tong-quan/"


def _in_b(world, when):
    return dossier_intake(
        actor=world.counter_b,
        procedure_code=world.birth.code,
        applicant=applicant(),
        documents=documents_for(world.birth),
        at=when,
    ).dossier


def _finish(world, d, *, ready_at, counter):
    s.dossier_assign(
        actor=world.leader if counter == world.counter_a else counter,
        dossier=d,
        assignee=world.specialist if counter == world.counter_a else world.specialist_b,
        at=ready_at,
    )
    approver = world.leader if counter == world.counter_a else _leader_b(world)
    s.dossier_approve(actor=approver, dossier=d, at=ready_at)
    s.dossier_mark_ready(actor=approver, dossier=d, at=ready_at)
    s.dossier_return_result(actor=counter, dossier=d, collected_by="Bình", at=ready_at)


def _leader_b(world):
    leader = getattr(world, "leader_b", None)
    if leader is None:
        leader = world.leader_b = make_user("lanhdao2", unit=world.b, role=Role.LEADER)
    return leader


@pytest.fixture
def province(world, frozen_clock):
    """Now is Tue 24/11/2026 10:00. Ward A: two open dossiers (one overdue), one returned on time. Ward B: one
    open, one returned late. A supervisor of the city; a leader of another province."""
    receive(world, when=at(2026, 11, 23, 9, 0))
    receive(world, when=at(2026, 11, 16, 9, 0))  # due 19/11: overdue now
    _finish(
        world,
        receive(world, when=at(2026, 11, 16, 9, 30)),
        ready_at=at(2026, 11, 17, 9),
        counter=world.counter_a,
    )
    _in_b(world, at(2026, 11, 23, 9, 0))
    _finish(
        world, _in_b(world, at(2026, 11, 16, 9, 0)), ready_at=at(2026, 11, 23, 9), counter=world.counter_b
    )
    world.supervisor = make_user("tinh", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR)
    other = make_province("20", "Tỉnh Lạng Sơn")
    world.far_commune = make_commune(other, code="06040", name="Xã Tràng Định")
    world.far_leader = make_user("lanhdao_ls", unit=world.far_commune, role=Role.LEADER)
    return world


def _rows(html: str) -> list[list[str]]:
    body = html.split('data-testid="communes"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in rows
    ]


def test_supervisor_sees_one_row_per_commune_with_its_figures(client, province):
    client.force_login(province.supervisor)
    html = client.get(OVERVIEW).content.decode()
    assert _rows(html) == [
        ["Phường Thuận An", "2", "1", "0", "0,0%"],  # Vietnamese decimal comma
        ["Phường Thủ Dầu Một", "3", "2", "1", "100,0%"],
    ]
    assert "Tỷ lệ đúng hạn = số hồ sơ xử lý xong trước hoặc đúng hạn / tổng số hồ sơ đã xử lý xong" in html
    assert f'href="?unit={province.a.code}"' in html


def test_a_commune_with_nothing_finished_shows_a_dash(client, province):
    make_commune(province.city, code="25999", name="Phường Mới")
    client.force_login(province.supervisor)
    rows = _rows(client.get(OVERVIEW, {"sort": "-on_time_rate"}).content.decode())
    assert rows[-1] == ["Phường Mới", "0", "0", "0", "—"]  # "—" last whichever way the rate is sorted
    rows = _rows(client.get(OVERVIEW, {"sort": "on_time_rate"}).content.decode())
    assert rows[-1][0] == "Phường Mới" and rows[0][0] == "Phường Thuận An"


@pytest.mark.parametrize(
    "sort, first",
    [
        ("name", "Phường Thuận An"),
        ("-name", "Phường Thủ Dầu Một"),
        ("-received", "Phường Thủ Dầu Một"),
        ("received", "Phường Thuận An"),
        ("-open", "Phường Thủ Dầu Một"),
        ("-overdue", "Phường Thủ Dầu Một"),
        ("overdue", "Phường Thuận An"),
        ("-on_time_rate", "Phường Thủ Dầu Một"),
        ("applicant_phone", "Phường Thuận An"),  # not in the whitelist: by name
        ("-id; DROP TABLE", "Phường Thuận An"),
    ],
)
def test_communes_sort_by_each_column_on_the_server(client, province, sort, first):
    client.force_login(province.supervisor)
    assert _rows(client.get(OVERVIEW, {"sort": sort}).content.decode())[0][0] == first


def test_header_links_sort_and_say_which_column_is_sorted(client, province):
    client.force_login(province.supervisor)
    html = client.get(OVERVIEW, {"sort": "-overdue"}).content.decode()
    assert 'aria-sort="descending"' in html
    assert 'href="?sort=overdue"' in html  # a second click turns the order round
    assert 'href="?sort=-received"' in html and 'href="?sort=name"' in html  # figures: largest first


def test_a_row_leads_to_that_communes_own_overview(client, province):
    client.force_login(province.supervisor)
    response = client.get(OVERVIEW, {"unit": province.a.code})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tổng quan hồ sơ: Phường Thủ Dầu Một" in html
    data = unit_overview(user=province.supervisor, unit_code=province.a.code)
    counts = {r["status"]: r["count"] for r in data["by_status"]}
    assert counts["returned"] == 1 and data["overdue_open"] == 1 and data["finished"] == 1
    assert data["communes"] == []


def test_wrong_unit_users_get_404(client, province):
    client.force_login(province.leader)  # ward A's leader asks for ward B
    assert client.get(OVERVIEW, {"unit": province.b.code}).status_code == 404
    assert client.get(OVERVIEW, {"unit": province.a.code}).status_code == 200
    client.force_login(province.supervisor)  # the city's supervisor asks for another province's commune
    assert client.get(OVERVIEW, {"unit": province.far_commune.code}).status_code == 404
    assert client.get(OVERVIEW, {"unit": "không-có"}).status_code == 404
    client.force_login(province.far_leader)  # and sees nothing of the city
    html = client.get(OVERVIEW).content.decode()
    assert "Phường Thủ Dầu Một" not in html and 'data-testid="communes"' not in html
    assert client.get(OVERVIEW, {"unit": province.city.code}).status_code == 404


def test_province_overview_query_count_does_not_grow_with_communes(
    client, province, django_assert_max_num_queries
):
    client.force_login(province.supervisor)
    client.get(OVERVIEW)  # fills the cached permission scope, as in steady use
    # session, user, units, open dossiers by state, finished tallies, open dossiers by handling unit
    with django_assert_max_num_queries(6):
        assert client.get(OVERVIEW, {"sort": "-overdue"}).status_code == 200
    for n in range(6):  # six more communes, each with finished dossiers (as the generator writes them)
        commune = make_commune(province.city, code=f"2600{n}", name=f"Phường Thêm {n}")
        DossierTally.objects.create(unit=commune, status="returned", timeliness="on_time", count=10 + n)
    client.get(OVERVIEW)
    with django_assert_max_num_queries(6):
        html = client.get(OVERVIEW, {"sort": "-overdue"}).content.decode()
    assert len(_rows(html)) == 8


# --- the export form ---------------------------------------------------------------------------------------


def test_export_form_sends_to_the_chosen_export_with_unit_and_period(client, province):
    client.force_login(province.supervisor)
    response = client.get(
        OVERVIEW,
        {
            "export-unit": province.b.code,
            "export-start": "01/11/2026",
            "export-end": "30/11/2026",
            "export-target": "book_xlsx",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("dossiers:tracking_book_xlsx") + f"?unit={province.b.code}&from=2026-11-01&to=2026-11-30"
    )
    empty = client.get(
        OVERVIEW, {"export-unit": "", "export-start": "", "export-end": "", "export-target": "list_xlsx"}
    )
    assert empty["Location"] == reverse("dossiers:list_xlsx")  # today's default: every dossier


@pytest.mark.parametrize(
    "start, end, message",
    [
        ("2026-11-01", "30/11/2026", "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 23/11/2026."),
        ("31/02/2026", "30/11/2026", "Nhập ngày theo dạng ngày/tháng/năm"),
        ("30/11/2026", "01/11/2026", "“Đến ngày” phải sau hoặc trùng “từ ngày”."),
        ("01/01/2025", "02/01/2026", "Mỗi lần chỉ xuất tối đa 366 ngày"),
        ("01/11/2026", "", "Nhập cả “từ ngày” và “đến ngày”, hoặc để trống cả hai."),
    ],
)
def test_bad_export_input_is_explained_and_nothing_typed_is_lost(client, province, start, end, message):
    client.force_login(province.supervisor)
    response = client.get(
        OVERVIEW,
        {
            "export-unit": province.a.code,
            "export-start": start,
            "export-end": end,
            "export-target": "book_pdf",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'value="{start}"' in html and (not end or f'value="{end}"' in html)
    assert f'<option value="{province.a.code}" selected>' in html
    assert 'data-testid="communes"' in html  # the overview is still there


def test_export_form_offers_only_units_the_user_reaches(client, province):
    client.force_login(province.leader)
    html = client.get(OVERVIEW).content.decode()
    assert f'<option value="{province.a.code}"' in html and f'<option value="{province.b.code}"' not in html
    response = client.get(OVERVIEW, {"export-unit": province.b.code, "export-target": "book_xlsx"})
    assert response.status_code == 400 and "Location" not in response


def test_exports_read_dd_mm_yyyy_and_the_list_takes_a_period(client, province):
    import io

    from openpyxl import load_workbook

    client.force_login(province.supervisor)
    book = client.get(reverse("dossiers:tracking_book_xlsx"), {"from": "16/11/2026", "to": "16/11/2026"})
    assert book.status_code == 200
    listed = client.get(reverse("dossiers:list_xlsx"), {"from": "16/11/2026", "to": "16/11/2026"})
    ws = load_workbook(io.BytesIO(b"".join(listed.streaming_content)), read_only=True).active
    assert len([r for r in ws.iter_rows(min_row=2, values_only=True) if any(r)]) == 3  # submitted on 16/11
    everything = client.get(reverse("dossiers:list_xlsx"))
    ws = load_workbook(io.BytesIO(b"".join(everything.streaming_content)), read_only=True).active
    assert len([r for r in ws.iter_rows(min_row=2, values_only=True) if any(r)]) == 5
    assert client.get(reverse("dossiers:list_xlsx"), {"from": "16/11/2026"}).status_code == 400
