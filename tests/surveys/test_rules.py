import pytest

from cqtt.surveys import rules
from tests.surveys.conftest import sample_questions

T = rules.T


@pytest.mark.parametrize(
    "text,tree",
    [
        ("${a} = 'x'", ["cmp", "=", "a", "x"]),
        ("selected(${b}, 'y')", ["sel", "b", "y"]),
        (
            "${a} = 'x' and selected(${b}, 'y') or ${c} != \"z\"",
            ["or", ["and", ["cmp", "=", "a", "x"], ["sel", "b", "y"]], ["cmp", "!=", "c", "z"]],
        ),
        ("not(${a} = 'x')", ["not", ["cmp", "=", "a", "x"]]),
        ("(${n} >= 3)", ["cmp", ">=", "n", "3"]),
    ],
)
def test_show_if_expressions_of_the_xlsform_subset_parse(text, tree):
    assert rules.parse_relevant(text) == tree


@pytest.mark.parametrize(
    "text", ["${a} == 'x'", "${a} = x", "count(${a}) > 1", "${a} = 'x' and", "${A} = '1'"]
)
def test_other_expressions_are_refused_with_a_vietnamese_message(text):
    with pytest.raises(rules.RelevantError) as refused:
        rules.parse_relevant(text)
    assert str(refused.value)


def test_show_if_evaluates_single_multiple_and_number_answers():
    tree = rules.parse_relevant("${a} = 'x' or selected(${b}, 'y') or ${n} > 2")
    assert rules.evaluate(tree, {"a": "x"})
    assert rules.evaluate(tree, {"b": ["z", "y"]})
    assert rules.evaluate(tree, {"n": 3})
    assert not rules.evaluate(tree, {"a": "w", "b": ["z"], "n": 2})
    assert not rules.evaluate(tree, {})


def test_a_hidden_question_is_not_required_and_its_answer_is_dropped():
    qs = sample_questions()
    clean, errors = rules.check_answers(qs, {"da_den": "khong", "so_lan": "7", "hai_long": "3"})
    assert errors == {}
    assert "so_lan" not in clean


def test_a_shown_required_question_without_answer_is_named():
    clean, errors = rules.check_answers(sample_questions(), {"da_den": "co", "hai_long": "3"})
    assert list(errors) == ["so_lan"]
    assert "Ông/bà đã đến bao nhiêu lần?" in errors["so_lan"][0]


def test_a_value_that_is_not_a_choice_is_named_with_its_question():
    _clean, errors = rules.check_answers(sample_questions(), {"da_den": "maybe", "hai_long": "9"})
    assert "«maybe» không phải là một phương án" in errors["da_den"][0]
    assert "hai_long" in errors


def test_multiple_choice_and_matrix_answers_are_checked_and_kept_in_choice_order():
    clean, errors = rules.check_answers(
        sample_questions(),
        {
            "da_den": "khong",
            "hai_long": "5",
            "kenh": ["khac", "niem_yet"],
            "kenh_khac": " Loa  phường ",
            "thai_do.lich_su": "4",
        },
    )
    assert errors == {}
    assert clean["kenh"] == ["niem_yet", "khac"]
    assert clean["kenh_khac"] == "Loa phường"
    assert clean["thai_do.lich_su"] == "4"


def test_unknown_keys_and_bad_numbers_are_refused():
    _c, errors = rules.check_answers(
        sample_questions(), {"x": "1", "da_den": "co", "so_lan": "hai", "hai_long": "1"}
    )
    assert "x" in errors and "so_lan" in errors


def test_a_cell_of_fewer_than_five_answers_is_hidden_and_a_lone_hidden_cell_takes_another_with_it():
    q = rules.Q(key="a", type=T.SELECT_ONE, label="?", choices=[{"value": v, "label": v} for v in "xyz"])
    t = rules.tally([q], [{"a": "x"}] * 6 + [{"a": "y"}] * 5 + [{"a": "z"}] * 2)["a"]
    assert t.counts == {"x": 6, "y": None, "z": None}
    t = rules.tally([q], [{"a": "x"}] * 6 + [{"a": "y"}] * 5)["a"]
    assert t.counts == {"x": 6, "y": 5, "z": 0}


