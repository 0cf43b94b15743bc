"""ADR 0013: the read-only observer (MTTQ) sees applicants' ID numbers and phones with the last 4 digits only —
on the dossier page, the work lists, the slips, the tracking book and the API; every other role sees them whole."""

import io

import pytest
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cqtt.accounts.models import Role
from cqtt.accounts.services import role_grant
from cqtt.dossiers.printouts import exports, printing
from cqtt.dossiers.rules import mask_digits
from cqtt.dossiers.selectors import dossier_personal_data_for
from cqtt.dossiers.services import dossier_intake
from tests.factories import make_user

from .conftest import applicant, at, documents_for, receive

pytestmark = pytest.mark.django_db

ID, PHONE = "079085001234", "0912345678"
ID_MASKED, PHONE_MASKED = "********1234", "******5678"


@pytest.mark.parametrize(
    "value, masked",
    [
        (ID, ID_MASKED),
        (PHONE, PHONE_MASKED),
        ("02743822000", "*******2000"),
        ("0101234567-001", "*********7-001"),  # a branch's tax code: the hyphen stays, the last 4 digits too
        ("1234", "****"),  # 4 digits or fewer: showing the last 4 would show everything
        ("", ""),
    ],
)
def test_mask_keeps_only_the_last_four_digits(value, masked):
    assert mask_digits(value) == masked


def test_only_the_observer_gets_masked_values(world):
    d = receive(world)
    for user in (world.counter_a, world.specialist, world.leader):
        assert dossier_personal_data_for(user=user).of_dossier(d) == {"id_number": ID, "phone": PHONE}
    assert dossier_personal_data_for(user=world.observer).of_dossier(d) == {
        "id_number": ID_MASKED,
        "phone": PHONE_MASKED,
    }


def test_the_provincial_supervisor_and_unit_admin_see_full_values(world):
    d = receive(world)
    for user in (
        make_user(unit=world.city, role=Role.PROVINCIAL_SUPERVISOR),
        make_user(unit=world.a, role=Role.UNIT_ADMIN),
    ):
        assert dossier_personal_data_for(user=user).of_dossier(d)["phone"] == PHONE


def test_an_observer_who_is_also_counter_officer_elsewhere_sees_full_values_only_there(world):
    # observer in ward A, counter officer in ward B
    role_grant(user=world.observer, unit=world.b, role=Role.COUNTER_OFFICER)
    in_a = receive(world)
    in_b = dossier_intake(
        actor=world.counter_b,
        procedure_code=world.birth.code,
        applicant=applicant(),
        documents=documents_for(world.birth),
        at=at(2026, 11, 23, 9, 0),
    ).dossier
    world.observer.refresh_from_db()  # a fresh request
    policy = dossier_personal_data_for(user=world.observer)
    assert policy.of_dossier(in_a)["id_number"] == ID_MASKED
    assert policy.of_dossier(in_b)["id_number"] == ID


def test_dossier_page_masks_for_the_observer_only(client, world):
    d = receive(world)
    client.force_login(world.observer)
    html = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert ID_MASKED in html and PHONE_MASKED in html
    assert ID not in html and PHONE not in html
    client.force_login(world.leader)
    html = client.get(reverse("dossiers:detail", args=[d.code])).content.decode()
    assert ID in html and PHONE in html


def test_work_lists_show_the_observer_no_full_number(client, world):
    receive(world)
    client.force_login(world.observer)
    html = client.get("/ho-so/", {"tab": "all"}).content.decode()
    assert "Phạm Văn Bình" in html
    assert ID not in html and PHONE not in html


def test_slips_printed_by_the_observer_are_masked(world):
    d = receive(world)
    request = RequestFactory().get("/")
    request.user = world.observer
    for context in (
        printing.receipt_context(request, d),
        printing.control_context(request, d),
    ):
        assert context["applicant"]["id_number"] == ID_MASKED
        assert context["applicant"]["phone"] == PHONE_MASKED
    request.user = world.counter_a
    assert printing.receipt_context(request, d)["applicant"]["id_number"] == ID


def _book(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("dossiers:tracking_book_xlsx"), {"from": "2026-11-01", "to": "2026-11-30"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    return " ".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def test_tracking_book_masks_the_phone_for_the_observer(client, world):
    receive(world)
    observer = _book(client, world.observer)
    assert PHONE_MASKED in observer and PHONE not in observer
    assert PHONE in _book(client, world.counter_a)
    period = exports.DateRange(at(2026, 11, 1).date(), at(2026, 11, 30).date())
    rows = list(exports.tracking_book_rows(user=world.observer, period=period))  # the PDF's rows
    assert rows and all(PHONE not in r["address_phone"] and PHONE_MASKED in r["address_phone"] for r in rows)


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_api_list_and_detail_mask_for_the_observer(world):
    d = receive(world)
    observer = _api(world.observer)
    listed = observer.get("/api/v1/dossiers/").json()["results"][0]["applicant"]
    detail = observer.get(f"/api/v1/dossiers/{d.code}/").json()["applicant"]
    for applicant_out in (listed, detail):
        assert applicant_out["id_number"] == ID_MASKED and applicant_out["phone"] == PHONE_MASKED
    leader = _api(world.leader).get(f"/api/v1/dossiers/{d.code}/").json()["applicant"]
    assert leader["id_number"] == ID and leader["phone"] == PHONE


def test_observer_of_another_commune_sees_nothing_of_ours(client, world):
    d = receive(world)
    outsider = make_user(unit=world.b, role=Role.OBSERVER)
    client.force_login(outsider)
    assert client.get(reverse("dossiers:detail", args=[d.code])).status_code == 404
    assert _api(outsider).get(f"/api/v1/dossiers/{d.code}/").status_code == 404
    assert _api(outsider).get("/api/v1/dossiers/").json()["results"] == []


def test_nobody_logged_in_gets_masked_values(world):
    from django.contrib.auth.models import AnonymousUser

    d = receive(world)
    for user in (None, AnonymousUser()):
        assert dossier_personal_data_for(user=user).of_dossier(d)["id_number"] == ID_MASKED
    request = RequestFactory().get("/")  # no user on the request (a slip rendered outside a view)
    assert printing.receipt_context(request, d)["applicant"]["phone"] == PHONE_MASKED
