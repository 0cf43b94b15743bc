"""Reads of the evaluation indices, from the read model only (a page never counts dossiers): the facts of a unit
or of everything below it for a period, the TT 01/2018 and QĐ 766 tables, a province's ranking, trends, the
officers' TT 01 totals, and the drill-down to the dossiers, ratings and feedback behind an indicator.

Who reads (decision of issue 15): a provincial supervisor reads its province and every commune in it; a
commune's leaders and specialists read their commune; the Fatherland Front observer reads the units its role
reaches (reading is what it is for); counter officers and unit administrators do not. Any other unit is 404."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import user_roles_in, user_scope
from cqtt.core.errors import NotInScope
from cqtt.dossiers.models import Channel, Dossier
from cqtt.feedback.models import FeedbackItem
from cqtt.feedback.models import Status as FeedbackStatus
from cqtt.letters.models import LetterKind
from cqtt.ratings.models import Rating, Review
from cqtt.units.models import Unit, UnitLevel

from . import indices
from .indices import Period
from .models import FACT_FIELDS, OFFICER_FACT_FIELDS, OfficerMonthFact, UnitMonthFact

READ_ROLES = frozenset({Role.PROVINCIAL_SUPERVISOR, Role.LEADER, Role.SPECIALIST, Role.OBSERVER})


def today() -> dt.date:
    return timezone.localdate()


def may_read(user) -> bool:
    """Whether the user holds a role that reads the indices somewhere."""
    scope = user_scope(user)
    return scope.is_global or any(g.role in READ_ROLES for g in scope.grants)


def access_evaluation_unit(*, user, code: str) -> Unit:
    """The unit (province or commune) whose indices the user may read, or NotInScope (404)."""
    unit = Unit.objects.filter(code=(code or "").strip()[:32]).first()
    if unit is None or not (user_roles_in(user, unit) & READ_ROLES):
        raise NotInScope("unit")
    return unit


def evaluation_units_for(*, user) -> list[Unit]:
    """The provinces and communes whose indices the user reads directly (their roles' own units)."""
    scope = user_scope(user)
    if scope.is_global:
        return list(Unit.objects.filter(level=UnitLevel.PROVINCE).order_by("code"))
    ids = {g.unit_id for g in scope.grants if g.role in READ_ROLES}
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


def empty_facts() -> dict[str, int]:
    return dict.fromkeys(FACT_FIELDS, 0)


def _subtree(unit: Unit) -> Q:
    return Q(unit__path__startswith=unit.path)


def facts_of(*, unit: Unit, period: Period) -> dict[str, int]:
    """The sums of the unit's facts, and of every unit below it, over the period."""
    row = UnitMonthFact.objects.filter(
        _subtree(unit),
        month__gte=period.start,
        month__lt=period.end,
    ).aggregate(**{f: Sum(f) for f in FACT_FIELDS})
    return {f: row[f] or 0 for f in FACT_FIELDS}


def indicators_from(facts: dict, period: Period) -> dict:
    """The API's indicators document from summed facts."""
    scores = indices.tt01_scores(facts)
    tt01 = [
        {
            "number": n,
            "name": str(indices.TT01_NAMES[n]),
            "score": score,
            "max": 2,
            "dossiers": count,
        }
        for n, (score, count) in scores.items()
    ]
    groups = indices.qd766_groups(facts)
    return {
        "period": period.label,
        "formula_version": indices.FORMULA_VERSION,
        "tt01": tt01,
        "qd766": groups,
        "total": indices.qd766_total(groups),
    }


def unit_indicators(*, unit: Unit, period: Period) -> dict:
    return indicators_from(facts_of(unit=unit, period=period), period)


def tt01_summary(document: dict) -> dict:
    """The unit's TT 01 total over the indicators with data, its band, and how many indicators were left out."""
    scores = [row["score"] for row in document["tt01"]]
    total = indices.tt01_total(scores)
    return {
        "total": total,
        "band": indices.unit_band(total),
        "with_data": sum(s is not None for s in scores),
        "max": 2 * sum(s is not None for s in scores),
    }


def unit_scorecard(unit: Unit, period: Period) -> dict:
    """The public scorecard of a unit (and everything below it) for a period — the portal's unit page calls
    this; the public API answers the same dict."""
    return indices.scorecard(facts_of(unit=unit, period=period), period)


def province_communes(province: Unit):
    return Unit.objects.filter(path__startswith=province.path, level=UnitLevel.COMMUNE).order_by("code")


def _commune_above(path: str, commune_of_path: dict[str, int]) -> int | None:
    """The commune whose path begins `path` ("79/25747/" for "79/25747/VP/"), or None."""
    codes = path.rstrip("/").split("/") if path else []
    for n in range(len(codes), 0, -1):
        found = commune_of_path.get("/".join(codes[:n]) + "/")
        if found is not None:
            return found
    return None


def commune_facts(*, province: Unit, period: Period) -> tuple[dict[int, dict[str, int]], dict[str, int]]:
    """Each commune's facts over the period with everything below it (its offices and departments), and the
    facts of the province's units that are in no commune (its own departments): one grouped query over the
    province's subtree, each unit then added to the commune whose path begins its own."""
    units = Unit.objects.filter(path__startswith=province.path).values_list("pk", "path", "level")
    commune_of_path, unit_path = {}, {}
    for pk, path, level in units:
        unit_path[pk] = path
        if level == UnitLevel.COMMUNE:
            commune_of_path[path] = pk
    sums = (
        UnitMonthFact.objects.filter(_subtree(province), month__gte=period.start, month__lt=period.end)
        .values("unit_id")
        .annotate(**{f"s_{f}": Sum(f) for f in FACT_FIELDS})
    )
    by_commune: dict[int, dict[str, int]] = {}
    own = empty_facts()
    for r in sums:
        commune = _commune_above(unit_path.get(r["unit_id"], ""), commune_of_path)
        target = own if commune is None else by_commune.setdefault(commune, empty_facts())
        for f in FACT_FIELDS:
            target[f] += r[f"s_{f}"] or 0
    return by_commune, own


def province_ranking(*, province: Unit, period: Period) -> list[dict]:
    """The province's communes sorted by their QĐ 766 total (ties by code; communes without data last), with
    rank, one grouped query over the read model."""
    communes = {u.pk: u for u in province_communes(province).only("id", "code", "name", "path")}
    facts, _own = commune_facts(province=province, period=period)
    rows = []
    for pk, unit in communes.items():
        f = facts.get(pk, empty_facts())
        groups = indices.qd766_groups(f)
        tt01 = [s for s, _n in indices.tt01_scores(f).values()]
        tt01_total = indices.tt01_total(tt01)
        rows.append(
            {
                "unit": unit.code,
                "name": unit.name,
                "total": indices.qd766_total(groups),
                "tt01_total": tt01_total,
                "tt01_band": None if tt01_total is None else str(indices.unit_band(tt01_total)),
                "on_time_rate": indices.scorecard(f, period)["on_time_rate"],
                "dossiers_finished": f["finished"],
            }
        )
    rows.sort(key=lambda r: (r["total"] is None, -(r["total"] or 0), r["unit"]))
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
    return rows


def unit_trends(*, unit: Unit, day: dt.date | None = None, months: int = 12) -> dict:
    """Monthly series for the charts: on-time rate, satisfaction rate, feedback answered on time (in %), and
    letters sent."""
    periods = indices.last_months(day or today(), months)
    rows = (
        UnitMonthFact.objects.filter(_subtree(unit), month__gte=periods[0].start, month__lt=periods[-1].end)
        .values("month")
        .annotate(**{f"s_{f}": Sum(f) for f in FACT_FIELDS})
    )
    by_month = {r["month"]: {f: r[f"s_{f}"] or 0 for f in FACT_FIELDS} for r in rows}
    out = {"labels": [], "on_time": [], "satisfaction": [], "feedback": [], "letters": []}
    for p in periods:
        card = indices.scorecard(by_month.get(p.start, empty_facts()), p)
        out["labels"].append(p.label)
        for key, field in (
            ("on_time", "on_time_rate"),
            ("satisfaction", "satisfaction_rate"),
            ("feedback", "feedback_on_time_rate"),
        ):
            value = card[field]
            out[key].append(None if value is None else round(100 * value, 1))
        out["letters"].append(sum(card["letters"].values()))
    return out


def officer_indicators(*, unit: Unit, period: Period) -> list[dict]:
    """TT 01 indicators 1, 2, 3, 4, 7 of each officer rated in the unit (and below) over the period, with the
    Art. 15 total and band."""
    rows = (
        OfficerMonthFact.objects.filter(_subtree(unit), month__gte=period.start, month__lt=period.end)
        .values("officer_id")
        .annotate(**{f"s_{f}": Sum(f) for f in OFFICER_FACT_FIELDS})
    )
    names = {}
    facts = {r["officer_id"]: {f: r[f"s_{f}"] or 0 for f in OFFICER_FACT_FIELDS} for r in rows}
    if facts:
        names = dict(
            User.objects.filter(pk__in=list(facts)).values_list("pk", "full_name")
        )  # staff names, not citizens'
    out = []
    for officer_id, f in facts.items():
        scores = indices.officer_scores(f)
        total = indices.tt01_total(list(scores.values()))
        out.append(
            {
                "officer_id": officer_id,
                "name": names.get(officer_id) or f"#{officer_id}",
                "rated": f["rated"],
                "scores": scores,
                "total": total,
                "band": indices.officer_band(total),
            }
        )
    out.sort(key=lambda r: (r["total"] is None, -(r["total"] or 0), r["name"]))
    return out


# --- drill-down ------------------------------------------------------------------------------------------------

EVIDENCE = ("1", "2", "3", "4", "7", "8", "9", "2.1", "3.3", "5.2", "5.3", "5.4")


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(period.start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(period.end, dt.time.min, tzinfo=tz),
    )


def indicator_evidence(
    *, user, unit: Unit, period: Period, indicator: str, page: int = 1, per_page: int = 50
):
    """The records behind one indicator of the unit (and below) over the period — ids and codes, no personal
    data — as a page of {kind, id, code, value}. The unit is checked against the user's scope first."""
    access_evaluation_unit(user=user, code=unit.code)
    start, end = _bounds(period)
    if indicator not in EVIDENCE:
        raise NotInScope("indicator")
    units = Unit.objects.filter(path__startswith=unit.path).values("pk")
    if indicator in ("1", "2.1", "5.4"):
        qs = (
            Dossier.objects.filter(handling_unit_id__in=units, finished_at__gte=start, finished_at__lt=end)
            .exclude(timeliness="")
            .order_by("finished_at", "pk")
            .values_list("pk", "code", "timeliness")
        )
        kind = "dossier"
    elif indicator == "9":  # the share of online dossiers among all received: every one, with its channel
        qs = (
            Dossier.objects.filter(handling_unit_id__in=units, received_at__gte=start, received_at__lt=end)
            .order_by("received_at", "pk")
            .values_list("pk", "code", "channel")
        )
        kind = "dossier"
    elif indicator == "3.3":
        qs = (
            Dossier.objects.filter(
                handling_unit_id__in=units,
                received_at__gte=start,
                received_at__lt=end,
                channel=Channel.ONLINE,
            )
            .order_by("received_at", "pk")
            .values_list("pk", "code", "timeliness")
        )
        kind = "dossier"
    elif indicator in ("2", "3", "4", "7"):
        qs = (
            Rating.objects.filter(unit_id__in=units, rated_at__gte=start, rated_at__lt=end)
            .exclude(review=Review.EXCLUDED)
            .filter(**{f"i{indicator}__isnull": False})
            .order_by("rated_at", "pk")
            .values_list("pk", "dossier__code", f"i{indicator}")
        )
        kind = "rating"
    else:
        qs = (
            FeedbackItem.objects.filter(
                unit_id__in=units, answered_at__gte=start, answered_at__lt=end, on_time__isnull=False
            )
            .exclude(status__in=[FeedbackStatus.REFUSED, FeedbackStatus.MOVED])
            .order_by("answered_at", "pk")
            .values_list("pk", "code", "on_time")
        )
        kind = "feedback"
    paginator = Paginator(qs, per_page)
    page_obj = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": page_obj.number,
        "pages": paginator.num_pages,
        "results": [{"kind": kind, "id": pk, "code": code, "value": value} for pk, code, value in page_obj],
    }


