import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse
from rest_framework.test import APIClient

from cqtt.core.models import AuditEvent, OutboxEvent
from cqtt.surveys import services
from cqtt.surveys.models import Channel, Response
from tests.surveys.conftest import TODAY, fill, good_answers

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def client():
    return APIClient()


def _detail(c):
    return reverse("api:public-survey", args=[c.public_id])


def _respond(c):
    return reverse("api:public-survey-responses", args=[c.public_id])


def test_the_open_campaigns_of_a_unit_are_listed_with_their_public_links(client, sv):
    services.campaign_create(
        actor=sv.leader, form=sv.form, unit=sv.a, kind="other", starts_on=TODAY, ends_on=TODAY
    )  # a draft: not listed
    r = client.get(reverse("api:public-surveys"), {"unit": sv.a.code})
    assert r.status_code == 200
    assert r.json() == [
        {
            "id": sv.campaign.public_id,
            "title": sv.campaign.title,
            "url": f"http://testserver/khao-sat/{sv.campaign.public_id}/",
        }
    ]
    assert client.get(reverse("api:public-surveys"), {"unit": sv.b.code}).json() == []


def test_the_list_needs_a_unit_code(client, sv):
    r = client.get(reverse("api:public-surveys"))
    assert r.status_code == 400 and "unit" in r.json()["errors"]


def test_a_campaign_id_is_random_and_not_its_number(sv):
    assert len(sv.campaign.public_id) >= 12 and sv.campaign.public_id != str(sv.campaign.pk)


def test_the_questions_of_an_open_campaign(client, sv):
    r = client.get(_detail(sv.campaign))
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == sv.campaign.public_id and body["title"] == sv.campaign.title
    first = body["questions"][1]
    assert first == {
        "key": "da_den",
        "type": "select_one",
        "label": "Ông/bà đã đến Bộ phận Một cửa của phường trong năm nay chưa?",
        "hint": "",
        "required": True,
        "relevant": "",
        "choices": [{"value": "co", "label": "Đã đến"}, {"value": "khong", "label": "Chưa đến"}],
        "rows": [],
    }
    matrix = next(q for q in body["questions"] if q["type"] == "likert_matrix")
    assert [r["value"] for r in matrix["rows"]] == ["lich_su", "tan_tinh"] and len(matrix["choices"]) == 5


def test_unknown_and_closed_campaigns_answer_404(client, sv):
    assert client.get(reverse("api:public-survey", args=["nope"])).status_code == 404
    services.campaign_close(actor=sv.leader, campaign=sv.campaign)
    assert client.get(_detail(sv.campaign)).status_code == 404
    r = client.post(_respond(sv.campaign), {"answers": good_answers()}, format="json")
    assert r.status_code == 404 and r.json()["detail"]


def test_a_campaign_outside_its_period_answers_404(client, sv, frozen_clock):
    frozen_clock.move_to(dt.datetime(2027, 1, 2, 9, tzinfo=dt.UTC))
    assert client.get(_detail(sv.campaign)).status_code == 404


ADDRESS, AGENT = "10.1.2.3", "Mozilla/5.0 (Linux; Android 14; SM-A556E) CqttTest/7.3"


def _stored_text() -> list[str]:
    """Every value of every row of every table, as text (the answers' JSON included)."""
    out = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.values_list(*fields):
            out += [f"{model.__name__}.{name}={value!r}" for name, value in zip(fields, row, strict=True)]
    return out


def test_an_answer_is_stored_without_account_or_address_and_leaves_events(client, sv):
    r = client.post(
        _respond(sv.campaign),
        {"answers": good_answers()},
        format="json",
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT=AGENT,
        HTTP_X_FORWARDED_FOR=ADDRESS,
    )
    assert r.status_code == 201
    response = Response.objects.get()
    assert response.channel == Channel.ONLINE and response.entered_by is None
    assert response.submitted_on == TODAY
    assert response.answers == {
        "da_den": "co",
        "so_lan": 2,
        "hai_long": "4",
        "kenh": ["web"],
        "thai_do.lich_su": "5",
    }
    event = AuditEvent.objects.get(action="surveys.response_add")
    assert event.object_id == str(sv.campaign.pk) and event.actor is None
    assert OutboxEvent.objects.filter(kind="survey.response_add", aggregate_id=sv.campaign.pk).count() == 1
    # neither the client's address nor its user agent is anywhere in the database: not in the Response row,
    # its audit event or outbox payload, nor any other table (the scan does read the answers' JSON)
    stored = _stored_text()
    assert any(v.startswith("Response.answers=") and "thai_do.lich_su" in v for v in stored)
    assert not [v for v in stored if ADDRESS in v or "CqttTest" in v or "SM-A556E" in v]


def test_an_answer_whose_random_id_is_taken_is_stored_under_another(sv, monkeypatch):
    """On PostgreSQL the failed INSERT must not abort the transaction that the retry runs in."""
    taken = services.response_submit(campaign=sv.campaign, answers=good_answers(), today=TODAY)
    ids = iter([taken.pk, "id-moi-khong-trung"])
    monkeypatch.setattr(services, "new_response_id", lambda: next(ids))
    response = services.response_submit(campaign=sv.campaign, answers=good_answers(hai_long="5"), today=TODAY)
    assert response.pk == "id-moi-khong-trung"
    assert Response.objects.get(pk=taken.pk).answers["hai_long"] == "4"
    assert Response.objects.get(pk="id-moi-khong-trung").answers["hai_long"] == "5"
    assert AuditEvent.objects.filter(action="surveys.response_add").count() == 2


