"""The results' chart specs: a hidden cell is neither a bar nor a number of the spec, nothing to draw is no chart,
and the spec is valid Vega-Lite (vl-convert draws it)."""

import json

import vl_convert

from cqtt.surveys import charts

ROWS = [
    {"label": "Rất không hài lòng", "count": None, "pct": None, "before": 6, "before_pct": 20},
    {"label": "Hài lòng", "count": 10, "pct": 50, "before": None, "before_pct": None},
    {"label": "Rất hài lòng", "count": 10, "pct": 50, "before": 24, "before_pct": 80},
]


def test_a_hidden_cell_is_left_out_and_its_label_kept():
    spec = charts.choice_bars(ROWS, compare=True)
    assert [(v["label"], v["series"], v["pct"]) for v in spec["data"]["values"]] == [
        ("Rất không hài lòng", "Đợt trước", 20),
        ("Hài lòng", "Đợt này", 50),
        ("Rất hài lòng", "Đợt trước", 80),
        ("Rất hài lòng", "Đợt này", 50),
    ]
    assert "null" not in json.dumps(spec["data"])
    assert spec["encoding"]["y"]["scale"]["domain"] == [r["label"] for r in ROWS]
    assert spec["usermeta"] == {"cqtt": "surveys"} and spec["width"] == "container"
    # without the comparison the earlier campaign's numbers are not in the spec at all
    alone = charts.choice_bars(ROWS, compare=False)
    assert [v["n"] for v in alone["data"]["values"]] == [10, 10] and "yOffset" not in alone["encoding"]
    assert alone["encoding"]["color"]["legend"] is None


def test_nothing_to_draw_is_no_chart():
    assert charts.choice_bars([{"label": "Có", "count": None, "pct": None}], compare=False) is None
    assert (
        charts.matrix_means([{"label": "Lịch sự", "mean": None, "before_mean": None}], compare=True) is None
    )


def test_a_matrix_draws_each_row_s_mean_from_one_and_the_specs_are_valid():
    spec = charts.matrix_means(
        [{"label": "Lịch sự", "mean": 4.2, "before_mean": 3.5}, {"label": "Tận tình", "mean": None}],
        compare=True,
        width=400,
    )
    assert [(v["label"], v["mean"]) for v in spec["data"]["values"]] == [("Lịch sự", 3.5), ("Lịch sự", 4.2)]
    assert spec["encoding"]["x"]["scale"]["domain"] == [1, 5] and spec["encoding"]["x2"] == {"datum": 1}
    for s in (spec, charts.choice_bars(ROWS, compare=True)):
        s = {**s, "width": 400}
        assert vl_convert.vegalite_to_svg(s).count('role="graphics-symbol"') >= 2
