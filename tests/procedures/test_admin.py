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
