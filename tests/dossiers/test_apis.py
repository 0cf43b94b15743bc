import datetime as dt
import re

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from cqtt.dossiers.models import Dossier

from .conftest import at, receive

pytestmark = pytest.mark.django_db

BODY = {
    "procedure_code": "1.001193",
    "applicant": {
        "full_name": "Phạm Văn Bình",
        "id_number": "079085001234",
        "phone": "0912345678",
        "email": "binh@example.vn",
        "address": "12 Bạch Đằng",
    },
    "documents": [{"name": "Tờ khai đăng ký khai sinh", "kind": "original", "count": 1}, "Giấy chứng sinh"],
    "channel": "counter",
    "delivery": "counter",
}


def client_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_counter_officer_creates_a_dossier_201(world):
    r = client_for(world.counter_a).post("/api/v1/dossiers/", BODY, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert set(body) == {"code", "status", "received_at", "due_at", "lookup_url", "version"}
    assert body["status"] == "received"
    assert body["due_at"].endswith("+07:00")
    assert body["lookup_url"].startswith("http://testserver/tra-cuu/")
    assert Dossier.objects.get(code=body["code"]).documents.count() == 2


def test_create_without_documents_takes_the_procedures_list(world):
    body = {**BODY, "documents": []}
    r = client_for(world.counter_a).post("/api/v1/dossiers/", body, format="json")
    assert r.status_code == 201
    assert Dossier.objects.get(code=r.json()["code"]).documents.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"procedure_code": "9.999999"}, "procedure_code"),
        ({"applicant": {**BODY["applicant"], "phone": "12"}}, "applicant.phone"),
        ({"applicant": {**BODY["applicant"], "id_number": "abc"}}, "applicant.id_number"),
        ({"applicant": {"phone": "0912345678"}}, "applicant"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_bad_input_is_400_with_field_messages(world, change, field):
    r = client_for(world.counter_a).post("/api/v1/dossiers/", {**BODY, **change}, format="json")
    assert r.status_code == 400
    assert field in r.json()["errors"], r.json()
    assert not Dossier.objects.exists()


def test_only_counter_officers_create(world):
    assert client_for(world.specialist).post("/api/v1/dossiers/", BODY, format="json").status_code == 403
    assert APIClient().post("/api/v1/dossiers/", BODY, format="json").status_code in (401, 403)


@pytest.mark.usefixtures("frozen_clock")
def test_full_lifecycle_over_the_api(world):
    code = client_for(world.counter_a).post("/api/v1/dossiers/", BODY, format="json").json()["code"]
    steps = [
        (world.leader, "assign", {"assignee": "chuyenvien"}, "in_progress"),
        (
            world.specialist,
            "request-supplement",
            {"items": ["Bản sao giấy kết hôn"], "reason": "Thiếu"},
            "supplement_requested",
        ),
        (world.counter_a, "receive-supplement", {}, "in_progress"),
        (
            world.specialist,
            "transfer",
            {"unit_code": world.other_dept.code, "note": "Xin ý kiến"},
            "in_progress",
        ),
        (
            world.leader,
            "extend",
            {"reason": "Chờ xác minh", "new_due_at": "2027-01-15T17:00:00+07:00"},
            "in_progress",
        ),
        (world.leader, "approve", {}, "approved"),
        (world.specialist, "mark-ready", {}, "ready"),
        (world.counter_a, "return-result", {"collected_by": "Phạm Văn Bình", "note": ""}, "returned"),
    ]
    for user, action, body, expected in steps:
        r = client_for(user).post(f"/api/v1/dossiers/{code}/{action}/", body, format="json")
        assert r.status_code == 200, (action, r.json())
        assert r.json()["status"] == expected, action
    detail = client_for(world.leader).get(f"/api/v1/dossiers/{code}/").json()
    assert detail["timeliness"] in {"early", "on_time", "late"}
    assert detail["original_due_at"] != detail["due_at"] and detail["extended"] is True
    assert [e["action"] for e in detail["events"]][-1] == "return-result"


def test_transition_not_allowed_is_409_and_wrong_role_is_403(world):
    d = receive(world)
    r = client_for(world.counter_a).post(
        f"/api/v1/dossiers/{d.code}/return-result/", {"collected_by": "A"}, format="json"
    )
    assert r.status_code == 409 and "trạng thái" in r.json()["detail"]
    r = client_for(world.counter_a).post(f"/api/v1/dossiers/{d.code}/approve/", {}, format="json")
    assert r.status_code == 403
    r = client_for(world.observer).post(
        f"/api/v1/dossiers/{d.code}/withdraw/", {"reason": "x"}, format="json"
    )
    assert r.status_code == 403


def test_second_extension_is_409(world):
    d = receive(world)
    api = client_for(world.leader)
    api.post(f"/api/v1/dossiers/{d.code}/assign/", {"assignee": "chuyenvien"}, format="json")
    body = {"reason": "Chờ", "new_due_at": "2027-01-15T17:00:00+07:00"}
    assert api.post(f"/api/v1/dossiers/{d.code}/extend/", body, format="json").status_code == 200
    body["new_due_at"] = "2027-01-20T17:00:00+07:00"
    assert api.post(f"/api/v1/dossiers/{d.code}/extend/", body, format="json").status_code == 409


def test_stale_version_is_409(world):
    d = receive(world)
    api = client_for(world.leader)
    body = {"assignee": "chuyenvien", "version": d.version}
    assert api.post(f"/api/v1/dossiers/{d.code}/assign/", body, format="json").status_code == 200
    assert api.post(f"/api/v1/dossiers/{d.code}/assign/", body, format="json").status_code == 409


def test_action_bad_input_is_400(world):
    d = receive(world)
    r = client_for(world.leader).post(
        f"/api/v1/dossiers/{d.code}/extend/", {"reason": "", "new_due_at": "mai"}, format="json"
    )
    assert r.status_code == 400 and {"reason", "new_due_at"} <= set(r.json()["errors"])


def test_another_wards_staff_see_nothing(world):
    d = receive(world)
    api = client_for(world.counter_b)
    assert api.get(f"/api/v1/dossiers/{d.code}/").status_code == 404
    assert api.post(f"/api/v1/dossiers/{d.code}/withdraw/", {"reason": "x"}, format="json").status_code == 404
    assert api.get("/api/v1/dossiers/").json()["count"] == 0
    assert client_for(world.counter_a).get("/api/v1/dossiers/").json()["count"] == 1


@pytest.mark.usefixtures("frozen_clock")
def test_list_filters_by_status_and_overdue(world, django_assert_max_num_queries):
    receive(world)
    receive(world, when=at(2026, 1, 5, 9, 0))  # long overdue
    api = client_for(world.leader)
    assert api.get("/api/v1/dossiers/", {"overdue": "true"}).json()["count"] == 1
    assert api.get("/api/v1/dossiers/", {"status": "received"}).json()["count"] == 2
    assert api.get("/api/v1/dossiers/", {"status": "nope"}).status_code == 400
    with django_assert_max_num_queries(6):
        api.get("/api/v1/dossiers/")


def test_public_lookup_shows_no_personal_data_and_hides_existence(world):
    cache.clear()
    d = receive(world)
    api = APIClient()
    r = api.get(f"/api/v1/public/dossiers/{d.code}/", {"phone_last4": "5678"})
    assert r.status_code == 200
    text = r.content.decode()
    assert "Phạm Văn Bình" not in text and "0912345678" not in text and "079085001234" not in text
    assert r.json()["status"] == "received" and r.json()["timeline"]
    wrong_phone = api.get(f"/api/v1/public/dossiers/{d.code}/", {"phone_last4": "0000"})
    wrong_code = api.get("/api/v1/public/dossiers/25747-261123-9999/", {"phone_last4": "5678"})
    assert wrong_phone.status_code == wrong_code.status_code == 404
    assert wrong_phone.json() == wrong_code.json()
    assert api.get(f"/api/v1/public/dossiers/{d.code}/", {"phone_last4": "56"}).status_code == 400


@pytest.mark.usefixtures("frozen_clock")  # a rate window must not roll over mid-test
def test_public_lookup_is_rate_limited(world, settings):
    cache.clear()
    settings.LOOKUP_RATE = "20/m"
    d = receive(world)
    api = APIClient()
    codes = [
        api.get(f"/api/v1/public/dossiers/{d.code}-{i}/", {"phone_last4": "0000"}).status_code
        for i in range(21)
    ]
    assert codes[0] == 404 and codes[19] == 404 and codes[20] == 429


@pytest.mark.usefixtures("frozen_clock")  # a rate window must not roll over mid-test
def test_rotating_x_forwarded_for_does_not_escape_the_limit_without_proxies(world, settings):
    settings.LOOKUP_RATE = "20/m"
    settings.NUM_PROXIES = 0
    d = receive(world)
    api = APIClient()
    codes = [
        api.get(
            f"/api/v1/public/dossiers/{d.code}-{i}/",
            {"phone_last4": "0000"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(21)
    ]
    assert codes[-1] == 429


@pytest.mark.usefixtures("frozen_clock")  # a rate window must not roll over mid-test
def test_behind_a_configured_proxy_each_client_has_its_own_budget(world, settings):
    settings.LOOKUP_RATE = "3/m"
    settings.NUM_PROXIES = 1
    d = receive(world)
    api = APIClient()

    def ask(client_address):
        return api.get(
            f"/api/v1/public/dossiers/{d.code}/",
            {"phone_last4": "5678"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.7, {client_address}",
            REMOTE_ADDR="10.0.0.2",
        ).status_code

    assert [ask("203.0.113.1") for _ in range(4)] == [200, 200, 200, 429]
    assert ask("203.0.113.2") == 200  # another citizen behind the same proxy


def test_a_code_locks_after_a_few_wrong_guesses_from_any_addresses(world, settings):
    import time_machine

    settings.DOSSIERS = {**settings.DOSSIERS, "LOOKUP_WRONG_GUESSES": 5, "LOOKUP_LOCK_SECONDS": 900}
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False) as clock:
        d = receive(world)
        api = APIClient()
        url = f"/api/v1/public/dossiers/{d.code}/"
        wrong = None
        for i in range(5):  # five guesses, each from another address
            wrong = api.get(url, {"phone_last4": f"000{i}"}, REMOTE_ADDR=f"203.0.113.{i}")
            assert wrong.status_code == 404
        # then even the right digits get exactly the answer of a wrong guess, from a fresh address
        right = api.get(url, {"phone_last4": "5678"}, REMOTE_ADDR="198.51.100.1")
        assert right.status_code == 404 and right.json() == wrong.json()
        clock.shift(dt.timedelta(minutes=16))
        assert api.get(url, {"phone_last4": "5678"}, REMOTE_ADDR="198.51.100.1").status_code == 200


def test_dossier_endpoints_are_in_the_schema(world):
    paths = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    for path in (
        "/api/v1/dossiers/",
        "/api/v1/dossiers/{code}/",
        "/api/v1/dossiers/{code}/assign/",
        "/api/v1/dossiers/{code}/return-result/",
        "/api/v1/public/dossiers/{code}/",
    ):
        assert path in paths


def test_consult_and_reply_over_the_api(world):
    d = receive(world)
    client_for(world.leader).post(
        f"/api/v1/dossiers/{d.code}/assign/", {"assignee": "chuyenvien"}, format="json"
    )
    api = client_for(world.specialist)
    r = api.post(
        f"/api/v1/dossiers/{d.code}/consult/",
        {"unit_code": world.other_dept.code, "question": "Xác minh", "days": "1.5"},
        format="json",
    )
    assert r.status_code == 200, r.json()
    step = d.steps.get(kind="consultation")
    r = api.post(
        f"/api/v1/dossiers/{d.code}/consultation-reply/",
        {"step": step.seq, "answer": "Đồng ý"},
        format="json",
    )
    assert r.status_code == 200
    step.refresh_from_db()
    assert step.completed_at is not None
    r = api.post(f"/api/v1/dossiers/{d.code}/consult/", {"unit_code": "nope", "question": ""}, format="json")
    assert r.status_code == 400


def _generic(serializer) -> dict:
    """What DRF's own field-by-field path writes for the serializer's instance."""
    from rest_framework import serializers as drf

    return drf.Serializer.to_representation(serializer, serializer.instance)


def test_direct_output_equals_drfs_field_by_field_output(world):
    from rest_framework.test import APIRequestFactory

    from cqtt.dossiers import selectors
    from cqtt.dossiers.apis import DossierDetailOutput, DossierOutput, EventOutput

    request = APIRequestFactory().get("/api/v1/dossiers/")
    fresh = receive(world)  # no assignee, not finished
    done = receive(world)
    api = client_for(world.leader)
    for action, body in [("assign", {"assignee": "chuyenvien"}), ("approve", {}), ("mark-ready", {})]:
        assert api.post(f"/api/v1/dossiers/{done.code}/{action}/", body, format="json").status_code == 200
    for d in (fresh, Dossier.objects.get(pk=done.pk)):
        out = DossierOutput(d, context={"request": request})
        assert list(out.data.items()) == list(_generic(out).items())
        detail = DossierDetailOutput(d, context={"request": request})
        assert list(detail.data.items()) == list(_generic(detail).items())
        generic_events = EventOutput(selectors.dossier_events(dossier=d), many=True).data
        assert detail.data["events"] == [dict(e) for e in generic_events]
    assert DossierOutput(fresh).data["assignee"] is None
    assert DossierOutput(Dossier.objects.get(pk=done.pk)).data["assignee"] == "chuyenvien"


def test_direct_public_output_equals_drfs_field_by_field_output(world):
    from cqtt.dossiers import selectors
    from cqtt.dossiers.apis import PublicOutput

    fresh = receive(world)
    done = receive(world)
    api = client_for(world.leader)
    for action, body in [("assign", {"assignee": "chuyenvien"}), ("approve", {}), ("mark-ready", {})]:
        assert api.post(f"/api/v1/dossiers/{done.code}/{action}/", body, format="json").status_code == 200
    for d in (fresh, done):
        found = selectors.dossier_public_by_code(code=d.code, phone_last4=d.applicant_phone[-4:])
        out = PublicOutput(found)
        assert list(out.data.items()) == list(_generic(out).items())
        assert len(out.data["timeline"]) >= 1


def test_an_action_reads_and_locks_the_dossier_once(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    d = receive(world)
    api = client_for(world.leader)
    with CaptureQueriesContext(connection) as ctx:
        r = api.post(f"/api/v1/dossiers/{d.code}/approve/", {"version": d.version}, format="json")
    assert r.status_code == 409  # received → approve is not allowed: nothing written
    dossier_reads = [q["sql"] for q in ctx.captured_queries if 'FROM "dossiers_dossier"' in q["sql"]]
    assert len(dossier_reads) == 1
    with CaptureQueriesContext(connection) as ctx:
        r = api.post(f"/api/v1/dossiers/{d.code}/assign/", {"assignee": "chuyenvien"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    dossier_reads = [q["sql"] for q in ctx.captured_queries if 'FROM "dossiers_dossier"' in q["sql"]]
    assert len(dossier_reads) == 1


def test_a_reference_is_read_under_its_users_scope_by_the_service(world):
    """A wrong-unit user's reference fails inside the service (404 over the API) and writes nothing."""
    from cqtt.core.errors import NotInScope
    from cqtt.dossiers import selectors, services

    d = receive(world)
    outsider = selectors.dossier_reference(user=world.counter_b, code=d.code)
    with pytest.raises(NotInScope):
        services.dossier_assign(actor=world.leader, dossier=outsider, assignee=world.specialist)
    inside = selectors.dossier_reference(user=world.leader, code=d.code)
    done = services.dossier_assign(actor=world.leader, dossier=inside, assignee=world.specialist)
    assert done.pk == d.pk and done.status == "in_progress"
    assert Dossier.objects.get(pk=d.pk).version == done.version


# --- input limits ------------------------------------------------------------------------------------------

TOO_LONG_TEXT = re.compile(r"^Tối đa \d+ ký tự\.$")
TOO_MANY_ITEMS = re.compile(r"^Tối đa \d+ mục\.$")


def _first_message(errors) -> str:
    """The first message of a (possibly nested: list index, field) DRF error."""
    while not isinstance(errors, str):
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return errors


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"missing_items": ["x" * 500] * 5000}, "missing_items", TOO_MANY_ITEMS),
        ({"missing_items": ["Ảnh"] * 51}, "missing_items", TOO_MANY_ITEMS),
        ({"missing_items": ["x" * 501]}, "missing_items", TOO_LONG_TEXT),
        ({"documents": ["Tờ khai"] * 51}, "documents", TOO_MANY_ITEMS),
        ({"documents": ["x" * 501]}, "documents", TOO_LONG_TEXT),
        ({"applicant": {**BODY["applicant"], "full_name": "x" * 201}}, "applicant", TOO_LONG_TEXT),
        ({"applicant": {**BODY["applicant"], "address": "x" * 301}}, "applicant", TOO_LONG_TEXT),
        ({"applicant": {**BODY["applicant"], "email": "x" * 255}}, "applicant", TOO_LONG_TEXT),
        ({"applicant": {**BODY["applicant"], "id_number": "1" * 15}}, "applicant", TOO_LONG_TEXT),
        ({"applicant": {**BODY["applicant"], "phone": "0" * 21}}, "applicant", TOO_LONG_TEXT),
        ({"procedure_code": "x" * 33}, "procedure_code", TOO_LONG_TEXT),
        ({"unit_code": "x" * 33}, "unit_code", TOO_LONG_TEXT),
    ],
    ids=[
        "5000-long-missing-items",
        "51-missing-items",
        "missing-item-501-chars",
        "51-documents",
        "document-name-501-chars",
        "full-name-201",
        "address-301",
        "email-255",
        "id-number-15",
        "phone-21",
        "procedure-code-33",
        "unit-code-33",
    ],
)
def test_intake_refuses_oversized_input_with_400_in_vietnamese(world, change, field, message):
    r = client_for(world.counter_a).post("/api/v1/dossiers/", {**BODY, **change}, format="json")
    assert r.status_code == 400
    assert message.match(_first_message(r.json()["errors"][field])), r.json()
    assert not Dossier.objects.exists()


def test_intake_accepts_input_at_the_limits(world):
    body = {
        **BODY,
        "missing_items": ["x" * 500] * 50,
        "applicant": {**BODY["applicant"], "full_name": "x" * 200},
    }
    r = client_for(world.counter_a).post("/api/v1/dossiers/", body, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["status"] == "intake_supplement"


@pytest.mark.parametrize(
    ("action", "body", "field", "message"),
    [
        ("request-supplement", {"items": ["x" * 500] * 5000, "reason": "Thiếu"}, "items", TOO_MANY_ITEMS),
        ("request-supplement", {"items": ["x" * 501], "reason": "Thiếu"}, "items", TOO_LONG_TEXT),
        ("request-supplement", {"items": ["Ảnh"], "reason": "x" * 2001}, "reason", TOO_LONG_TEXT),
        ("transfer", {"unit_code": "VP", "note": "x" * 501}, "note", TOO_LONG_TEXT),
        ("submit", {"note": "x" * 501}, "note", TOO_LONG_TEXT),
        ("approve", {"note": "x" * 501}, "note", TOO_LONG_TEXT),
        ("return-result", {"collected_by": "A", "note": "x" * 501}, "note", TOO_LONG_TEXT),
        ("return-result", {"collected_by": "x" * 201}, "collected_by", TOO_LONG_TEXT),
        ("refuse", {"reason": "x" * 2001}, "reason", TOO_LONG_TEXT),
        ("withdraw", {"reason": "x" * 2001}, "reason", TOO_LONG_TEXT),
        ("refuse-intake", {"reason": "x" * 2001}, "reason", TOO_LONG_TEXT),
        (
            "extend",
            {"reason": "x" * 2001, "new_due_at": "2027-01-15T17:00:00+07:00"},
            "reason",
            TOO_LONG_TEXT,
        ),
        ("consult", {"unit_code": "VP", "question": "x" * 2001}, "question", TOO_LONG_TEXT),
        ("consultation-reply", {"step": 1, "answer": "x" * 2001}, "answer", TOO_LONG_TEXT),
        ("assign", {"assignee": "x" * 151}, "assignee", TOO_LONG_TEXT),
    ],
)
def test_actions_refuse_oversized_input_with_400_in_vietnamese(world, action, body, field, message):
    d = receive(world)
    before = d.version
    r = client_for(world.leader).post(f"/api/v1/dossiers/{d.code}/{action}/", body, format="json")
    assert r.status_code == 400
    assert message.match(_first_message(r.json()["errors"][field])), r.json()
    d.refresh_from_db()
    assert d.version == before


def test_a_500_character_transfer_note_is_kept_whole(world):
    d = receive(world)
    api = client_for(world.leader)
    api.post(f"/api/v1/dossiers/{d.code}/assign/", {"assignee": "chuyenvien"}, format="json")
    body = {"unit_code": world.other_dept.code, "note": "x" * 500}
    r = client_for(world.specialist).post(f"/api/v1/dossiers/{d.code}/transfer/", body, format="json")
    assert r.status_code == 200, r.json()
    assert d.steps.order_by("-seq").first().note == "x" * 500


def test_the_answers_after_a_transfer_name_each_of_the_three_units(world):
    """The locked read joins the handling unit only; the receiving and current units, when they differ from
    it, come from a read of their own."""
    d = receive(world)
    client_for(world.leader).post(
        f"/api/v1/dossiers/{d.code}/assign/", {"assignee": "chuyenvien"}, format="json"
    )
    body = {"unit_code": world.other_dept.code, "note": ""}
    r = client_for(world.specialist).post(f"/api/v1/dossiers/{d.code}/transfer/", body, format="json")
    assert r.status_code == 200, r.json()
    units = {k: r.json()[k] for k in ("receiving_unit", "handling_unit", "current_unit")}
    assert units == {
        "receiving_unit": world.a.code,
        "handling_unit": world.a.code,
        "current_unit": world.other_dept.code,
    }
    for user, action in [(world.specialist, "submit"), (world.leader, "approve")]:
        r = client_for(user).post(f"/api/v1/dossiers/{d.code}/{action}/", {}, format="json")
        assert r.status_code == 200, (action, r.json())
        assert {k: r.json()[k] for k in units} == units


def test_full_width_digits_are_stored_as_ascii_digits(world):
    # a citizen's ID and phone typed with a phone's full-width (IME) digits
    applicant = {
        **BODY["applicant"],
        "id_number": "０７９０８５００１２３４",
        "phone": "０９１２ ３４５ ６７８",
    }
    r = client_for(world.counter_a).post("/api/v1/dossiers/", {**BODY, "applicant": applicant}, format="json")
    assert r.status_code == 201, r.json()
    d = Dossier.objects.get(code=r.json()["code"])
    assert (d.applicant_id_number, d.applicant_phone) == ("079085001234", "0912345678")


def test_digits_of_other_scripts_are_not_an_id_number(world):
    arabic_indic = "٠٧٩٠٨٥٠٠١٢٣٤"  # no compatibility mapping to ASCII: refused, not guessed
    applicant = {**BODY["applicant"], "id_number": arabic_indic}
    r = client_for(world.counter_a).post("/api/v1/dossiers/", {**BODY, "applicant": applicant}, format="json")
    assert r.status_code == 400
    assert r.json()["errors"]["applicant.id_number"] == ["Số định danh cá nhân phải gồm đúng 12 chữ số."]
