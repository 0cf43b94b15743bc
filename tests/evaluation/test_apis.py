"""The evaluation API: exact shapes, 400 for a bad period, 404 for a unit the caller does not reach; the public
scorecard; scoping by role and unit."""

import pytest
import time_machine
from rest_framework.test import APIClient

from cqtt.accounts.models import Role
from cqtt.core.errors import NotInScope
from cqtt.evaluation import indices, selectors
from tests.dossiers.conftest import at
from tests.factories import make_commune, make_province, make_user

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/evaluation/indicators/"
RANKING = "/api/v1/evaluation/ranking/"


@pytest.fixture
def people(two_months):
    w = two_months
    w.supervisor = make_user("giamsat79", unit=w.city, role=Role.PROVINCIAL_SUPERVISOR)
    hanoi = make_province("01", "Thành phố Hà Nội")
    make_commune(hanoi, code="00004", name="Phường Ba Đình")
    w.hanoi = hanoi
    w.supervisor_01 = make_user("giamsat01", unit=hanoi, role=Role.PROVINCIAL_SUPERVISOR)
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False):
        yield w


def api(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


def test_indicators_have_the_fixed_shape(people):
    w = people
    body = api(w.leader).get(INDICATORS, {"unit": "25747", "period": "2026-10"}).json()
    assert set(body) == {"period", "formula_version", "tt01", "qd766", "total"}
    assert body["period"] == "2026-10" and body["formula_version"] == "qd766-v1"
    assert [r["number"] for r in body["tt01"]] == list(range(1, 10))
    assert all(set(r) == {"number", "name", "score", "max", "dossiers"} for r in body["tt01"])
    one = body["tt01"][0]
    assert one["score"] == 1.0 and one["dossiers"] == 2 and one["max"] == 2  # one early, one late
    assert body["tt01"][4]["score"] is None and body["tt01"][5]["score"] is None  # 5, 6: no data
    assert [g["group"] for g in body["qd766"]] == [1, 2, 3, 4, 5, 6]
    assert all(set(g) == {"group", "name", "points", "max", "components"} for g in body["qd766"])
    component = body["qd766"][1]["components"][0]
    assert set(component) == {"code", "name", "formula", "rate", "points", "max", "has_data", "note"}
    assert body["qd766"][1]["points"] == 10.0  # 20 × 1/2
    assert body["qd766"][0]["points"] is None
    assert body["total"] == indices.qd766_total(
        selectors.unit_indicators(unit=w.a, period=indices.parse_period("2026-10"))["qd766"]
    )


def test_a_quarter_and_a_year_are_the_sums_of_their_months(people):
    w = people
    q = api(w.leader).get(INDICATORS, {"unit": "25747", "period": "2026-Q4"}).json()
    y = api(w.leader).get(INDICATORS, {"unit": "25747", "period": "2026"}).json()
    assert q["tt01"][0]["dossiers"] == 3 == y["tt01"][0]["dossiers"]
    assert q["tt01"][0]["score"] == 0.7  # (2 + 0 + 0) / 3


def test_the_period_defaults_to_this_month(people):
    body = api(people.leader).get(INDICATORS, {"unit": "25747"}).json()
    assert body["period"] == "2026-11"


@pytest.mark.parametrize("period", ["2026-13", "2026-Q5", "tháng 11", "2026-1"])
def test_a_bad_period_is_400_in_vietnamese(people, period):
    response = api(people.leader).get(INDICATORS, {"unit": "25747", "period": period})
    assert response.status_code == 400
    assert "Kỳ đánh giá không hợp lệ" in response.json()["errors"]["period"][0]
    response = api().get("/api/v1/public/units/25747/scorecard/", {"period": period})
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["leader", "specialist", "observer", "supervisor"])
def test_readers_of_the_commune_get_its_indicators(people, who):
    assert api(getattr(people, who)).get(INDICATORS, {"unit": "25747"}).status_code == 200


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("leader", "25978"),  # the other ward
        ("specialist_b", "25747"),
        ("supervisor_01", "25747"),  # another province
        ("counter_a", "25747"),  # a counter officer does not read the indices
        ("leader", "79"),  # a ward's leader does not reach the province
        ("leader", "nope"),
    ],
)
def test_a_unit_the_caller_does_not_reach_is_404(people, who, code):
    response = api(getattr(people, who)).get(INDICATORS, {"unit": code})
    assert response.status_code == 404


