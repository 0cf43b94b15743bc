"""Reads of the surveys, scoped through the permission layer: the staff of a unit see its forms and campaigns; the
Fatherland Front observer sees its unit's campaigns and their results, and the answers of its own kind only; the
public sees open campaigns and nothing of the answers but the counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import user_roles_in, user_scope
from cqtt.units.models import Unit

from . import rules, xlsform
from .models import Campaign, CampaignKind, CampaignStatus, Channel, Question, Response, SurveyForm

ENTRY_ROLES = rules.CAMPAIGN_ROLES | {Role.COUNTER_OFFICER}  # who types in paper forms
# who reads a unit's campaigns and their results
READ_ROLES = ENTRY_ROLES | {Role.OBSERVER, Role.PROVINCIAL_SUPERVISOR}
FORM_ROLES = rules.CAMPAIGN_ROLES | {Role.OBSERVER}  # who picks forms (the observer for its own campaigns)


def _unit_ids(user, roles) -> list[int] | None:
    """Ids of the units reached by one of `roles` (None: every unit)."""
    scope = user_scope(user)
    if scope.is_global:
        return None
    roots = {g.unit_path for g in scope.grants if g.role in roles}
    if not roots:
        return []
    q = Q()
    for path in roots:
        q |= Q(path__startswith=path)
    return list(Unit.objects.filter(q).values_list("pk", flat=True))


def survey_units_for(user, roles=READ_ROLES) -> list[Unit]:
    """The units a page lets the user pick: where they hold one of `roles`, and the communes below them."""
    ids = _unit_ids(user, roles)
    qs = Unit.objects.filter(level="commune") if ids is None else Unit.objects.filter(pk__in=ids)
    grants = {g.unit_id for g in user_scope(user).grants if g.role in roles}
    return list(qs.filter(Q(level="commune") | Q(pk__in=grants)).order_by("path")[:500])


def may_use_surveys(user, roles=READ_ROLES) -> bool:
    """Whether the staff navigation shows the surveys' pages open to `roles`."""
    scope = user_scope(user)
    return scope.is_global or any(g.role in roles for g in scope.grants)


def as_rule(question: Question) -> rules.Q:
    return rules.Q(
        key=question.key,
        type=question.type,
        label=question.label,
        required=question.required,
        relevant=question.relevant,
        hint=question.hint,
        choices=list(question.choices or []),
        rows=list(question.rows or []),
        min_value=question.min_value,
        max_value=question.max_value,
    )


def form_rules(form: SurveyForm) -> list[rules.Q]:
    return [as_rule(q) for q in form.questions.order_by("position")]


def accepts_answers(campaign: Campaign, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return campaign.status == CampaignStatus.OPEN and campaign.starts_on <= today <= campaign.ends_on


def can_enter_paper(user, campaign: Campaign) -> bool:
    roles = user_roles_in(user, campaign.unit)
    wanted = ENTRY_ROLES | ({Role.OBSERVER} if campaign.kind == CampaignKind.FATHERLAND_FRONT else set())
    return bool(roles & wanted)


# --- forms -------------------------------------------------------------------------------------------------


def forms_for(*, user, unit: Unit | None = None) -> QuerySet[SurveyForm]:
    """The built-in forms and the forms of the units the user manages (or, with `unit`, of that unit only)."""
    ids = _unit_ids(user, FORM_ROLES)
    own = Q(unit__isnull=True)
    if unit is not None:
        own |= Q(unit=unit)
    elif ids is None:
        own = Q()
    else:
        own |= Q(unit_id__in=ids)
    qs = SurveyForm.objects.filter(own)
    if ids is not None and unit is not None and unit.pk not in ids:
        qs = SurveyForm.objects.filter(unit__isnull=True)
    return (
        qs.annotate(n_questions=Count("questions")).select_related("unit").order_by("-builtin", "code", "pk")
    )


def form_for(*, user, pk) -> SurveyForm | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return forms_for(user=user).filter(pk=pk).first()


def question_for(*, form: SurveyForm, pk) -> Question | None:
    try:
        return form.questions.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


# --- campaigns ---------------------------------------------------------------------------------------------


def campaigns_for(
    *, user, unit: Unit | None = None, kind: str | None = None, status: str | None = None
) -> QuerySet[Campaign]:
    ids = _unit_ids(user, READ_ROLES)
    qs = Campaign.objects.all() if ids is None else Campaign.objects.filter(unit_id__in=ids)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("unit", "form", "paired_with")
        .annotate(n_responses=Count("responses"))
        .order_by("-starts_on", "-pk")
    )


def campaign_for(*, user, public_id: str) -> Campaign | None:
    if not public_id or len(public_id) > 16:
        return None
    return campaigns_for(user=user).filter(public_id=public_id).first()


