"""Audit rows say what changed: field by field, old → new, without secrets or citizens' personal data."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from cqtt.accounts.models import Role, User
from cqtt.accounts.services import role_grant, role_revoke, user_save_profile
from cqtt.core.audit import MASK, audit_changes, audit_snapshot
from cqtt.core.models import AuditEvent
from cqtt.dossiers.models import Dossier
from cqtt.procedures.models import Fee, Procedure, ProcedureField
from cqtt.procedures.services import (
    procedure_fee_save,
    procedure_field_save,
    procedure_part_delete,
    procedure_save,
)
from cqtt.units.models import Office
from cqtt.units.services import office_save
from cqtt.workdays.models import WorkSchedule
from cqtt.workdays.services import schedule_save
from tests.factories import make_commune, make_province, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune(db):
    return make_commune(make_province("79", "Thành phố Hồ Chí Minh"), code="25747", name="Phường Sài Gòn")


def last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("id")


def test_a_users_position_change_is_recorded_old_to_new(commune):
    # given
    user = make_user("cb1", unit=commune, position="Chuyên viên")
    # when
    user = User.objects.get(pk=user.pk)
    user.position = "Phó Chủ tịch UBND phường"
    user_save_profile(user=user)
    # then
    event = last("user.updated")
    assert event.changes == {"position": ["Chuyên viên", "Phó Chủ tịch UBND phường"]}


def test_no_password_hash_in_any_diff(commune):
    user = User(username="cb2", full_name="Trần Văn Hai", unit=commune)
    user.set_password("mat-khau-bi-mat-1")
    user_save_profile(user=user)
    user.set_password("mat-khau-moi-2")
    user.full_name = "Trần Văn Ba"
    user_save_profile(user=user)
    assert last("user.updated").changes == {"full_name": ["Trần Văn Hai", "Trần Văn Ba"]}
    for event in AuditEvent.objects.all():
        text = json.dumps([event.changes, event.data], ensure_ascii=False)
        assert "password" not in text and "pbkdf2" not in text and "argon2" not in text


def test_a_fee_amount_change_shows_old_and_new_amounts(commune):
    field = procedure_field_save(field=ProcedureField(code="HT", name="Hộ tịch"))
    procedure = procedure_save(
        procedure=Procedure(
            code="DP.HT.02",
            name="Đăng ký kết hôn",
            field=field,
            duration_amount=Decimal(3),
            duration_unit="working_days",
            valid_from=dt.date(2025, 7, 1),
        ),
        units=[commune],
    )
    fee = procedure_fee_save(fee=Fee(procedure=procedure, order=1, name="Lệ phí", amount=8000))
    created = last("procedure.fee_saved")
    assert created.changes["amount"] == [None, 8000] and created.object_id == str(procedure.pk)

    fee = Fee.objects.get(pk=fee.pk)
    fee.amount = 10000
    procedure_fee_save(fee=fee)
    changed = last("procedure.fee_saved")
    assert changed.changes == {"amount": [8000, 10000]}
    assert changed.data == {"part": "fee", "part_id": fee.pk}

    procedure_part_delete(part=fee)
    assert last("procedure.part_deleted").changes["amount"] == [10000, None]

    procedure.duration_amount = Decimal("5")
    procedure_save(procedure=procedure)
    assert last("procedure.updated").changes == {"duration_amount": ["3.0", "5.0"]}


def test_roles_offices_and_schedules_carry_their_changes(commune):
    user = make_user("cb3", unit=commune)
    assignment = role_grant(user=user, unit=commune, role=Role.SPECIALIST)
    assert last("role.granted").changes["role"] == [None, Role.SPECIALIST]
    role_revoke(assignment=assignment)
    assert last("role.revoked").changes["role"] == [Role.SPECIALIST, None]

    office = office_save(office=Office(unit=commune, name="Bộ phận Một cửa", address="Số 1"))
    office = Office.objects.get(pk=office.pk)
    office.address = "Số 2 Lê Lợi"
    office_save(office=office)
    assert last("office.updated").changes == {"address": ["Số 1", "Số 2 Lê Lợi"]}

    schedule = schedule_save(schedule=WorkSchedule(unit=commune))
    schedule = WorkSchedule.objects.get(pk=schedule.pk)
    schedule.cutoff = dt.time(14, 0)
    schedule_save(schedule=schedule)
    assert last("work_schedule.updated").changes == {"cutoff": ["15:00:00", "14:00:00"]}


def test_citizens_personal_data_is_masked_in_a_dossier_diff():
    before = {
        "applicant_id_number": "079085001234",
        "applicant_phone": "0912345678",
        "applicant_name": "Lê An",
    }
    dossier = Dossier(
        applicant_id_number="079085009999", applicant_phone="0987654321", applicant_name="Lê An", sets_count=1
    )
    dossier.pk = 1
    changes = audit_changes(dossier, before)
    assert changes["applicant_id_number"] == [MASK, MASK]
    assert changes["applicant_phone"] == [MASK, MASK]
    assert "applicant_name" not in changes  # unchanged
    text = json.dumps(changes)
    assert "0790" not in text and "0912" not in text and "0987" not in text
    assert "lookup_token" not in changes


def test_a_new_object_has_no_stored_snapshot(commune):
    assert audit_snapshot(Office(unit=commune, name="x")) == {}


def test_the_admin_shows_the_changes_read_only(commune, client):
    admin = User.objects.create_superuser("root", password="pw-12345-test", full_name="Quản trị")
    user = make_user("cb4", unit=commune, position="Chuyên viên")
    user.position = "Trưởng phòng"
    user_save_profile(user=user)
    event = last("user.updated")
    client.force_login(admin)
    page = client.get(reverse("admin:core_auditevent_change", args=[event.pk])).content.decode()
    assert "position" in page and "Chuyên viên" in page and "Trưởng phòng" in page and "→" in page
    assert 'name="changes"' not in page and 'name="_save"' not in page  # read-only
