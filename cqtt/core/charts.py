"""What every app's charts share (ADR 0024): one Vega-Lite spec per chart, built with altair from already-read
numbers and drawn in the page by `static/core/charts.js` (vega-embed from our own static files). The apps keep
their own builders (`evaluation.charts`, `surveys.charts`); a builder ends with `finish`."""

from __future__ import annotations

# The site's chart colours, in the order a chart's series take them.
COLOURS = ["#1f6f43", "#1d4f91", "#b3261e", "#8a5a00", "#5b3f8c", "#4d4d4d"]
# An earlier period or campaign drawn beside this one.
EARLIER = "#9aa5b1"


def altair():
    """The altair module, imported only when a chart is built (half a second to import)."""
    import altair as alt

    return alt


def finish(chart, *, app: str, width, height: int, title: str | None = None) -> dict:
    """The chart as a Vega-Lite dict in the site's colours, `width` "container" on a page or points on paper;
    `usermeta` names the app that built it."""
    properties = {"width": width, "height": height}
    if title:
        properties["title"] = title
    spec = chart.properties(**properties).configure_range(category=COLOURS).to_dict()
    spec["usermeta"] = {"cqtt": app}
    return spec
