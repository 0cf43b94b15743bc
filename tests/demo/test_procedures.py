import pytest

from cqtt.core.models import AuditEvent
from cqtt.demo.procedures import PROCEDURES, load_demo_procedures
from cqtt.procedures.models import Fee, Procedure, RequiredDocument
from cqtt.procedures.selectors import procedure_list_public

pytestmark = pytest.mark.django_db


def test_demo_loads_about_25_procedures_offered_by_every_unit(commune, commune2):
    assert load_demo_procedures(units=[commune, commune2]) == len(PROCEDURES) >= 25
    assert all(set(p.units.all()) == {commune, commune2} for p in Procedure.objects.all())
    birth = Procedure.objects.get(code="1.001193")
    assert birth.life_event == "birth_registration" and birth.documents.exists()
    assert {p.life_event for p in Procedure.objects.all()} >= {"marriage_registration", "death_registration"}
    assert Procedure.objects.get(code="2.000815").duration_unit == "same_day"
    assert procedure_list_public(q="khai sinh").exists()


def test_demo_codes_are_national_only_where_known(commune):
    national = {code for code, *_ in PROCEDURES if not code.startswith("DP.")}
    assert national == {"1.001193", "2.000815", "2.000635", "1.001776"}


def test_demo_is_idempotent(commune, commune2):
    load_demo_procedures(units=[commune, commune2])
    counts = (
        Procedure.objects.count(),
        RequiredDocument.objects.count(),
        Fee.objects.count(),
        AuditEvent.objects.count(),
    )

    assert load_demo_procedures(units=[commune, commune2]) == 0

    assert counts == (
        Procedure.objects.count(),
        RequiredDocument.objects.count(),
        Fee.objects.count(),
        AuditEvent.objects.count(),
    )
