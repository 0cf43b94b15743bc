"""The results' charts, one Vega-Lite spec per question built with altair (ADR 0024), drawn in the page by
`core/static/core/charts.js`: horizontal bars, the earlier campaign's bar beside this one's when they are compared.

A builder takes the rows of the question's table as the results page has them (`views._result_blocks`), after the
small-cell rule: a hidden cell (None) is left out of the spec, never drawn nor carried in its data; its label stays
on the axis with no bar, as its row stays in the table written "< 5". None when there is nothing to draw."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cqtt.core.charts import COLOURS, EARLIER, altair, finish

THIS = COLOURS[2]
BAR = 14  # points per bar; a choice's band holds one bar per campaign drawn


def _series(compare: bool) -> tuple[list[str], list[str]]:
    """The campaigns drawn (the earlier first, as in the table) and their colours."""
    if compare:
        return [_("Đợt trước"), _("Đợt này")], [EARLIER, THIS]
    return [_("Đợt này")], [THIS]


def _bars(
    values: list[dict], labels: list[str], compare: bool, *, what: str, x, x2=None, tooltip: list, width
) -> dict:
    alt = altair()
    names, colours = _series(compare)
    encoding = {
        "y": alt.Y(
            "label:N", title=None, sort=labels, scale=alt.Scale(domain=labels), axis=alt.Axis(labelLimit=260)
        ),
        "x": x,
        "color": alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=names, range=colours),
            legend=alt.Legend(orient="top") if compare else None,
        ),
        "tooltip": [
            alt.Tooltip("label:N", title=what),
            alt.Tooltip("series:N", title=_("Đợt")),
            *tooltip,
        ],
    }
    if compare:
        encoding["yOffset"] = alt.YOffset("series:N", sort=names, scale=alt.Scale(domain=names))
    if x2 is not None:
        encoding["x2"] = x2
    chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(**encoding)
    return finish(chart, app="surveys", width=width, height=max(40, len(labels) * (BAR * len(names) + 8)))


def choice_bars(rows: list[dict], *, compare: bool, width="container") -> dict | None:
    """A single or multiple choice or a scale: each choice's share of the answers in % (`pct`, and `before_pct`
    of the earlier campaign when `compare`); the tooltip adds the count."""
    alt = altair()
    earlier, this = _series(True)[0]
    values = []
    for r in rows:
        if compare and r.get("before_pct") is not None:
            values.append(
                {"label": str(r["label"]), "series": earlier, "pct": r["before_pct"], "n": r["before"]}
            )
        if r["pct"] is not None:
            values.append({"label": str(r["label"]), "series": this, "pct": r["pct"], "n": r["count"]})
    if not values:
        return None
    return _bars(
        values,
        [str(r["label"]) for r in rows],
        compare,
        what=_("Phương án"),
        x=alt.X(
            "pct:Q",
            title=_("Tỷ lệ người trả lời (%)"),
            scale=alt.Scale(domain=[0, 100]),
            axis=alt.Axis(values=[0, 20, 40, 60, 80, 100]),
        ),
        tooltip=[alt.Tooltip("pct:Q", title="%"), alt.Tooltip("n:Q", title=_("Số phiếu"))],
        width=width,
    )


def matrix_means(rows: list[dict], *, compare: bool, width="container") -> dict | None:
    """A scale matrix: each row's mean on 1–5 (`mean`, and `before_mean` when `compare`), the bar starting at 1;
    a row whose mean is not given (fewer than 5 answers, or a hidden level) has no bar."""
    alt = altair()
    earlier, this = _series(True)[0]
    values = []
    for r in rows:
        if compare and r.get("before_mean") is not None:
            values.append({"label": str(r["label"]), "series": earlier, "mean": r["before_mean"]})
        if r["mean"] is not None:
            values.append({"label": str(r["label"]), "series": this, "mean": r["mean"]})
    if not values:
        return None
    return _bars(
        values,
        [str(r["label"]) for r in rows],
        compare,
        what=_("Nội dung"),
        x=alt.X(
            "mean:Q",
            title=_("Điểm trung bình (1–5)"),
            scale=alt.Scale(domain=[1, 5]),
            axis=alt.Axis(values=[1, 2, 3, 4, 5]),
        ),
        x2=alt.datum(1),
        tooltip=[alt.Tooltip("mean:Q", title=_("Trung bình"), format=".2f")],
        width=width,
    )