def test_a_question_with_fewer_than_five_answers_shows_no_counts_and_no_mean():
    q = rules.Q(key="a", type=T.LIKERT, label="?", choices=rules.likert_choices())
    t = rules.tally([q], [{"a": "5"}] * 4)["a"]
    assert t.answered == 4 and t.mean is None and set(t.counts.values()) <= {None, 0}


def _scale_answers(counts: dict[str, int], key="a") -> list[dict]:
    return [{key: v} for v, n in counts.items() for _ in range(n)]


def test_a_scale_with_a_hidden_cell_has_no_mean_nor_median_that_would_give_the_cells_away():
    q = rules.Q(key="a", type=T.LIKERT, label="?", choices=rules.likert_choices())
    cells = {"1": 2, "2": 3, "3": 10, "4": 13, "5": 10}  # 38 answers
    t = rules.tally([q], _scale_answers(cells))["a"]
    assert t.answered == 38 and t.counts == {"1": None, "2": None, "3": 10, "4": 13, "5": 10}
    # what a two-decimal mean would have told: the hidden cells hold 38 - 33 = 5 answers, and
    # 1·a + 2·b = 38·mean - (3·10 + 4·13 + 5·10), so a and b exactly
    mean = round(sum(int(v) * n for v, n in cells.items()) / 38, 2)
    weighted = round(38 * mean) - (3 * 10 + 4 * 13 + 5 * 10)
    b = weighted - 5
    assert (5 - b, b) == (cells["1"], cells["2"])
    assert t.mean is None and t.median is None and t.suppressed
    shown = rules.tally([q], _scale_answers({"1": 0, "2": 5, "3": 10, "4": 13, "5": 10}))["a"]
    assert shown.mean == 3.74 and shown.median == 4 and not shown.suppressed


def test_a_row_of_a_matrix_with_a_hidden_cell_has_no_mean_and_the_other_rows_keep_theirs():
    q = rules.Q(
        key="m",
        type=T.LIKERT_MATRIX,
        label="?",
        choices=rules.likert_choices(),
        rows=[{"value": "r1", "label": "R1"}, {"value": "r2", "label": "R2"}],
    )
    sets = [{"m.r1": r1, "m.r2": "4"} for r1 in ["1"] * 2 + ["2"] * 3 + ["3"] * 10 + ["4"] * 13 + ["5"] * 10]
    t = rules.tally([q], sets)["m"]
    assert t.rows["r1"].mean is None and t.rows["r1"].median is None and t.rows["r1"].answered == 38
    assert t.rows["r2"].mean == 4.0 and t.suppressed


def test_two_hidden_cells_that_hold_fewer_than_five_answers_take_the_next_smallest_with_them():
    q = rules.Q(key="a", type=T.LIKERT, label="?", choices=rules.likert_choices())
    t = rules.tally([q], _scale_answers({"1": 1, "2": 1, "3": 20, "4": 16, "5": 0}))["a"]
    # without "4" hidden, the total less the cells shown (2) would say that "1" and "2" have one answer each
    assert t.counts == {"1": None, "2": None, "3": 20, "4": None, "5": 0}
    t = rules.tally([q], _scale_answers({"1": 2, "2": 3, "3": 20, "4": 16, "5": 0}))["a"]
    assert t.counts == {"1": None, "2": None, "3": 20, "4": 16, "5": 0}


PAID = rules.Q(
    key="tra_them",
    type=T.SELECT_ONE,
    label="Có phải trả thêm không?",
    choices=[{"value": v, "label": v} for v in ("khong", "co", "khong_noi")],
)


def _follow_up(relevant: str, key="ghi_ro", type=T.TEXTAREA) -> rules.Q:
    return rules.Q(key=key, type=type, label="Ghi rõ", relevant=relevant, required=True, choices=[])


