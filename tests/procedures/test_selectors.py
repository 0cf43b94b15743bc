import datetime as dt

import pytest
import time_machine

from cqtt.procedures.selectors import procedure_get_public, procedure_in_force, procedure_list_public
from cqtt.procedures.services import procedure_new_version

from .conftest import make_procedure

pytestmark = pytest.mark.django_db


def test_version_in_force_on_a_date(civil, commune):
    old = make_procedure(
        code="1.001193",
        name="Đăng ký khai sinh (cũ)",
        field=civil,
        units=[commune],
        valid_from=dt.date(2024, 1, 1),
    )
    new = procedure_new_version(previous=old, valid_from=dt.date(2025, 7, 1))

    assert procedure_in_force(code="1.001193", at=dt.date(2023, 12, 31)) is None
    assert procedure_in_force(code="1.001193", at=dt.date(2024, 1, 1)) == old
    assert procedure_in_force(code="1.001193", at=dt.date(2025, 6, 30)) == old
    assert procedure_in_force(code="1.001193", at=dt.date(2025, 7, 1)) == new
    assert procedure_in_force(code="1.001193", at=dt.date(2030, 1, 1)) == new
    assert procedure_in_force(code="9.999999", at=dt.date(2025, 7, 1)) is None


def test_closed_version_is_not_in_force_after_valid_to(civil):
    make_procedure(
        code="X.1",
        name="Thủ tục đã bãi bỏ",
        field=civil,
        valid_from=dt.date(2024, 1, 1),
        valid_to=dt.date(2024, 12, 31),
    )
    assert procedure_in_force(code="X.1", at=dt.date(2024, 12, 31)) is not None
    assert procedure_in_force(code="X.1", at=dt.date(2025, 1, 1)) is None


@pytest.mark.parametrize(
    "query", ["khai sinh", "dang ky khai sinh", "ĐĂNG KÝ", "Khai  SINH", "1.001193", "ho tich sinh"]
)
def test_search_ignores_case_and_diacritics(catalogue, query):
    names = [p.name for p in procedure_list_public(q=query)]
    assert "Đăng ký khai sinh" in names


def test_search_needs_every_word(catalogue):
    assert [p.name for p in procedure_list_public(q="đăng ký kết hôn")] == ["Đăng ký kết hôn"]
    assert list(procedure_list_public(q="khai sinh chứng thực")) == []


def test_filter_by_field_and_unit(catalogue, commune, commune2):
    assert {p.code for p in procedure_list_public(field="CT")} == {"2.000815"}
    assert {p.code for p in procedure_list_public(unit=commune.code)} == {"1.001193", "DP.HT.02"}
    assert {p.code for p in procedure_list_public(unit=commune2.code, field="HT")} == {"1.001193"}


def test_public_list_shows_only_versions_in_force_today(civil, commune):
    make_procedure(code="A.1", name="Thủ tục sắp có hiệu lực", field=civil, valid_from=dt.date(2031, 1, 1))
    make_procedure(code="A.2", name="Thủ tục đang hiệu lực", field=civil, valid_from=dt.date(2025, 1, 1))
    with time_machine.travel(dt.date(2026, 3, 2)):
        assert [p.code for p in procedure_list_public()] == ["A.2"]
        assert procedure_get_public(code="A.1") is None


def test_parts_read_at_intake_follow_every_change_of_the_version(civil, commune):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cqtt.procedures.models import Fee, RequiredDocument
    from cqtt.procedures.selectors import procedure_documents, procedure_fees, procedure_offered_at
    from cqtt.procedures.services import procedure_fee_save, procedure_part_delete
    from tests.factories import make_commune

    other = make_commune(commune.parent, name="Xã Khác")
    make_procedure(
        code="2.000",
        name="Chứng thực bản sao",
        field=civil,
        units=[commune],
        fees=[("Lệ phí", 2000, "")],
        documents=[("Bản chính", "original", 1)],
    )
    at = dt.date(2025, 8, 1)

    def read():
        v = procedure_in_force(code="2.000", at=at)
        docs = [d.name for d in procedure_documents(procedure=v)]
        fees = [(f.name, f.amount) for f in procedure_fees(procedure=v)]
        return (
            docs,
            fees,
            procedure_offered_at(procedure=v, unit=commune),
            procedure_offered_at(procedure=v, unit=other),
        )

    assert read() == (["Bản chính"], [("Lệ phí", 2000)], True, False)
    version = procedure_in_force(code="2.000", at=at)
    with CaptureQueriesContext(connection) as ctx:
        procedure_fees(procedure=version), procedure_documents(procedure=version)
        procedure_offered_at(procedure=version, unit=commune)
    assert len(ctx.captured_queries) == 0  # the same version: from memory

    procedure_fee_save(fee=Fee(procedure=version, order=2, name="Phí", amount=5000))  # a service
    assert read()[1] == [("Lệ phí", 2000), ("Phí", 5000)]
    fee = Fee.objects.get(procedure=version, name="Phí")
    fee.amount = 7000
    fee.save()  # the admin's inline, or any other save
    assert read()[1] == [("Lệ phí", 2000), ("Phí", 7000)]
    procedure_part_delete(part=fee)
    assert read()[1] == [("Lệ phí", 2000)]
    RequiredDocument.objects.create(procedure=version, order=2, name="Tờ khai", kind="original", count=1)
    assert read()[0] == ["Bản chính", "Tờ khai"]
    version.units.add(other)
    assert read()[2:] == (True, True)
    other.procedures.remove(version)  # from the unit's side
    assert read()[2:] == (True, False)
    other.procedures.add(version)
    assert read()[2:] == (True, True)
    commune.procedures.clear()
    other.procedures.clear()
    assert read()[2:] == (True, True)  # listed nowhere: offered everywhere
    version.units.set([commune])
    assert read()[2:] == (True, False)
