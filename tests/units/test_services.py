import pytest

from cqtt.core.errors import ServiceError
from cqtt.core.models import AuditEvent
from cqtt.units.models import Unit
from cqtt.units.services import unit_save, units_load_national
from tests.factories import make_commune, make_department, make_province

pytestmark = pytest.mark.django_db


def test_national_list_loads_34_provinces_and_3321_communes_and_is_idempotent():
    first = units_load_national()
    assert first.created == 34 + 3321
    assert Unit.objects.filter(level="province").count() == 34
    assert Unit.objects.filter(level="commune").count() == 3321
    assert Unit.objects.filter(kind="special_zone").count() == 13

    second = units_load_national()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 34 + 3321)
    assert AuditEvent.objects.filter(action="units.loaded").count() == 1


def test_national_communes_hang_below_their_province_with_paths():
    units_load_national()
    ward = Unit.objects.get(code="25747")
    assert ward.full_name == "Phường Thủ Dầu Một"
    assert ward.parent.code == "79"
    assert ward.path == "79/25747/"
    assert ward.province_code == "79"
    assert "thu dau mot" in ward.search_text
    assert Unit.objects.get(code="75").kind == "city"  # Đồng Nai became a centrally-run city in 2026


def test_department_below_a_commune_gets_path_and_province():
    commune = make_commune(make_province("97"))
    dept = make_department(commune)
    assert dept.path == f"97/{commune.code}/{dept.code}/"
    assert dept.province_code == "97"


def test_moving_a_unit_repaths_everything_below_it():
    old_province, new_province = make_province("95"), make_province("96")
    commune = make_commune(old_province)
    dept = make_department(commune)
    commune.parent = new_province
    unit_save(unit=commune)
    dept.refresh_from_db()
    assert dept.path.startswith("96/")
    assert dept.province_code == "96"


def test_a_unit_cannot_be_moved_below_itself():
    commune = make_commune(make_province("94"))
    dept = make_department(commune)
    commune.parent = dept
    with pytest.raises(ServiceError):
        unit_save(unit=commune)


def test_unit_save_normalises_names_and_writes_an_audit_event():
    province = make_province("93")
    unit = unit_save(
        unit=Unit(
            code="93001",
            name="Xa\u0303 Thư\u0309",
            full_name="",
            level="commune",
            kind="commune",
            parent=province,
        )
    )
    assert unit.name == "Xã Thử"
    assert unit.full_name == "Xã Thử"
    assert AuditEvent.objects.filter(action="unit.created", object_id=str(unit.pk)).exists()