def test_a_missing_required_answer_answers_400_naming_the_question(client, sv):
    r = client.post(_respond(sv.campaign), {"answers": good_answers(hai_long=None)}, format="json")
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert list(errors) == ["hai_long"]
    assert "Ông/bà hài lòng thế nào với việc tiếp đón?" in errors["hai_long"][0]
    assert Response.objects.count() == 0


def test_a_value_that_is_not_a_choice_answers_400_naming_the_question(client, sv):
    r = client.post(_respond(sv.campaign), {"answers": good_answers(kenh=["web", "tivi"])}, format="json")
    assert r.status_code == 400
    assert "«tivi» không phải là một phương án" in r.json()["errors"]["kenh"][0]


@pytest.mark.parametrize("body", [{}, {"answers": []}, {"answers": "x"}, {"answers": {}}])
def test_a_body_without_answers_answers_400_in_vietnamese(client, sv, body):
    r = client.post(_respond(sv.campaign), body, format="json")
    assert r.status_code == 400 and "answers" in r.json()["errors"]


def test_answers_are_rate_limited_per_address(client, sv, settings):
    settings.SURVEY_ANSWER_RATE = "2/h"
    for _ in range(2):
        assert (
            client.post(_respond(sv.campaign), {"answers": good_answers()}, format="json").status_code == 201
        )
    assert client.post(_respond(sv.campaign), {"answers": good_answers()}, format="json").status_code == 429


def test_staff_read_counts_per_question_and_choice_with_small_cells_hidden(client, sv):
    fill(sv.campaign, 6)
    fill(sv.campaign, 2, hai_long="2")
    client.force_authenticate(sv.specialist)
    r = client.get(reverse("api:survey-results", args=[sv.campaign.public_id]))
    assert r.status_code == 200
    body = r.json()
    assert body["responses"] == 8
    q = next(x for x in body["questions"] if x["key"] == "hai_long")
    counts = {c["value"]: c["count"] for c in q["choices"]}
    assert counts == {"1": 0, "2": None, "3": 0, "4": None, "5": 0}
    da_den = next(x for x in body["questions"] if x["key"] == "da_den")
    assert {c["value"]: c["count"] for c in da_den["choices"]} == {"co": 8, "khong": 0}


def test_the_results_api_gives_no_mean_for_a_scale_or_matrix_row_with_a_hidden_cell(client, sv):
    for level, n in (("1", 2), ("2", 3), ("3", 10), ("4", 13), ("5", 10)):
        fill(sv.campaign, n, hai_long=level, **{"thai_do.lich_su": level})
    client.force_authenticate(sv.specialist)
    body = client.get(reverse("api:survey-results", args=[sv.campaign.public_id])).json()
    q = next(x for x in body["questions"] if x["key"] == "hai_long")
    assert q["answered"] == 38 and q["mean"] is None
    assert [c["count"] for c in q["choices"]] == [None, None, 10, 13, 10]
    rows = next(x for x in body["questions"] if x["key"] == "thai_do")["rows"]
    assert rows[0]["answered"] == 38 and rows[0]["mean"] is None


def test_the_results_api_withholds_a_follow_up_asked_only_on_a_hidden_choice(client, sv):
    fill(sv.campaign, 10)
    fill(sv.campaign, 2, kenh=["web", "khac"], kenh_khac="Loa phường")
    client.force_authenticate(sv.specialist)
    body = client.get(reverse("api:survey-results", args=[sv.campaign.public_id])).json()
    kenh = next(x for x in body["questions"] if x["key"] == "kenh")
    assert {c["value"]: c["count"] for c in kenh["choices"]} == {"niem_yet": 0, "web": None, "khac": None}
    follow = next(x for x in body["questions"] if x["key"] == "kenh_khac")
    assert follow["withheld"] is True and follow["answered"] is None  # 2 would say how many chose "khac"
    assert next(x for x in body["questions"] if x["key"] == "hai_long")["withheld"] is False


def test_results_of_another_unit_answer_404(client, sv):
    client.force_authenticate(sv.other)
    assert client.get(reverse("api:survey-results", args=[sv.campaign.public_id])).status_code == 404
    client.force_authenticate(sv.observer_b)
    assert client.get(reverse("api:survey-results", args=[sv.campaign.public_id])).status_code == 404


def test_results_need_an_account(client, sv):
    assert client.get(reverse("api:survey-results", args=[sv.campaign.public_id])).status_code == 401


def test_the_observer_reads_the_results_of_its_unit(client, sv):
    client.force_authenticate(sv.observer)
    assert client.get(reverse("api:survey-results", args=[sv.campaign.public_id])).status_code == 200


def test_the_open_after_result_campaign_of_a_unit_is_found_for_the_returned_dossier_notice(sv):
    from cqtt.surveys.selectors import open_campaign_after_result

    assert open_campaign_after_result(sv.a) is None
    c = services.campaign_create(
        actor=sv.leader, form=sv.form, unit=sv.a, kind="after_result", starts_on=TODAY, ends_on=TODAY
    )
    assert open_campaign_after_result(sv.a) is None  # not open yet
    c = services.campaign_open(actor=sv.leader, campaign=c)
    assert open_campaign_after_result(sv.a) == c and open_campaign_after_result(sv.b) is None
