"""The staff pages: the province's ranking with the trends, a unit's two tables with the no-data marks and the
formula texts, the officers, the drill-down; scoping by role and unit; the staff home link."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cqtt.accounts.models import Role
from cqtt.evaluation.templatetags.evaluation_links import may_open_evaluation
from tests.dossiers.conftest import at
from tests.factories import make_province, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(two_months):
    w = two_months
    w.supervisor = make_user("giamsat79", unit=w.city, role=Role.PROVINCIAL_SUPERVISOR)
    w.supervisor_01 = make_user(
        "giamsat01", unit=make_province("01", "Hà Nội"), role=Role.PROVINCIAL_SUPERVISOR
    )
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False):
        yield w


def client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_supervisor_s_home_ranks_the_province_s_communes_with_charts(people):
    w = people
    response = client(w.supervisor).get(reverse("evaluation:home"), {"period": "2026-10"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Phường Thủ Dầu Một" in text and "Phường Thuận An" in text
    assert text.index("Phường Thủ Dầu Một") < text.index("Phường Thuận An")
    # three Vega-Lite specs for vega-embed from our static files (no inline script, no Chart.js), tables under them
    for chart in ("eval-rates", "eval-letters", "eval-ranking"):
        assert f'id="{chart}-spec" type="application/json"' in text
    assert response.context["ranking_spec"]["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert "core/vendor/vega/vega-embed.min.js" in text and "core/vendor/vega/vega-interpreter.js" in text
    assert "chart.umd.min.js" not in text and "<script>" not in text
    assert 'class="eval-table eval-trends"' in text and 'class="eval-table eval-ranking"' in text
    assert "không phải điểm chính thức" in text


def test_a_bad_period_on_a_page_says_so_and_shows_this_month(people):
    response = client(people.supervisor).get(reverse("evaluation:home"), {"period": "2026-13"})
    assert response.status_code == 200
    assert "Kỳ đánh giá không hợp lệ" in response.content.decode()
    assert response.context["period"].label == "2026-11"


def test_a_commune_leader_s_home_is_the_commune_s_indicators(people):
    response = client(people.leader).get(reverse("evaluation:home"))
    assert response.status_code == 200 and response.context["unit"] == people.a


def test_the_commune_page_shows_the_two_tables_no_data_marks_and_formulas(people):
    response = client(people.leader).get(reverse("evaluation:unit", args=["25747"]), {"period": "2026-10"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Thông tư 01/2018" in text and "766" in text and "qd766-v1" in text
    assert "không có dữ liệu" in text
    assert "20 × (trước hạn + đúng hạn) / đã giải quyết" in text
    assert reverse("evaluation:evidence", args=["25747", "1"]) in text
    assert 'id="eval-rates-spec"' in text and 'id="eval-letters-spec"' in text and "eval-ranking" not in text
    assert response.context["chart"]["rates_spec"]["usermeta"] == {"cqtt": "evaluation"}


def test_the_officers_and_the_drill_down_pages(people):
    w = people
    c = client(w.leader)
    officers = c.get(reverse("evaluation:officers", args=["25747"]), {"period": "2026-Q4"})
    assert officers.status_code == 200 and "Nguyễn Thị Hà" in officers.content.decode()
    assert "vendor/vega" not in officers.content.decode()  # no chart, no vega bundles
    evidence = c.get(reverse("evaluation:evidence", args=["25747", "1"]), {"period": "2026-10"})
    assert evidence.status_code == 200
    assert "2 bản ghi" in evidence.content.decode()
    assert "Phạm Văn Bình" not in evidence.content.decode()  # codes, no applicant


def test_the_drill_down_says_the_values_in_words_not_codes(people):
    c = client(people.leader)
    dossiers = c.get(reverse("evaluation:evidence", args=["25747", "1"]), {"period": "2026-10"})
    text = dossiers.content.decode()
    assert "Trước hạn" in text and "Quá hạn" in text and ">early<" not in text and ">late<" not in text
    october = c.get(
        reverse("evaluation:evidence", args=["25747", "8"]), {"period": "2026-10"}
    ).content.decode()
    november = c.get(
        reverse("evaluation:evidence", args=["25747", "8"]), {"period": "2026-11"}
    ).content.decode()
    assert "Trả lời đúng hạn" in october and ">True<" not in october
    assert "Trả lời quá hạn" in november and ">False<" not in november


def test_the_supervisor_drills_down_from_the_province_to_a_commune(people):
    w = people
    c = client(w.supervisor)
    assert c.get(reverse("evaluation:unit", args=["79"])).status_code == 200
    assert c.get(reverse("evaluation:unit", args=["25747"])).status_code == 200
    assert c.get(reverse("evaluation:officers", args=["25747"])).status_code == 200


@pytest.mark.parametrize(
    ("who", "name", "args"),
    [
        ("leader", "evaluation:unit", ["25978"]),
        ("specialist_b", "evaluation:unit", ["25747"]),
        ("specialist_b", "evaluation:officers", ["25747"]),
        ("specialist_b", "evaluation:evidence", ["25747", "1"]),
        ("supervisor_01", "evaluation:unit", ["25747"]),
        ("leader", "evaluation:unit", ["79"]),
        ("counter_a", "evaluation:home", []),
        ("counter_a", "evaluation:unit", ["25747"]),
        ("leader", "evaluation:evidence", ["25747", "nope"]),
    ],
)
def test_other_units_and_roles_get_404(people, who, name, args):
    response = client(getattr(people, who)).get(reverse(name, args=args))
    assert response.status_code == 404


def test_the_supervisor_of_another_province_cannot_choose_this_one(people):
    response = client(people.supervisor_01).get(reverse("evaluation:home"), {"province": "79"})
    assert response.status_code == 404


def test_the_observer_reads(people):
    assert client(people.observer).get(reverse("evaluation:unit", args=["25747"])).status_code == 200


def test_the_home_link_shows_for_readers_only(people):
    w = people
    assert (
        may_open_evaluation(w.leader)
        and may_open_evaluation(w.supervisor)
        and may_open_evaluation(w.observer)
    )
    assert not may_open_evaluation(w.counter_a)


def test_a_commune_page_links_back_to_the_ranking_for_whoever_reads_the_province(people):
    back = "Xếp hạng các xã, phường của Thành phố Hồ Chí Minh"
    page = client(people.supervisor).get(reverse("evaluation:unit", args=["25747"])).content.decode()
    assert back in page and reverse("evaluation:home") + "?province=79" in page
    assert back not in client(people.leader).get(reverse("evaluation:unit", args=["25747"])).content.decode()


def test_the_ranking_page_carries_the_province_s_roll_out_targets(people):
    import datetime as dt

    from cqtt.evaluation import criteria_services

    criteria_services.target_save(
        actor=people.supervisor,
        province=people.city,
        name="100 % xã, phường đạt mô hình",
        due_on=dt.date(2030, 12, 31),
        percent=100,
    )
    page = client(people.supervisor).get(reverse("evaluation:home")).content.decode()
    assert (
        'data-testid="home-targets"' in page
        and "100 % xã, phường đạt mô hình" in page
        and "31/12/2030" in page
    )
