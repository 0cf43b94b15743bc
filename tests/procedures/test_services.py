import datetime as dt
from decimal import Decimal

import pytest

from cqtt.core.errors import ServiceError
from cqtt.core.models import AuditEvent
from cqtt.procedures.models import Procedure
from cqtt.procedures.services import procedure_new_version, procedure_save, procedure_set_units
from tests.factories import make_user

from .conftest import make_procedure

pytestmark = pytest.mark.django_db


def test_new_version_closes_previous_and_copies_units_documents_fees(catalogue, commune, commune2):
    old = catalogue["birth"]

    new = procedure_new_version(previous=old, valid_from=dt.date(2026, 1, 1))

    old.refresh_from_db()
    assert old.valid_to == dt.date(2025, 12, 31)
    assert new.valid_to is None and new.code == old.code and new.pk != old.pk
    assert set(new.units.all()) == {commune, commune2}
    assert [d.name for d in new.documents.all()] == [d.name for d in old.documents.all()]
    assert [(f.name, f.amount) for f in new.fees.all()] == [(f.name, f.amount) for f in old.fees.all()]
    assert AuditEvent.objects.filter(action="procedure.version_opened", object_id=str(new.pk)).exists()


def test_new_version_must_start_after_previous(catalogue):
    with pytest.raises(ServiceError):
        procedure_new_version(previous=catalogue["birth"], valid_from=dt.date(2025, 7, 1))


def test_save_normalises_text_and_folds_search_text(civil):
    decomposed = "Đăng ky\u0301 khai sinh  "  # 'ý' as y + combining acute
    procedure = make_procedure(code=" 1.001193 ", name=decomposed, field=civil)
    assert procedure.name == "Đăng ký khai sinh"
    assert procedure.code == "1.001193"
    assert procedure.search_text.startswith("dang ky khai sinh")


def test_save_refuses_bad_duration_and_duplicate_version(civil):
    with pytest.raises(ServiceError) as exc:
        make_procedure(code="A.1", name="X", field=civil, amount="0.3")
    assert "duration_amount" in exc.value.error_dict
    make_procedure(code="A.2", name="Y", field=civil)
    with pytest.raises(ServiceError) as exc:
        procedure_save(
            procedure=Procedure(
                code="A.2", name="Y", field=civil, duration_amount=Decimal(1), valid_from=dt.date(2025, 7, 1)
            )
        )
    assert "valid_from" in exc.value.error_dict


def test_unit_admin_sets_only_its_own_units(catalogue, commune, commune2):
    admin = make_user(unit=commune, role="unit_admin")
    birth = catalogue["birth"]  # offered by commune and commune2

    procedure_set_units(procedure=birth, units=[], actor=admin)

    assert set(birth.units.all()) == {commune2}
    with pytest.raises(ServiceError):
        procedure_set_units(procedure=birth, units=[commune2], actor=admin)