def test_anonymous_callers_are_refused(people):
    assert api().get(INDICATORS, {"unit": "25747"}).status_code in (401, 403)
    assert api().get(RANKING, {"province": "79"}).status_code in (401, 403)


def test_the_ranking_sorts_the_province_s_communes_by_total_with_rank(people):
    w = people
    body = api(w.supervisor).get(RANKING, {"province": "79", "period": "2026-10"}).json()
    assert set(body) == {"period", "formula_version", "province", "communes"}
    rows = body["communes"]
    assert [r["unit"] for r in rows] == ["25747", "25978"] and [r["rank"] for r in rows] == [1, 2]
    assert rows[0]["total"] is not None and rows[1]["total"] is None  # ward B has no data: last
    assert set(rows[0]) == {
        "rank",
        "unit",
        "name",
        "total",
        "tt01_total",
        "tt01_band",
        "on_time_rate",
        "dossiers_finished",
    }
    assert rows[0]["dossiers_finished"] == 2


@pytest.mark.parametrize(
    ("who", "code"),
    [("leader", "79"), ("supervisor_01", "79"), ("supervisor", "25747"), ("supervisor", "01")],
)
def test_a_ranking_out_of_reach_or_of_a_commune_is_404(people, who, code):
    assert api(getattr(people, who)).get(RANKING, {"province": code}).status_code == 404


def test_the_public_scorecard_has_the_fixed_shape_and_equals_the_selector(people):
    w = people
    response = api().get("/api/v1/public/units/25747/scorecard/", {"period": "2026-10"})
    assert response.status_code == 200
    body = response.json()
    assert body == selectors.unit_scorecard(w.a, indices.parse_period("2026-10"))
    assert set(body) == {
        "on_time_rate",
        "satisfaction_rate",
        "feedback_on_time_rate",
        "letters",
        "dossiers_finished",
        "period",
    }
    assert body["on_time_rate"] == 0.5 and body["satisfaction_rate"] == 0.5
    assert body["feedback_on_time_rate"] == 1.0 and body["dossiers_finished"] == 2
    assert body["letters"]["congratulation"] == 2


def test_the_scorecard_of_a_month_without_data_is_null(people):
    body = api().get("/api/v1/public/units/25978/scorecard/", {"period": "2026-10"}).json()
    assert body["on_time_rate"] is None and body["satisfaction_rate"] is None
    assert body["feedback_on_time_rate"] is None and body["dossiers_finished"] == 0


def test_the_scorecard_of_an_unknown_unit_is_404(people):
    assert api().get("/api/v1/public/units/99999/scorecard/").status_code == 404


def test_the_drill_down_lists_the_records_behind_an_indicator_within_scope(people):
    w = people
    october = indices.parse_period("2026-10")
    page = selectors.indicator_evidence(user=w.leader, unit=w.a, period=october, indicator="1")
    assert page["count"] == 2 and {r["value"] for r in page["results"]} == {"early", "late"}
    assert all(r["kind"] == "dossier" and r["code"] for r in page["results"])
    ratings = selectors.indicator_evidence(user=w.leader, unit=w.a, period=october, indicator="3")
    assert ratings["count"] == 2 and ratings["results"][0]["kind"] == "rating"
    feedback = selectors.indicator_evidence(user=w.supervisor, unit=w.city, period=october, indicator="5.2")
    assert feedback["count"] == 1 and feedback["results"][0]["value"] is True
    small = selectors.indicator_evidence(user=w.leader, unit=w.a, period=october, indicator="1", per_page=1)
    assert small["pages"] == 2 and len(small["results"]) == 1
    with pytest.raises(NotInScope):
        selectors.indicator_evidence(user=w.specialist_b, unit=w.a, period=october, indicator="1")
    with pytest.raises(NotInScope):
        selectors.indicator_evidence(user=w.leader, unit=w.a, period=october, indicator="42")


