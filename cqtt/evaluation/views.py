"""Staff pages of the indices: the province's ranking of its communes with trend charts (`home`), a unit's
TT 01/2018 and QĐ 766 tables with the "no data" marks and the formula texts (`unit`), its officers' TT 01 totals
(`officers`) and the records behind one indicator (`evidence`). Everything is read from the read model, except
the drill-down's one page of records. Scoping is the selectors' (`access_evaluation_unit`): another unit is 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from cqtt.core.errors import NotInScope
from cqtt.dossiers.models import Channel, Timeliness
from cqtt.units.models import UnitLevel

from . import charts, indices, selectors
from .criteria_selectors import targets_progress


def _staff(view):
    """Login required; a unit out of scope, or no role that reads the indices → 404."""

    @login_required
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotInScope:
            raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem.")) from None

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _period(request) -> tuple[indices.Period, str]:
    """The period asked for (this month when none or a bad one), and a message when it was bad."""
    text = (request.GET.get("period") or "").strip()[:16]
    if text:
        try:
            return indices.parse_period(text), ""
        except indices.PeriodError:
            return indices.month_period(selectors.today()), _(
                "Kỳ đánh giá không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm)."
            )
    return indices.month_period(selectors.today()), ""


def _period_choices() -> list[str]:
    day = selectors.today()
    months = [p.label for p in indices.last_months(day, 12)][::-1]
    quarter = (day.month - 1) // 3 + 1
    return [*months, f"{day.year}-Q{quarter}", str(day.year), str(day.year - 1)]


def _trend_chart(unit) -> dict:
    """The unit's 12 months: the two Vega-Lite specs (ADR 0024) and the rows of the table under them."""
    trends = selectors.unit_trends(unit=unit)
    rows = [
        (
            label,
            (trends["on_time"][i], trends["satisfaction"][i], trends["feedback"][i]),
            trends["letters"][i],
        )
        for i, label in enumerate(trends["labels"])
    ]
    return {
        "rows": rows,
        "rate_columns": [_("Đúng hạn (%)"), _("Hài lòng (%)"), _("Phản ánh trả lời đúng hạn (%)")],
        "letters_column": _("Thư đã lập"),
        "rates_spec": charts.trend_rates(trends),
        "letters_spec": charts.trend_letters(trends),
    }


@_staff
def home(request):
    """The ranking of a province's communes for a period, with the province's trends."""
    units = selectors.evaluation_units_for(user=request.user)
    if not units:
        raise NotInScope("unit")
    provinces = [u for u in units if u.level == UnitLevel.PROVINCE]
    if not provinces:  # a commune's readers: their commune's indicators
        return _unit_page(request, units[0])
    code = (request.GET.get("province") or "").strip()
    province = selectors.access_evaluation_unit(user=request.user, code=code) if code else provinces[0]
    if province.level != UnitLevel.PROVINCE:
        raise NotInScope("unit")
    period, problem = _period(request)
    rows = selectors.province_ranking(province=province, period=period)
    return render(
        request,
        "evaluation/home.html",
        {
            "province": province,
            "provinces": provinces,
            "period": period,
            "problem": problem,
            "periods": _period_choices(),
            "rows": rows,
            "ranking_spec": charts.ranking_bars(rows) if any(r["total"] is not None for r in rows) else None,
            "chart": _trend_chart(province),
            "targets": targets_progress(province=province),
            "formula_version": indices.FORMULA_VERSION,
        },
    )


@_staff
def unit(request, code: str):
    """A commune's (or a province's) two tables, the formula texts and the trends."""
    return _unit_page(request, selectors.access_evaluation_unit(user=request.user, code=code))


def _unit_page(request, target):
    period, problem = _period(request)
    document = selectors.unit_indicators(unit=target, period=period)
    return render(
        request,
        "evaluation/unit.html",
        {
            "unit": target,
            "period": period,
            "problem": problem,
            "periods": _period_choices(),
            "doc": document,
            "tt01": selectors.tt01_summary(document),
            "evidence": set(selectors.EVIDENCE),
            "chart": _trend_chart(target),
            "is_province": target.level == UnitLevel.PROVINCE,
            "ranking_province": _ranking_province(request.user, target),
            "no_data": indices.NO_DATA,
        },
    )


def _ranking_province(user, target):
    """The province whose ranking the user may go back to from a commune's page (None if it does not read it)."""
    if target.level == UnitLevel.PROVINCE or not target.province_code:
        return None
    try:
        return selectors.access_evaluation_unit(user=user, code=target.province_code)
    except NotInScope:
        return None


@_staff
def officers(request, code: str):
    """The officers rated in the unit, with TT 01 indicators 1, 2, 3, 4, 7 and the Art. 15 band."""
    target = selectors.access_evaluation_unit(user=request.user, code=code)
    period, problem = _period(request)
    return render(
        request,
        "evaluation/officers.html",
        {
            "unit": target,
            "period": period,
            "problem": problem,
            "periods": _period_choices(),
            "rows": selectors.officer_indicators(unit=target, period=period),
            "numbers": indices.OFFICER_INDICATORS,
            "no_data": indices.NO_DATA,
        },
    )


@_staff
def evidence(request, code: str, indicator: str):
    """The dossiers, ratings or feedback items behind one indicator (codes, a page at a time)."""
    target = selectors.access_evaluation_unit(user=request.user, code=code)
    period, problem = _period(request)
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    data = selectors.indicator_evidence(
        user=request.user, unit=target, period=period, indicator=indicator, page=page
    )
    for r in data["results"]:
        r["label"] = _value_label(r["kind"], r["value"])
    return render(
        request,
        "evaluation/evidence.html",
        {"unit": target, "period": period, "problem": problem, "indicator": indicator, "data": data},
    )


def _value_label(kind: str, value) -> str:
    """What a record's value says to a reader: a dossier's timeliness, whether a feedback item was answered on
    time, a rating's score (the API keeps the codes)."""
    if kind == "dossier":  # its timeliness, or (indicator 9) its channel
        if value in Channel.values:
            return str(Channel(value).label)
        return str(Timeliness(value).label) if value in Timeliness.values else "—"
    if kind == "feedback":
        return _("Trả lời đúng hạn") if value else _("Trả lời quá hạn")
    return "—" if value is None else str(value)