def unit_public_scorecard(unit: Unit, today: dt.date) -> dict:
    """What the unit's public page shows: this month, this quarter and this year to date, each with the
    scorecard's rates, letters by kind and the dialogue commitments kept on time (from the read model)."""
    quarter = (today.month - 1) // 3 + 1
    periods = [
        (indices.month_period(today), _("Tháng %(m)s/%(y)s") % {"m": today.month, "y": today.year}),
        (
            indices.parse_period(f"{today.year}-Q{quarter}"),
            _("Quý %(q)s/%(y)s") % {"q": quarter, "y": today.year},
        ),
        (indices.parse_period(str(today.year)), _("Năm %(y)s") % {"y": today.year}),
    ]
    kinds = dict(LetterKind.choices)
    columns = []
    for period, title in periods:
        facts = facts_of(unit=unit, period=period)
        card = indices.scorecard(facts, period)
        columns.append(
            {
                "title": title,
                "card": card,
                "letters": [(kinds.get(k, k), n) for k, n in card["letters"].items() if n],
                "letters_total": sum(card["letters"].values()),
                "commitments_due": facts["commitments_due"],
                "commitments_kept": facts["commitments_kept"],
            }
        )
    return {"template": "evaluation/_public_scorecard.html", "columns": columns, "today": today}
