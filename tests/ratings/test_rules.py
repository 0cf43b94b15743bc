"""TT 01/2018 indicators, the officer's classification, periods and the satisfaction rate."""

import datetime as dt

from cqtt.ratings import rules
from cqtt.ratings.rules import DossierFacts


def facts(**over):
    base = {"timeliness": "on_time", "step_results": ("on_time",), "supplements": 0, "online": False}
    base.update(over)
    return DossierFacts(**base)


def test_indicators_score_2_1_0_from_the_dossier_and_the_answers():
    early = rules.indicators(
        facts(timeliness="early", step_results=("early", "early")), contacts=None, bodies=None, reasons=[]
    )
    assert early == {"i1": 2, "i2": 2, "i3": 2, "i4": 1, "i7": 2}
    late = rules.indicators(
        facts(timeliness="late", step_results=("early", "late"), supplements=2),
        contacts=None,
        bodies=None,
        reasons=[],
    )
    assert late == {"i1": 0, "i2": 0, "i3": 0, "i4": 1, "i7": 1}
    # the citizen's answers win over the dossier's own data; a conduct complaint sets indicator 7 to 0
    answered = rules.indicators(facts(supplements=2), contacts=1, bodies=2, reasons=["5khong_arrogant"])
    assert answered["i3"] == 1 and answered["i4"] == 0 and answered["i7"] == 0
    # not finished yet: no time indicators; an online dossier needed no body
    open_ = rules.indicators(
        facts(timeliness="", step_results=(), online=True), contacts=None, bodies=None, reasons=[]
    )
    assert open_ == {"i1": None, "i2": None, "i3": 2, "i4": 2, "i7": None}
    # a negative reason that is not about conduct does not
    assert rules.indicators(facts(), contacts=None, bodies=None, reasons=["long_wait"])["i7"] == 1


def test_the_officer_total_leaves_out_indicators_without_data_and_classifies_per_art_15():
    assert rules.indicator_average([2, 1, 1]) == 1.3
    assert rules.indicator_average([]) is None
    total = rules.officer_total({"i1": 1.3, "i2": None, "i3": 2.0, "i4": 1.0, "i7": 1.0})
    assert total == 5.3
    assert rules.officer_class(total) == "Hoàn thành 100% nhiệm vụ"
    assert rules.officer_class(4.0) == "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"
    assert rules.officer_class(3.4) == "Hoàn thành dưới 70% nhiệm vụ"
    assert rules.officer_class(None) == ""


def test_periods_are_a_month_or_a_quarter():
    assert rules.parse_period("2026-11") == (dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert rules.parse_period("2026-12") == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert rules.parse_period("2026-Q4") == (dt.date(2026, 10, 1), dt.date(2027, 1, 1))
    assert rules.parse_period("2026-Q1") == (dt.date(2026, 1, 1), dt.date(2026, 4, 1))
    for bad in ("2026-13", "2026-Q5", "26-11", "2026-1", "", "2026-11x"):
        assert rules.parse_period(bad) is None


def test_satisfaction_rate_is_the_percent_of_satisfied_and_very_satisfied():
    assert rules.satisfaction_rate({"very_satisfied": 2, "satisfied": 1, "unsatisfied": 1}) == 75.0
    assert rules.satisfaction_rate({"neutral": 2, "satisfied": 1}) == 33.3
    assert rules.satisfaction_rate({}) is None


def test_a_three_level_unit_refuses_neutral_and_unknown_reasons():
    assert rules.answer_problems(level="neutral", reasons=[], scale=3, codes=[])["level"]
    assert not rules.answer_problems(level="neutral", reasons=[], scale=5, codes=[])
    errors = rules.answer_problems(level="satisfied", reasons=["4xin_greet"], scale=5, codes=["5biet"])
    assert "reasons" in errors
    assert not rules.answer_problems(level="satisfied", reasons=["4xin_greet"], scale=5, codes=["4xin"])