def _paid_answers() -> list[dict]:
    """30 "no", 2 "yes" (hidden) and 6 "would rather not say" (hidden with it); each "yes" writes the details."""
    return (
        [{"tra_them": "khong"}] * 30
        + [{"tra_them": "co", "ghi_ro": "200 nghìn"}] * 2
        + [{"tra_them": "khong_noi"}] * 6
    )


def test_a_follow_up_asked_on_a_hidden_cell_is_withheld_as_its_count_would_give_the_cell_away():
    questions = [PAID, _follow_up("${tra_them} = 'co'")]
    t = rules.tally(questions, _paid_answers())
    assert t["tra_them"].counts == {"khong": 30, "co": None, "khong_noi": None}
    follow = t["ghi_ro"]
    # counted as any other question, it would say 2: the hidden "yes"
    assert sum(1 for a in _paid_answers() if "ghi_ro" in a) == 2
    assert follow.withheld and follow.answered is None and follow.suppressed


@pytest.mark.parametrize("relevant", ["${tra_them} != 'khong'", "${tra_them} = 'khong'"])
def test_a_follow_up_that_takes_all_or_none_of_the_hidden_cells_is_counted(relevant):
    questions = [PAID, _follow_up(relevant)]
    answers = [rules.visible(questions, {**a, "ghi_ro": "x"})[1] for a in _paid_answers()]  # as stored
    t = rules.tally(questions, answers)["ghi_ro"]
    assert not t.withheld and t.answered == (8 if "!=" in relevant else 30)


def test_under_a_withheld_question_in_a_section_on_a_hidden_cell_or_on_a_number_or_two_questions_is_withheld():
    number = rules.Q(key="so_lan", type=T.INTEGER, label="Mấy lần?")
    choice = rules.Q(
        key="sau", type=T.SELECT_ONE, label="?", choices=[{"value": v, "label": v} for v in ("a", "b")]
    )
    questions = [
        PAID,
        number,
        rules.Q(
            key="co_phai",
            type=T.SELECT_ONE,
            label="?",
            relevant="${tra_them} = 'co'",
            choices=[{"value": v, "label": v} for v in ("a", "b")],
        ),
        rules.Q(key="sau_do", type=T.TEXT, label="?", relevant="${co_phai} = 'a'"),
        rules.Q(key="phan", type=T.SECTION, label="Phần", relevant="${tra_them} = 'co'"),
        rules.Q(key="trong_phan", type=T.TEXT, label="?"),
        rules.Q(key="phan2", type=T.SECTION, label="Phần 2"),
        rules.Q(key="theo_so", type=T.TEXT, label="?", relevant="${so_lan} > 3"),
        rules.Q(key="hai_cau", type=T.TEXT, label="?", relevant="${tra_them} = 'khong' and ${so_lan} > 3"),
        choice,
    ]
    answers = [{**a, "so_lan": 2} for a in _paid_answers()]
    t = rules.tally(questions, answers)
    assert [k for k, v in t.items() if v.withheld] == [
        "co_phai",
        "sau_do",
        "trong_phan",
        "theo_so",
        "hai_cau",
    ]
    assert t["so_lan"].answered == 38 and t["sau"].answered == 0


def test_builder_checks_keys_choices_and_show_if_targets():
    earlier = {"a": rules.Q(key="a", type=T.SELECT_ONE, label="A", choices=[])}
    bad = rules.Q(
        key="A b", type=T.SELECT_ONE, label="", choices=[{"value": "1", "label": "x"}], relevant="${z} = '1'"
    )
    errors = rules.check_question(bad, earlier=earlier)
    assert set(errors) == {"key", "label", "choices", "relevant"}
    likert = rules.Q(key="l", type=T.LIKERT, label="L", choices=rules.likert_choices()[:3])
    assert "choices" in rules.check_question(likert, earlier={})
