"""The evaluation's charts, each one Vega-Lite spec built with altair (ADR 0024): the page draws it with vega-embed
from our own static files, the PDF and the spreadsheet get the same spec drawn on the server by vl-convert
(SVG for the PDF, PNG for Excel), in the bundled serif font so Vietnamese prints everywhere.

A builder takes already-read numbers (never a queryset) and `width`: "container" on a page, points on paper."""

from __future__ import annotations

import base64
import functools

from django.utils.translation import gettext as _

from cqtt.core.charts import COLOURS, altair, finish
from cqtt.dossiers.printouts.printing import FONT_DIR, FONT_FAMILY

# The family name inside the bundled TTF files: what vl-convert finds once the directory is registered.
_TTF_FAMILY = "Liberation Serif"


def _finish(chart, *, title: str, width, height: int) -> dict:
    return finish(chart, app="evaluation", title=title, width=width, height=height)


def trend_rates(trends: dict, *, width="container", height: int = 220) -> dict:
    """Monthly on-time, satisfaction and feedback-answered-on-time rates (in %); months without data are gaps."""
    alt = altair()
    series = (
        ("on_time", _("Đúng hạn")),
        ("satisfaction", _("Hài lòng")),
        ("feedback", _("Phản ánh trả lời đúng hạn")),
    )
    values = [
        {"month": label, "series": name, "value": trends[key][i]}
        for key, name in series
        for i, label in enumerate(trends["labels"])
        if trends[key][i] is not None
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=_("Tháng"), sort=list(trends["labels"])),
            y=alt.Y("value:Q", title=_("Tỷ lệ (%)"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("series:N", title=None, sort=[str(n) for _k, n in series]),
            tooltip=[
                alt.Tooltip("month:O", title=_("Tháng")),
                alt.Tooltip("series:N", title=_("Chỉ số")),
                alt.Tooltip("value:Q", title="%"),
            ],
        )
    )
    return _finish(chart, title=_("Tỷ lệ theo tháng (%)"), width=width, height=height)


def trend_letters(trends: dict, *, width="container", height: int = 180) -> dict:
    """Letters made per month."""
    alt = altair()
    values = [{"month": label, "letters": trends["letters"][i]} for i, label in enumerate(trends["labels"])]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color=COLOURS[1])
        .encode(
            x=alt.X("month:O", title=_("Tháng"), sort=list(trends["labels"])),
            y=alt.Y("letters:Q", title=_("Số thư"), axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("month:O", title=_("Tháng")), alt.Tooltip("letters:Q", title=_("Số thư"))],
        )
    )
    return _finish(chart, title=_("Thư đã lập theo tháng"), width=width, height=height)


def ranking_bars(rows: list[dict], *, width="container", limit: int = 40) -> dict:
    """A province's communes by QĐ 766 total (the first `limit`; communes without data left out)."""
    alt = altair()
    values = [
        {"unit": f"{r['rank']}. {r['name']}", "total": r["total"]} for r in rows if r["total"] is not None
    ][:limit]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color=COLOURS[0])
        .encode(
            y=alt.Y("unit:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("total:Q", title=_("Điểm QĐ 766 (trên 100)"), scale=alt.Scale(domain=[0, 100])),
            tooltip=[alt.Tooltip("unit:N", title=_("Đơn vị")), alt.Tooltip("total:Q", title=_("Điểm"))],
        )
    )
    return _finish(
        chart, title=_("Xếp hạng theo Bộ chỉ số QĐ 766"), width=width, height=max(60, 16 * len(values))
    )


def letters_by_kind(counts: dict[str, int], labels: dict[str, str], *, width="container") -> dict:
    """Letters of the period by kind."""
    alt = altair()
    values = [{"kind": str(labels.get(k, k)), "count": n} for k, n in counts.items()]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(color=COLOURS[1])
        .encode(
            y=alt.Y("kind:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("count:Q", title=_("Số thư"), axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("kind:N", title=_("Loại thư")), alt.Tooltip("count:Q", title=_("Số thư"))],
        )
    )
    return _finish(chart, title=_("Thư theo loại"), width=width, height=max(60, 22 * len(values)))


# --- drawn on the server ------------------------------------------------------------------------------------


@functools.cache
def _converter():
    import vl_convert

    vl_convert.register_font_directory(str(FONT_DIR))
    return vl_convert


def _for_paper(spec: dict) -> dict:
    """The spec in the bundled font, by the TTF's own family name (vl-convert reads the font files, not our
    @font-face); the page keeps the browser's sans-serif."""
    out = dict(spec)
    out["config"] = {**spec.get("config", {}), "font": _TTF_FAMILY}
    return out


def to_svg(spec: dict) -> str:
    """The chart as SVG text, its labels in the PDF's @font-face family so WeasyPrint sets them in the bundled
    font."""
    svg = _converter().vegalite_to_svg(_for_paper(spec))
    return svg.replace(f'font-family="{_TTF_FAMILY}"', f'font-family="{FONT_FAMILY}"')


def to_svg_data_uri(spec: dict) -> str:
    """A data: URL of the SVG, the one kind of image the PDF's URL fetcher lets in."""
    return "data:image/svg+xml;base64," + base64.b64encode(to_svg(spec).encode()).decode()


def to_png(spec: dict, *, scale: float = 2) -> bytes:
    """The chart as PNG (for openpyxl, which embeds raster images only)."""
    return _converter().vegalite_to_png(_for_paper(spec), scale=scale)