@dataclass(frozen=True)
class CampaignRights:
    run: bool  # open, close
    enter: bool  # type in paper forms
    export: bool  # the raw answers' xlsx
    free_text: bool  # the free-text answers in the export (the unit's leaders)


def campaign_rights(user, campaign: Campaign) -> CampaignRights:
    roles = user_roles_in(user, campaign.unit)
    front = campaign.kind == CampaignKind.FATHERLAND_FRONT
    staff = bool(roles & rules.CAMPAIGN_ROLES)
    own_front = front and Role.OBSERVER in roles
    return CampaignRights(
        run=staff or own_front,
        enter=can_enter_paper(user, campaign),
        export=staff or own_front,
        free_text=Role.LEADER in roles,
    )


def pairing_candidates(*, user, form: SurveyForm, unit: Unit) -> QuerySet[Campaign]:
    return campaigns_for(user=user, unit=unit).filter(form=form)


# --- public ------------------------------------------------------------------------------------------------


def _open(today=None) -> Q:
    today = today or timezone.localdate()
    return Q(status=CampaignStatus.OPEN, starts_on__lte=today, ends_on__gte=today)


def campaigns_open_public(*, unit_code: str) -> QuerySet[Campaign]:
    """The campaigns of the unit (and of the units below it) that take answers today."""
    unit = Unit.objects.filter(code=unit_code).first() if unit_code and len(unit_code) <= 32 else None
    if unit is None:
        return Campaign.objects.none()
    return (
        Campaign.objects.filter(_open(), unit__path__startswith=unit.path)
        .select_related("unit", "form")
        .order_by("ends_on", "pk")
    )


def campaign_public(*, public_id: str) -> Campaign | None:
    """An open campaign by its public id (None: unknown, not open yet, or ended)."""
    if not public_id or len(public_id) > 16 or "\x00" in public_id:
        return None
    return Campaign.objects.filter(_open(), public_id=public_id).select_related("form", "unit").first()


def open_campaign_after_result(unit: Unit) -> Campaign | None:
    """The unit's open "after each result" campaign (the newest), for the notice of a returned dossier."""
    return (
        Campaign.objects.filter(_open(), unit=unit, kind=CampaignKind.AFTER_RESULT)
        .order_by("-starts_on", "-pk")
        .first()
    )


# --- results -----------------------------------------------------------------------------------------------


def answer_sets(campaign: Campaign) -> list[dict]:
    return list(Response.objects.filter(campaign=campaign).values_list("answers", flat=True))


@dataclass
class Results:
    campaign: Campaign
    questions: list[rules.Q]
    total: int
    by_channel: dict[str, int]
    tallies: dict[str, rules.Tally]


def campaign_results(campaign: Campaign) -> Results:
    questions = form_rules(campaign.form)
    sets = answer_sets(campaign)
    channels = dict(
        Response.objects.filter(campaign=campaign).values_list("channel").annotate(n=Count("pk")).order_by()
    )
    return Results(
        campaign=campaign,
        questions=questions,
        total=len(sets),
        by_channel={c: channels.get(c, 0) for c in Channel.values},
        tallies=rules.tally(questions, sets),
    )


def results_as_data(results: Results) -> dict:
    """The counts as plain data (the API's answer and the charts' input): a hidden cell's count is None, and so
    is a scale's mean when one of its cells is hidden; a question `withheld` has every number None."""

    def choices(q, t):
        return [
            {
                "value": c["value"],
                "label": c["label"],
                "count": t.counts.get(c["value"]) if t and t.counts else None,
            }
            for c in q.choices
        ]

    out = []
    for q in results.questions:
        t = results.tallies.get(q.key)
        if t is None:
            continue
        item = {
            "key": q.key,
            "type": q.type,
            "label": q.label,
            "answered": t.answered,
            "withheld": t.withheld,
        }
        if q.type == rules.T.LIKERT_MATRIX:
            item["rows"] = [
                {
                    "value": r["value"],
                    "label": r["label"],
                    "answered": t.rows[r["value"]].answered,
                    "mean": t.rows[r["value"]].mean,
                    "choices": choices(q, t.rows[r["value"]]),
                }
                for r in q.rows
            ]
        elif q.choices:
            item["choices"] = choices(q, t)
        if q.type in (rules.T.LIKERT, rules.T.INTEGER):
            item["mean"] = t.mean
        out.append(item)
    return {
        "id": results.campaign.public_id,
        "title": results.campaign.title,
        "responses": results.total,
        "min_cell": rules.MIN_CELL,
        "questions": out,
    }


def form_xlsform(form: SurveyForm) -> bytes:
    """The form as an XLSForm workbook (`xlsform.parse` reads it back to the same form)."""
    return xlsform.export(
        code=form.code,
        title=form.title,
        description=form.description,
        version=form.version,
        questions=form_rules(form),
    )
