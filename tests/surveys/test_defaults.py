import pytest
from django.core.management import call_command

from cqtt.surveys import selectors, services
from cqtt.surveys.defaults import default_forms, load_default_forms
from cqtt.surveys.models import SurveyForm

CODES = ["PKS01", "PKS02", "PKS03", "PKS04", "PKS05", "PKS06", "PKS07", "SIPAS"]


def test_every_default_form_passes_the_builders_checks():
    for spec in default_forms():
        services.check_questions(spec["questions"])  # raises on a bad one


@pytest.mark.django_db
def test_migrate_loads_the_default_forms_and_loading_again_changes_nothing():
    assert sorted(SurveyForm.objects.filter(builtin=True).values_list("code", flat=True)) == sorted(CODES)
    assert load_default_forms() == 0
    call_command("load_default_forms", stdout=open("/dev/null", "w"))
    assert SurveyForm.objects.filter(builtin=True).count() == 8


@pytest.mark.django_db
def test_a_default_form_is_read_only_and_copied_to_a_unit(sv):
    pks04 = SurveyForm.objects.get(code="PKS04", unit__isnull=True)
    assert services.form_locked(pks04)
    with pytest.raises(services.PermissionDenied):
        services.form_update(actor=sv.leader, form=pks04, code="PKS04", title="x")
    copy = services.form_copy(actor=sv.leader, form=pks04, unit=sv.a)
    assert copy.unit == sv.a and not copy.builtin
    assert selectors.form_rules(copy) == selectors.form_rules(pks04)


@pytest.mark.django_db
def test_the_staff_of_any_unit_see_the_default_forms(sv):
    codes = set(selectors.forms_for(user=sv.other).values_list("code", flat=True))
    assert set(CODES) <= codes and "TD01" not in codes
