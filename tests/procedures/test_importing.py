import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from cqtt.core.errors import ServiceError
from cqtt.core.models import AuditEvent
from cqtt.procedures.columns import COLUMNS, HEADERS, record_from_procedure
from cqtt.procedures.exporting import export_csv, export_xlsx
from cqtt.procedures.models import Procedure
from cqtt.procedures.selectors import procedure_records_for_export
from cqtt.procedures.services import procedures_import
from tests.factories import make_user

pytestmark = pytest.mark.django_db

GOOD = {
    "code": "1.001193",
    "name": "Đăng ký khai sinh",
    "field_code": "HT",
    "competent_level": "Cấp xã",
    "duration": "Trong ngày",
    "online_level": "Một phần",
    "life_event": "Khai sinh",
    "legal_basis": "Luật Hộ tịch số 60/2014/QH13",
    "result": "Giấy khai sinh",
    "valid_from": "01/07/2025",
    "units": "25747, 25777",
    "documents": "Tờ khai đăng ký khai sinh | bản chính | 1\nGiấy chứng sinh | bản chính hoặc bản sao | 1 | nếu có",
    "fees": "Lệ phí đăng ký khai sinh | 8.000 đ | miễn cho trẻ em hộ nghèo",
}


def rows_to_csv(rows: list[dict]) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in COLUMNS])
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in COLUMNS])
    return io.BytesIO(out.getvalue().encode("utf-8"))


