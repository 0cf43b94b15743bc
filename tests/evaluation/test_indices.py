"""The pure rules: periods, TT 01/2018's indicators, rounding, bands and exclusions, QĐ 766 qd766-v1."""

import datetime as dt

import pytest

from cqtt.evaluation import indices
from cqtt.evaluation.models import FACT_FIELDS


def facts(**values):
    return {**dict.fromkeys(FACT_FIELDS, 0), **values}


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026-11", "2026-11", dt.date(2026, 11, 1), dt.date(2026, 12, 1)),
        ("2026-12", "2026-12", dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
        ("2026-Q1", "2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 4, 1)),
        ("2026-Q4", "2026-Q4", dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
        ("2026", "2026", dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
    ],
)
def test_periods_are_a_month_a_quarter_or_a_year(text, label, start, end):
    p = indices.parse_period(text)
    assert (p.label, p.start, p.end) == (label, start, end)


def test_a_quarter_has_three_months():
    assert indices.parse_period("2026-Q2").months() == [dt.date(2026, m, 1) for m in (4, 5, 6)]


@pytest.mark.parametrize(
    "text", ["", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-11", "2026/11", "1999", "x"]
)
def test_bad_periods_are_refused(text):
    with pytest.raises(indices.PeriodError):
        indices.parse_period(text)


def test_last_months_end_with_the_month_of_the_day_across_the_year():
    labels = [p.label for p in indices.last_months(dt.date(2026, 2, 15), 4)]
    assert labels == ["2025-11", "2025-12", "2026-01", "2026-02"]


# --- TT 01/2018 ---


def test_indicator_1_is_2_early_1_on_time_0_late_averaged_and_rounded_to_one_decimal():
    assert indices.timeliness_score(1, 0, 0) == 2.0
    assert indices.timeliness_score(0, 1, 0) == 1.0
    assert indices.timeliness_score(0, 0, 1) == 0.0
    assert indices.timeliness_score(1, 1, 1) == 1.0
    assert indices.timeliness_score(2, 0, 1) == 1.3  # 4/3 = 1.333…
    assert indices.timeliness_score(1, 0, 3) == 0.5  # 2/4
    assert indices.timeliness_score(0, 0, 0) is None  # no data


def test_rounding_is_half_up_to_one_decimal():
    assert indices.round1(1.25) == 1.3
    assert indices.round1(1.35) == 1.4
    assert indices.round1(1.349) == 1.3
    assert indices.average_score(5, 3) == 1.7
    assert indices.average_score(0, 0) is None


@pytest.mark.parametrize(
    ("on_time", "late", "score"),
    [(0, 0, 2.0), (10, 0, 2.0), (9, 1, 1.0), (18, 2, 1.0), (8, 2, 0.0), (0, 1, 0.0)],
)
def test_indicator_8_feedback_all_on_time_2_at_least_90_percent_1_else_0(on_time, late, score):
    assert indices.feedback_score(on_time, late) == score


@pytest.mark.parametrize(
    ("online", "received", "late", "score"),
    [
        (30, 100, 0, 2.0),
        (29, 100, 0, 1.0),
        (15, 100, 0, 1.0),
        (14, 100, 0, 0.0),
        (50, 100, 1, 0.0),
        (0, 0, 0, None),
    ],
)
def test_indicator_9_online_share_30_and_15_percent_and_no_late_online_dossier(online, received, late, score):
    assert indices.online_score(online, received, late) == score


def test_indicators_without_data_are_left_out_of_the_total():
    scores = indices.tt01_scores(facts(early=1, on_time=1, late=0, i3_sum=4, i3_n=2))
    assert scores[1] == (1.5, 2) and scores[3] == (2.0, 2)
    assert scores[2][0] is None and scores[4][0] is None and scores[7][0] is None
    assert scores[5] == (None, None) and scores[6] == (None, None)
    assert scores[9][0] is None  # nothing received
    assert scores[8] == (2.0, None)  # no feedback to answer: 2 (TT 01 Art. 13: "none")
    total = indices.tt01_total([s for s, _n in scores.values()])
    assert total == 5.5
    assert indices.tt01_total([None, None]) is None


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (18, "Xuất sắc"),
        (15, "Xuất sắc"),
        (14.9, "Tốt"),
        (12, "Tốt"),
        (11.9, "Khá"),
        (9, "Khá"),
        (8.9, "Trung bình"),
        (6, "Trung bình"),
        (5.9, "Yếu"),
        (0, "Yếu"),
    ],
)
def test_unit_bands(total, band):
    assert str(indices.unit_band(total)) == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (10, "Hoàn thành 100% nhiệm vụ"),
        (5, "Hoàn thành 100% nhiệm vụ"),
        (4.9, "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
        (3.5, "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
        (3.4, "Hoàn thành dưới 70% nhiệm vụ"),
    ],
)
def test_officer_bands(total, band):
    assert str(indices.officer_band(total)) == band


def test_officer_total_is_indicators_1_2_3_4_7_with_data():
    scores = indices.officer_scores(
        {
            "i1_sum": 4,
            "i1_n": 2,
            "i2_sum": 0,
            "i2_n": 0,
            "i3_sum": 3,
            "i3_n": 2,
            "i4_sum": 2,
            "i4_n": 2,
            "i7_sum": 1,
            "i7_n": 1,
        }
    )
    assert scores == {1: 2.0, 2: None, 3: 1.5, 4: 1.0, 7: 1.0}
    assert indices.tt01_total(list(scores.values())) == 5.5


# --- QĐ 766 ---


def _group(groups, n):
    return next(g for g in groups if g["group"] == n)


def _component(group, code):
    return next(c for c in group["components"] if c["code"] == code)


def test_group_2_is_20_times_the_on_time_rate():
    groups = indices.qd766_groups(facts(finished=4, early=1, on_time=2, late=1))
    assert _group(groups, 2)["points"] == 15.0


def test_online_share_gives_full_marks_at_50_percent():
    half = _group(indices.qd766_groups(facts(received=10, online=5)), 3)
    assert _component(half, "3.3")["points"] == 6.0 and half["points"] == 6.0
    fifth = _group(indices.qd766_groups(facts(received=10, online=2)), 3)
    assert _component(fifth, "3.3")["points"] == 2.4
    over = _group(indices.qd766_groups(facts(received=10, online=9)), 3)
    assert _component(over, "3.3")["points"] == 6.0
    assert not _component(over, "3.1")["has_data"] and _component(over, "3.1")["note"] == "không có dữ liệu"


def test_feedback_components_give_6_when_there_is_no_feedback():
    g = _group(indices.qd766_groups(facts(received=1)), 5)
    assert _component(g, "5.2")["points"] == 6.0 and _component(g, "5.3")["points"] == 6.0
    assert not _component(g, "5.4")["has_data"]  # no dossier, no rating
    assert g["points"] == 12.0


def test_feedback_on_time_and_satisfaction():
    g = _group(indices.qd766_groups(facts(feedback_on_time=3, feedback_late=1, dislikes=1)), 5)
    assert _component(g, "5.2")["points"] == 4.5  # 6 × 3/4
    assert _component(g, "5.3")["points"] == 3.0  # 6 × (4 − 1 − 1)/4


def test_tthc_satisfaction_full_marks_at_90_percent():
    g = _group(indices.qd766_groups(facts(finished=10, late=1, rated=10)), 5)
    assert _component(g, "5.4")["rate"] == 0.9 and _component(g, "5.4")["points"] == 6.0
    g = _group(
        indices.qd766_groups(facts(finished=10, late=2, rated=10, unsatisfied=1, very_unsatisfied=1)), 5
    )
    assert _component(g, "5.4")["points"] == 4.0  # 6 × 0.6 / 0.9
    g = _group(indices.qd766_groups(facts(finished=2, late=2, rated=2, unsatisfied=2)), 5)
    assert _component(g, "5.4")["points"] == 0.0  # never below zero


def test_groups_without_data_are_marked_and_left_out_of_the_total():
    groups = indices.qd766_groups(facts(finished=2, early=2))
    for n in (1, 4, 6):
        g = _group(groups, n)
        assert g["points"] is None and all(c["note"] == "không có dữ liệu" for c in g["components"])
    assert [g["max"] for g in groups] == [18, 20, 12, 10, 18, 22] and sum(g["max"] for g in groups) == 100
    # group 2 full; group 5: no feedback (6 + 6) and no dossier late (6)
    assert indices.qd766_total(groups) == 20.0 + 18.0


def test_a_unit_with_nothing_in_the_period_has_no_points_at_all():
    groups = indices.qd766_groups(facts())
    assert all(g["points"] is None for g in groups) and indices.qd766_total(groups) is None


def test_every_component_carries_its_formula_text_and_the_table_is_versioned():
    assert indices.FORMULA_VERSION == "qd766-v1"
    for _n, _name, _max, components in indices.QD766_V1:
        assert all(c.formula for c in components)


def test_scorecard_rates_are_fractions_and_null_without_data():
    card = indices.scorecard(
        facts(
            finished=4, early=1, on_time=2, late=1, rated=5, satisfied=2, very_satisfied=2, letters_thanks=3
        ),
        indices.parse_period("2026-11"),
    )
    assert card == {
        "period": "2026-11",
        "on_time_rate": 0.75,
        "satisfaction_rate": 0.8,
        "feedback_on_time_rate": None,
        "letters": {
            "apology": 0,
            "error_apology": 0,
            "thanks": 3,
            "congratulation": 0,
            "condolence": 0,
            "custom": 0,
        },
        "dossiers_finished": 4,
    }