def test_officers_get_their_tt01_totals(people):
    w = people
    rows = selectors.officer_indicators(unit=w.a, period=indices.parse_period("2026-Q4"))
    assert [r["officer_id"] for r in rows] == [w.counter_a.pk]
    assert rows[0]["rated"] == 3 and rows[0]["scores"][3] is not None


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/api/v1/public/units/25747/scorecard/?period=2026"),
        ("leader", INDICATORS + "?unit=25747&period=2026"),
        ("supervisor", RANKING + "?province=79&period=2026"),
        ("supervisor", "/danh-gia-mo-hinh/?province=79&period=2026"),
        ("leader", "/danh-gia-mo-hinh/don-vi/25747/?period=2026"),
    ],
)
def test_the_pages_and_endpoints_read_the_read_model_only_in_a_few_queries(people, who, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(getattr(people, who)) if who else api()
    if who and not url.startswith("/api/"):
        client.force_login(getattr(people, who))
    client.get(url)  # warm the scope cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("dossiers_dossier", "ratings_rating", "feedback_feedbackitem", "letters_letter"):
        assert table not in sql, (url, table)
    assert len(queries.captured_queries) <= 12, [q["sql"][:120] for q in queries.captured_queries]


EVIDENCE = "/api/v1/evaluation/evidence/"


def test_the_drill_down_lists_the_dossiers_behind_the_timeliness_indicator(people):
    w = people
    body = api(w.supervisor).get(EVIDENCE, {"unit": "79", "indicator": "1", "period": "2026-10"}).json()
    assert (body["unit"], body["period"], body["indicator"], body["count"], body["pages"]) == (
        "79",
        "2026-10",
        "1",
        2,
        1,
    )
    assert [r["kind"] for r in body["results"]] == ["dossier", "dossier"]
    assert sorted(r["value"] for r in body["results"]) == ["early", "late"]
    ratings = api(w.leader).get(EVIDENCE, {"unit": w.a.code, "indicator": "3", "period": "2026-10"}).json()
    assert ratings["count"] == 2 and {r["kind"] for r in ratings["results"]} == {"rating"}
    assert set(ratings["results"][0]) == {"kind", "id", "code", "value"}  # codes only, no personal data


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"indicator": "6"}, "indicator"),
        ({"indicator": "1", "period": "2026-13"}, "period"),
        ({"indicator": "1", "page": "-1"}, "page"),
    ],
)
def test_the_drill_down_refuses_bad_input_in_vietnamese(people, params, field):
    response = api(people.leader).get(EVIDENCE, {"unit": people.a.code, **params})
    assert response.status_code == 400 and field in response.json()["errors"]


def test_the_drill_down_of_a_unit_out_of_reach_is_404(people):
    assert (
        api(people.supervisor_01).get(EVIDENCE, {"unit": people.a.code, "indicator": "1"}).status_code == 404
    )
    assert api(people.counter_a).get(EVIDENCE, {"unit": people.a.code, "indicator": "1"}).status_code == 404


def test_the_drill_down_of_indicator_9_lists_every_dossier_it_rests_on_with_its_channel(people):
    w = people
    body = api(w.leader).get(EVIDENCE, {"unit": w.a.code, "indicator": "9", "period": "2026-10"}).json()
    document = api(w.leader).get(INDICATORS, {"unit": w.a.code, "period": "2026-10"}).json()
    nine = next(r for r in document["tt01"] if r["number"] == 9)
    assert body["count"] == nine["dossiers"] == 3
    assert {r["value"] for r in body["results"]} == {"counter"}
