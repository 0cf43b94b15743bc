import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from cqtt.accounts.models import Role
from cqtt.accounts.services import role_grant
from cqtt.dossiers.services import ApplicantData, DocumentData, dossier_intake
from cqtt.procedures.models import ProcedureField
from cqtt.procedures.services import procedure_field_save
from cqtt.units.models import Counter, Office
from cqtt.units.services import counter_save, office_save
from tests.factories import make_commune, make_department, make_province, make_user
from tests.procedures.conftest import make_procedure

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
def world(db):
    """Two wards of one city; staff of every role in ward A; a counter officer in ward B; two procedures."""
    city = make_province("79", "Thành phố Hồ Chí Minh")
    a = make_commune(city, code="25747", name="Phường Thủ Dầu Một")
    b = make_commune(city, code="25978", name="Phường Thuận An")
    dept = make_department(a, "VP", "Văn phòng HĐND và UBND")
    other_dept = make_department(a, "KT", "Phòng Kinh tế")
    office = office_save(office=Office(unit=a, name="Trung tâm Phục vụ hành chính công phường Thủ Dầu Một"))
    counter = counter_save(counter=Counter(office=office, number=1, name="Hộ tịch"))
    field = procedure_field_save(field=ProcedureField(code="HT", name="Hộ tịch"))
    birth = make_procedure(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=field,
        units=[a, b],
        amount="3",
        documents=[("Tờ khai đăng ký khai sinh", "original", 1), ("Giấy chứng sinh", "original", 1)],
        fees=[("Lệ phí đăng ký khai sinh", 8000, "Miễn khi đăng ký đúng hạn")],
        life_event="birth_registration",
        online_level="mot_phan",
    )
    copy = make_procedure(
        code="2.000815",
        name="Chứng thực bản sao từ bản chính",
        field=field,
        units=[a, b],
        amount="0",
        unit="same_day",
        documents=[("Bản chính giấy tờ", "original", 1)],
        fees=[("Phí chứng thực", 2000, "")],
    )
    counter_a = make_user("motcua", unit=a, role=Role.COUNTER_OFFICER, full_name="Nguyễn Thị Hà")
    specialist = make_user("chuyenvien", unit=dept, role=Role.SPECIALIST, full_name="Trần Minh Đức")
    role_grant(user=specialist, unit=a, role=Role.SPECIALIST)
    leader = make_user("lanhdao", unit=a, role=Role.LEADER, full_name="Lê Văn Thành")
    observer = make_user("mttq", unit=a, role=Role.OBSERVER)
    counter_b = make_user("motcua2", unit=b, role=Role.COUNTER_OFFICER)
    specialist_b = make_user("chuyenvien2", unit=b, role=Role.SPECIALIST)
    return SimpleNamespace(
        city=city,
        a=a,
        b=b,
        dept=dept,
        other_dept=other_dept,
        office=office,
        counter=counter,
        birth=birth,
        copy=copy,
        counter_a=counter_a,
        specialist=specialist,
        leader=leader,
        observer=observer,
        counter_b=counter_b,
        specialist_b=specialist_b,
    )


def applicant(**over) -> ApplicantData:
    data = {
        "full_name": "Phạm Văn Bình",
        "id_number": "079085001234",
        "phone": "0912345678",
        "email": "binh@example.vn",
        "address": "12 Đường Bạch Đằng",
    }
    data.update(over)
    return ApplicantData(**data)


def documents_for(procedure, *, missing: int | None = None) -> list[DocumentData]:
    return [
        DocumentData(
            name=d.name, kind=d.kind, count=d.count, required_document_id=d.pk, submitted=(i != missing)
        )
        for i, d in enumerate(procedure.documents.all())
    ]


def receive(world, *, when=None, procedure=None, **kw):
    procedure = procedure or world.birth
    return dossier_intake(
        actor=world.counter_a,
        procedure_code=procedure.code,
        applicant=applicant(),
        documents=documents_for(procedure),
        at=when or at(2026, 11, 23, 9, 0),
        counter=world.counter,
        **kw,
    ).dossier