def rows_to_xlsx(rows: list[dict]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in COLUMNS])
    for row in rows:
        ws.append([row.get(c.key, "") for c in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


@pytest.fixture
def superuser(db):
    return make_user(is_superuser=True, is_staff=True)


@pytest.mark.parametrize(("maker", "name"), [(rows_to_csv, "dm.csv"), (rows_to_xlsx, "dm.xlsx")])
def test_good_file_imports(maker, name, superuser, civil, commune, commune2):
    marriage = GOOD | {
        "code": "DP.HT.02",
        "name": "Đăng ký kết hôn",
        "life_event": "Kết hôn",
        "duration": "0,5 ngày làm việc",
        "units": "25747",
        "fees": "",
    }

    report = procedures_import(actor=superuser, file=maker([GOOD, marriage]), filename=name)

    assert report.ok, report.errors
    assert (report.created, report.updated) == (2, 0)
    birth = Procedure.objects.get(code="1.001193")
    assert birth.duration_unit == "same_day" and birth.life_event == "birth_registration"
    assert (
        birth.online_level == "mot_phan"
        and birth.valid_from == dt.date(2025, 7, 1)
        and birth.valid_to is None
    )
    assert set(birth.units.values_list("code", flat=True)) == {"25747", "25777"}
    assert [(d.name, d.kind, d.note) for d in birth.documents.all()] == [
        ("Tờ khai đăng ký khai sinh", "original", ""),
        ("Giấy chứng sinh", "original_or_copy", "nếu có"),
    ]
    assert [(f.amount, f.exemptions) for f in birth.fees.all()] == [(8000, "miễn cho trẻ em hộ nghèo")]
    assert str(Procedure.objects.get(code="DP.HT.02").duration_amount) == "0.5"
    assert AuditEvent.objects.filter(action="procedures.imported").count() == 1


def test_bad_file_reports_every_bad_row_and_imports_nothing(superuser, civil, commune):
    rows = [
        GOOD,  # row 2: good
        GOOD | {"code": "A.1", "field_code": "XX"},  # 3: unknown field
        GOOD | {"code": "A.2", "duration": "năm ngày"},  # 4: bad duration
        GOOD | {"code": "A.3", "units": "25747, 99999"},  # 5: unknown unit
        GOOD,  # 6: duplicate of row 2
        GOOD | {"code": "A.4", "fees": "Lệ phí | tám nghìn"},  # 7: bad fee amount
        GOOD | {"code": "A.5", "valid_from": "31/02/2025"},  # 8: bad date
        GOOD | {"code": "A.6", "online_level": "Mức 4"},  # 9: bad online level
        GOOD | {"code": "A.7", "documents": "Tờ khai | bản photo | 1"},  # 10: bad document kind
        GOOD | {"code": "A.8", "name": ""},  # 11: missing name
    ]

    report = procedures_import(
        actor=superuser,
        file=rows_to_csv([r | {"units": r["units"].replace("25777", "")} for r in rows]),
        filename="x.csv",
    )

    assert not report.ok
    by_row = {}
    for error in report.errors:
        by_row.setdefault(error.row, []).append(error)
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert by_row[3][0].column == HEADERS["field_code"] and "XX" in by_row[3][0].message
    assert by_row[4][0].column == HEADERS["duration"]
    assert by_row[5][0].column == HEADERS["units"] and "99999" in by_row[5][0].message
    assert "dòng 2" in by_row[6][0].message
    assert by_row[7][0].column == HEADERS["fees"]
    assert by_row[8][0].column == HEADERS["valid_from"]
    assert by_row[9][0].column == HEADERS["online_level"]
    assert by_row[10][0].column == HEADERS["documents"]
    assert by_row[11][0].column == HEADERS["name"]
    assert Procedure.objects.count() == 0
    assert not AuditEvent.objects.filter(action="procedures.imported").exists()


@pytest.mark.parametrize(
    ("content", "name", "needle"),
    [
        (b"", "x.csv", "không có dữ liệu"),
        (b"\xff\xfe\x00bad", "x.csv", "UTF-8"),
        (b"not a zip", "x.xlsx", "Excel"),
        ("Mã thủ tục,Cột lạ\n1,2\n".encode(), "x.csv", "Cột lạ"),
        (b"abc", "x.pdf", ".xlsx"),
    ],
)
def test_unreadable_file_is_reported(superuser, content, name, needle):
    report = procedures_import(actor=superuser, file=io.BytesIO(content), filename=name)
    assert not report.ok
    assert any(needle.lower() in e.message.lower() or needle == e.column for e in report.errors)


def test_new_version_in_file_closes_the_open_one(superuser, catalogue):
    report = procedures_import(
        actor=superuser, file=rows_to_csv([GOOD | {"valid_from": "01/01/2026"}]), filename="x.csv"
    )
    assert report.ok, report.errors
    assert report.closed == 1
    catalogue["birth"].refresh_from_db()
    assert catalogue["birth"].valid_to == dt.date(2025, 12, 31)


def test_overlapping_versions_in_file_are_refused(superuser, civil, commune):
    rows = [GOOD | {"valid_to": "", "units": "25747"}, GOOD | {"valid_from": "01/01/2026", "units": "25747"}]
    report = procedures_import(actor=superuser, file=rows_to_csv(rows), filename="x.csv")
    assert [e.row for e in report.errors] == [3]
    assert Procedure.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trips(fmt, superuser, catalogue):
    before = [record_from_procedure(p) for p in Procedure.objects.order_by("code")]
    data = (export_csv if fmt == "csv" else export_xlsx)(procedure_records_for_export(user=superuser))

    report = procedures_import(actor=superuser, file=io.BytesIO(data), filename=f"dm.{fmt}")

    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 3)
    after = [record_from_procedure(p) for p in Procedure.objects.order_by("code")]
    assert after == before
    # into an empty catalogue too
    Procedure.objects.all().delete()
    assert procedures_import(actor=superuser, file=io.BytesIO(data), filename=f"dm.{fmt}").created == 3
    assert [record_from_procedure(p) for p in Procedure.objects.order_by("code")] == before


def test_xlsx_export_keeps_codes_as_text(superuser, catalogue):
    sheet = load_workbook(io.BytesIO(export_xlsx(procedure_records_for_export(user=superuser)))).active
    assert {sheet.cell(row=r, column=1).value for r in range(2, 5)} == {"1.001193", "2.000815", "DP.HT.02"}


def test_unit_codes_outside_the_importers_units_are_refused(civil, commune, far_commune):
    admin = make_user(unit=commune, role="unit_admin")

    report = procedures_import(
        actor=admin, file=rows_to_csv([GOOD | {"units": "25747, 00004"}]), filename="x.csv"
    )

    assert [(e.row, e.column) for e in report.errors] == [(2, HEADERS["units"])]
    assert "00004" in report.errors[0].message
    assert Procedure.objects.count() == 0


def test_provincial_supervisor_imports_for_communes_of_its_province(civil, province, commune, commune2):
    # given a supervisor of the province holding both communes
    supervisor = make_user(unit=province, role="provincial_supervisor")
    report = procedures_import(actor=supervisor, file=rows_to_csv([GOOD]), filename="x.csv")
    assert report.ok, report.errors


def test_unit_admin_may_not_change_content_shared_with_other_units(catalogue, commune):
    admin = make_user(unit=commune, role="unit_admin")
    # the birth registration version is also offered by commune2, which this admin does not manage
    changed = GOOD | {
        "name": "Tên đã sửa",
        "units": "25747",
        "fees": "Lệ phí đăng ký khai sinh | 0 | Miễn khi đăng ký đúng hạn",
    }
    report = procedures_import(actor=admin, file=rows_to_csv([changed]), filename="x.csv")
    assert [e.column for e in report.errors] == [HEADERS["code"]]

    # exporting and importing back its own view is fine and leaves commune2 untouched
    data = export_csv(procedure_records_for_export(user=admin))
    report = procedures_import(actor=admin, file=io.BytesIO(data), filename="x.csv")
    assert report.ok, report.errors
    assert set(catalogue["birth"].units.values_list("code", flat=True)) == {"25747", "25777"}


def test_counter_officer_cannot_import(commune):
    officer = make_user(unit=commune, role="counter_officer")
    with pytest.raises(ServiceError):
        procedures_import(actor=officer, file=rows_to_csv([GOOD]), filename="x.csv")
