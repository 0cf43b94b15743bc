from decimal import Decimal

import pytest

from cqtt.accounts.models import Role
from cqtt.core.process import Refusal
from cqtt.evaluation import criteria_rules as rules

D = Decimal


def test_a_score_is_checked_against_the_weight_and_accepts_a_decimal_comma():
    assert rules.parse_score("7,5", weight=D(10)) == (D("7.50"), "")
    assert rules.parse_score("", weight=D(10)) == (None, "")
    assert rules.parse_score("11", weight=D(10))[1] == "Điểm từ 0 đến 10."
    assert rules.parse_score("-1", weight=D(10))[0] is None
    assert "số" in rules.parse_score("bảy", weight=D(10))[1]
    assert rules.parse_score("NaN", weight=D(10))[0] is None


def test_totals_count_a_missing_score_as_zero_and_the_pass_mark_is_reached_at_equality():
    assert rules.total([D("7.5"), None, D(3)]) == D("10.50")
    assert rules.passes(D(80), D(80))
    assert not rules.passes(D("79.99"), D(80))
    assert not rules.passes(None, D(80))


def test_an_automatic_criterion_turns_its_rate_into_points_of_its_weight():
    assert rules.points_from_rate(92.5, weight=D(15)) == D("13.88")
    assert rules.points_from_rate(None, weight=D(15)) is None
    assert rules.points_from_rate(130, weight=D(10)) == D("10.00")


def test_a_set_needs_criteria_positive_weights_and_a_pass_mark_within_the_total():
    assert rules.check_set(pass_mark=D(80), weights=[D(50), D(50)]) == {}
    assert "pass_mark" in rules.check_set(pass_mark=D(101), weights=[D(50), D(50)])
    assert "criteria" in rules.check_set(pass_mark=D(1), weights=[])
    assert "criteria" in rules.check_set(pass_mark=D(1), weights=[D(0), D(5)])


def test_target_progress_counts_recognised_units_against_a_count_or_a_share_rounded_up():
    # 22 of 22 communes by 2021
    p = rules.target_progress(percent=None, count=22, communes=22, recognised=11)
    assert (p.wanted, p.fraction, p.met) == (22, 0.5, False)
    # 50 % of 45 communes → 23
    p = rules.target_progress(percent=50, count=None, communes=45, recognised=23)
    assert (p.wanted, p.fraction, p.met) == (23, 1.0, True)
    assert rules.target_progress(percent=100, count=None, communes=45, recognised=50).fraction == 1.0


def test_the_table_lets_the_leader_submit_and_only_the_inspection_team_judge():
    t = rules.ASSESSMENT
    assert t.check("submit", "self_assessing", {Role.LEADER}).target == "submitted"
    with pytest.raises(Refusal) as refused:
        t.check("submit", "self_assessing", {Role.SPECIALIST})
    assert not refused.value.conflict
    with pytest.raises(Refusal):
        t.check("inspect", "submitted", {Role.LEADER})
    with pytest.raises(Refusal) as refused:
        t.check("recognise", "submitted", {Role.PROVINCIAL_SUPERVISOR})
    assert refused.value.conflict
    assert t.check("return", "inspected", {Role.PROVINCIAL_SUPERVISOR}).target == "self_assessing"
    assert not t.available("submitted", {Role.OBSERVER})


def test_points_are_written_with_a_decimal_comma():
    assert rules.fmt_points(D("7.50")) == "7,5"
    assert rules.fmt_points(D("80.00")) == "80"
    assert rules.fmt_points(None) == "—"
