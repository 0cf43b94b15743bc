import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cqtt.core.models import AuditEvent
from cqtt.procedures.models import Procedure
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def inline(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data |= {f"{prefix}-{i}-{k}": v for k, v in row.items()}
    return data


def test_admin_creates_a_version_with_documents_and_fees_through_services(client, civil, commune):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    data = {
        "code": "1.001193",
        "name": "Đăng ky\u0301 khai sinh",
        "field": civil.pk,
        "competent_level": "commune",
        "units": [commune.pk],
        "duration_amount": "3",
        "duration_unit": "working_days",
        "legal_basis": "",
        "result": "",
        "online_level": "mot_phan",
        "life_event": "birth_registration",
        "valid_from": "01/07/2025",
    }
    data |= inline(
        "documents", [{"order": "1", "name": "Tờ khai", "kind": "original", "count": "1", "note": ""}]
    )
    data |= inline("fees", [{"order": "1", "name": "Lệ phí", "amount": "8000", "exemptions": ""}])
    data |= inline(
        "steps", [{"order": "1", "name": "Thẩm định", "role": "specialist", "allotted_days": "2.5"}]
    )

    response = client.post(reverse("admin:procedures_procedure_add"), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.name == "Đăng ký khai sinh" and procedure.search_text.startswith("dang ky khai sinh")
    assert list(procedure.units.all()) == [commune]
    assert procedure.valid_from == dt.date(2025, 7, 1)  # dd/mm/yyyy, as Vietnamese offices write dates
    assert [(st.name, str(st.allotted_days)) for st in procedure.steps.all()] == [("Thẩm định", "2.50")]
    assert procedure.documents.get().name == "Tờ khai" and procedure.fees.get().amount == 8000
    assert AuditEvent.objects.filter(action="procedure.fee_saved").exists()
    assert client.get(reverse("admin:procedures_procedure_changelist")).status_code == 200
    assert client.get(reverse("admin:procedures_procedure_change", args=[procedure.pk])).status_code == 200


def test_admin_list_of_unit_admin_is_scoped(client, catalogue, commune):
    admin = make_user(unit=commune, role="unit_admin", is_staff=True)
    admin.user_permissions.add(*Permission.objects.filter(codename__endswith="procedure"))
    client.force_login(admin)
    html = client.get(reverse("admin:procedures_procedure_changelist")).content.decode()
    assert "DP.HT.02" in html and "2.000815" not in html


# --- a unit administrator cannot change another commune's catalogue (outside probe, issue 11) ---------------


def _unit_admin(client, commune):
    from cqtt.accounts.services import unit_admin_group_ensure

    admin = make_user(unit=commune, role="unit_admin", is_staff=True)
    admin.groups.add(unit_admin_group_ensure())
    client.force_login(admin)
    return admin


def _version_form(civil, **over) -> dict:
    data = {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": civil.pk,
        "competent_level": "commune",
        "units": [],
        "duration_amount": "1",
        "duration_unit": "working_days",
        "legal_basis": "",
        "result": "",
        "online_level": "mot_phan",
        "life_event": "birth_registration",
        "valid_from": "24/11/2026",
    }
    data |= over
    data |= inline("documents", [])
    data |= inline("fees", [{"order": "1", "name": "Lệ phí", "amount": "5000000", "exemptions": ""}])
    data |= inline("steps", [])
    return data


@pytest.mark.usefixtures("frozen_clock")
def test_unit_admin_cannot_add_a_version_of_a_code_other_communes_use(client, catalogue, civil, commune):
    # given 1.001193 is offered by commune and commune2; the admin administers only commune
    _unit_admin(client, commune)
    created = AuditEvent.objects.filter(action="procedure.created").count()
    for units in ([], [commune.pk]):
        # when it posts a new version from today, with no units or with its own unit only
        r = client.post(reverse("admin:procedures_procedure_add"), _version_form(civil, units=units))
        # then the form is refused with a Vietnamese message and nothing is written
        assert r.status_code == 200
        assert "còn được đơn vị ngoài phạm vi bạn quản lý" in r.content.decode()
    assert Procedure.objects.filter(code="1.001193").count() == 1
    assert AuditEvent.objects.filter(action="procedure.created").count() == created


@pytest.mark.usefixtures("frozen_clock")
def test_unit_admin_cannot_add_a_version_without_units_or_of_a_national_code(
    client, catalogue, civil, commune
):
    from tests.procedures.conftest import make_procedure

    _unit_admin(client, commune)
    r = client.post(
        reverse("admin:procedures_procedure_add"), _version_form(civil, code="9.000001", units=[])
    )
    assert r.status_code == 200 and "Cần ít nhất một đơn vị thực hiện do bạn quản lý." in r.content.decode()
    national = make_procedure(code="1.000894", name="Đăng ký khai tử", field=civil)  # no units: every commune
    r = client.post(
        reverse("admin:procedures_procedure_add"), _version_form(civil, code="1.000894", units=[commune.pk])
    )
    assert r.status_code == 200 and "còn được đơn vị ngoài phạm vi" in r.content.decode()
    r = client.post(
        reverse("admin:procedures_procedure_changelist"),
        {"action": "open_new_version", "_selected_action": [national.pk]},
    )
    assert Procedure.objects.filter(code="1.000894").count() == 1
    # the national version itself is not the unit admin's to change
    r = client.post(reverse("admin:procedures_procedure_change", args=[national.pk]), _version_form(civil))
    assert r.status_code in (302, 403)
    national.refresh_from_db()
    assert national.duration_amount == 3 and national.code == "1.000894"


@pytest.mark.usefixtures("frozen_clock")
def test_unit_admin_adds_and_changes_versions_of_its_own_codes(client, catalogue, civil, commune):
    _unit_admin(client, commune)
    r = client.post(
        reverse("admin:procedures_procedure_add"), _version_form(civil, code="DP.HT.02", units=[commune.pk])
    )
    assert r.status_code == 302
    assert Procedure.objects.filter(code="DP.HT.02").count() == 2
    r = client.post(
        reverse("admin:procedures_procedure_add"), _version_form(civil, code="DP.HT.99", units=[commune.pk])
    )
    assert r.status_code == 302


def test_services_refuse_a_unit_admin_changing_a_shared_version(catalogue, commune, commune2):
    from cqtt.core.errors import ServiceError
    from cqtt.procedures.models import Fee
    from cqtt.procedures.services import procedure_fee_save, procedure_set_units

    admin = make_user(unit=commune, role="unit_admin")
    birth = catalogue["birth"]
    with pytest.raises(ServiceError):
        procedure_fee_save(fee=Fee(procedure=birth, order=9, name="Phí mới", amount=5_000_000), actor=admin)
    own = catalogue["marriage"]
    with pytest.raises(ServiceError):
        procedure_set_units(procedure=own, units=[], actor=admin)  # would be offered everywhere
    assert list(own.units.all()) == [commune]
