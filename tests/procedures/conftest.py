import datetime as dt
from decimal import Decimal

import pytest

from cqtt.procedures.models import Fee, Procedure, ProcedureField, RequiredDocument
from cqtt.procedures.services import procedure_field_save, procedure_save
from tests.factories import make_commune, make_province


def make_procedure(
    *,
    code: str,
    name: str,
    field: ProcedureField,
    units=(),
    valid_from=dt.date(2025, 7, 1),
    valid_to=None,
    amount="3",
    unit="working_days",
    fees=(),
    documents=(),
    **extra,
) -> Procedure:
    procedure = procedure_save(
        procedure=Procedure(
            code=code,
            name=name,
            field=field,
            duration_amount=Decimal(amount),
            duration_unit=unit,
            valid_from=valid_from,
            valid_to=valid_to,
            **extra,
        ),
        units=units,
    )
    for i, (doc_name, kind, count) in enumerate(documents, 1):
        RequiredDocument.objects.create(procedure=procedure, order=i, name=doc_name, kind=kind, count=count)
    for i, (fee_name, fee_amount, exemptions) in enumerate(fees, 1):
        Fee.objects.create(
            procedure=procedure, order=i, name=fee_name, amount=fee_amount, exemptions=exemptions
        )
    return procedure


@pytest.fixture
def province(db):
    return make_province(code="79", name="Thành phố Hồ Chí Minh")


@pytest.fixture
def other_province(db):
    return make_province(code="01", name="Thành phố Hà Nội")


@pytest.fixture
def commune(province):
    return make_commune(province, code="25747", name="Phường Sài Gòn")


@pytest.fixture
def commune2(province):
    return make_commune(province, code="25777", name="Phường Tân Định")


@pytest.fixture
def far_commune(other_province):
    return make_commune(other_province, code="00004", name="Phường Ba Đình")


@pytest.fixture
def civil(db):
    return procedure_field_save(field=ProcedureField(code="HT", name="Hộ tịch"))


@pytest.fixture
def certify(db):
    return procedure_field_save(field=ProcedureField(code="CT", name="Chứng thực"))


@pytest.fixture
def catalogue(civil, certify, commune, commune2):
    birth = make_procedure(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=civil,
        units=[commune, commune2],
        amount="0",
        unit="same_day",
        life_event="birth_registration",
        online_level="mot_phan",
        documents=[("Tờ khai đăng ký khai sinh", "original", 1), ("Giấy chứng sinh", "original", 1)],
        fees=[("Lệ phí đăng ký khai sinh", 0, "Miễn khi đăng ký đúng hạn")],
    )
    marriage = make_procedure(
        code="DP.HT.02",
        name="Đăng ký kết hôn",
        field=civil,
        units=[commune],
        life_event="marriage_registration",
        fees=[("Lệ phí", 8000, "")],
    )
    copy = make_procedure(
        code="2.000815",
        name="Chứng thực bản sao từ bản chính",
        field=certify,
        units=[commune2],
        fees=[("Phí chứng thực", 2000, "")],
        amount="0",
        unit="same_day",
    )
    return {"birth": birth, "marriage": marriage, "copy": copy}
