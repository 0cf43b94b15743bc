"""Staff pages of the model's criteria: cycles (the province's team creates them, reviews them and prints the
report), a unit's assessment (the commune's self-assessment with evidence; the team's inspection, recognition
and rewards), the criteria sets and their versions, and roll-out (targets with progress, pilot units, outreach
sessions). Reads go through `criteria_selectors` (another unit is 404), writes through one service each; bad
input is answered 400 with the typed values kept."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.dossiers.printouts.printing import place_and_date, render_pdf
from cqtt.units.models import Unit, UnitLevel

from . import criteria_formulas as formulas
from . import criteria_rules as rules
from . import criteria_selectors as selectors
from . import criteria_services as services
from .criteria_models import CriterionKind, ReviewKind

DATE_INPUT = ("%d/%m/%Y", "%Y-%m-%d")


def _date(raw) -> dt.date | None:
    for fmt in DATE_INPUT:
        try:
            return dt.datetime.strptime(str(raw or "").strip(), fmt).date()
        except ValueError:
            continue
    return None


def _forbidden(request, reason):
    return render(request, "evaluation/criteria/forbidden.html", {"reason": str(reason)}, status=403)


def _guard(view):
    """NotInScope → 404, PermissionDenied → 403, for every page of this module."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotInScope as missing:
            raise Http404(str(missing)) from None
        except PermissionDenied as refused:
            return _forbidden(request, refused)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return login_required(require_http_methods(["GET", "POST"])(wrapped))


def _province(request):
    provinces = selectors.supervised_provinces(request.user)
    code = request.GET.get("province") or request.POST.get("province")
    if not code:
        return (provinces[0] if provinces else None), provinces
    return selectors.access_province(user=request.user, code=code), provinces


def _communes(province: Unit | None) -> list[Unit]:
    if province is None:
        return []
    return list(
        Unit.objects.filter(path__startswith=province.path, level=UnitLevel.COMMUNE).order_by("path")[:1000]
    )


# --- cycles --------------------------------------------------------------------------------------------------


@_guard
def criteria_home(request):
    """The cycles the user takes part in; the province's team also creates one here."""
    if not selectors.may_use_criteria(request.user):
        raise PermissionDenied(_("Trang này dành cho Ban Chỉ đạo cấp tỉnh và cán bộ các xã, phường."))
    province, provinces = _province(request)
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        if province is None:
            raise PermissionDenied(_("Chỉ Ban Chỉ đạo cấp tỉnh lập được đợt đánh giá."))
        values = request.POST
        sets = {str(s.pk): s for s in selectors.criteria_sets_for(province=province)}
        chosen = set(request.POST.getlist("units"))
        try:
            cs = sets.get(request.POST.get("criteria_set", ""))
            if cs is None:
                raise ServiceError({"criteria_set": [_("Chọn bộ tiêu chí.")]})
            cycle = services.cycle_create(
                actor=request.user,
                province=province,
                name=request.POST.get("name", ""),
                criteria_set=cs,
                starts_on=_date(request.POST.get("starts_on")),
                ends_on=_date(request.POST.get("ends_on")),
                units=[u for u in _communes(province) if u.code in chosen],
            )
            flash.success(request, _("Đã lập đợt đánh giá."))
            return redirect("evaluation:criteria-cycle", pk=cycle.pk)
        except ServiceError as bad:
            errors, status = bad.message_dict, 400
    return render(
        request,
        "evaluation/criteria/home.html",
        {
            "cycles": selectors.cycles_for(user=request.user),
            "province": province,
            "provinces": provinces,
            "sets": selectors.criteria_sets_for(province=province) if province else [],
            "communes": _communes(province),
            "values": values,
            "chosen_units": values.getlist("units") if values else [],
            "errors": errors,
        },
        status=status,
    )


@_guard
def criteria_cycle(request, pk):
    cycle = selectors.access_cycle(user=request.user, pk=pk)
    team = selectors.supervises(request.user, cycle.province)
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        values = request.POST
        try:
            services.review_record(
                actor=request.user,
                cycle=cycle,
                kind=request.POST.get("kind", ""),
                held_on=_date(request.POST.get("held_on")),
                summary=request.POST.get("summary", ""),
                lessons=request.POST.get("lessons", ""),
            )
            flash.success(request, _("Đã ghi báo cáo."))
            return redirect("evaluation:criteria-cycle", pk=cycle.pk)
        except ServiceError as bad:
            errors, status = bad.message_dict, 400
    return render(
        request,
        "evaluation/criteria/cycle.html",
        {
            "cycle": cycle,
            "team": team,
            "provinces": selectors.supervised_provinces(request.user),  # the nav's link to the sets
            "assessments": selectors.assessments_of(user=request.user, cycle=cycle),
            "reviews": cycle.reviews.order_by("held_on", "pk"),
            "review_kinds": ReviewKind.choices,
            "values": values,
            "errors": errors,
        },
        status=status,
    )


@_guard
def criteria_report(request, pk):
    """The review report (sơ kết or tổng kết) of the cycle as a PDF, in the ND 30/2020 layout."""
    cycle = selectors.access_cycle(user=request.user, pk=pk)
    if not selectors.supervises(request.user, cycle.province):
        raise NotInScope(_("Không tìm thấy đợt đánh giá hoặc bạn không có quyền xem."))
    pdf = cycle_report_pdf(cycle)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-danh-gia-{cycle.pk}.pdf"'
    return response


def cycle_report_pdf(cycle) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        facts = selectors.cycle_report(cycle=cycle)
        head = {
            "parent": _("UBND %(p)s") % {"p": cycle.province.full_name.upper()},
            "body": _("BAN CHỈ ĐẠO XÂY DỰNG MÔ HÌNH\nCHÍNH QUYỀN THÂN THIỆN"),
            "number": "",
            "place_date": place_and_date(cycle.province, timezone.localdate()),
        }
        last = facts["reviews"][-1] if facts["reviews"] else None
        return render_pdf(
            "evaluation/criteria/print/report.html",
            {**facts, "head": head, "review": last, "fmt": rules.fmt_points},
        )


# --- an assessment -----------------------------------------------------------------------------------------

ACTIONS = {
    "start": lambda r, a: services.assessment_start(actor=r.user, assessment=a),
    "self_score": lambda r, a: services.assessment_self_score(actor=r.user, assessment=a, values=r.POST),
    "submit": lambda r, a: services.assessment_submit(actor=r.user, assessment=a),
    "return": lambda r, a: services.assessment_return(
        actor=r.user, assessment=a, note=r.POST.get("note", "")
    ),
    "inspect": lambda r, a: services.assessment_inspect(
        actor=r.user,
        assessment=a,
        values=r.POST,
        inspected_on=_date(r.POST.get("inspected_on")),
        note=r.POST.get("note", ""),
    ),
    "recognise": lambda r, a: services.assessment_recognise(
        actor=r.user,
        assessment=a,
        decision_number=r.POST.get("decision_number", ""),
        decision_date=_date(r.POST.get("decision_date")),
    ),
    "not_recognise": lambda r, a: services.assessment_not_recognise(
        actor=r.user, assessment=a, note=r.POST.get("note", "")
    ),
    "propose_reward": lambda r, a: services.reward_propose(
        actor=r.user, assessment=a, form=r.POST.get("form", ""), reason=r.POST.get("reason", "")
    ),
}


@_guard
def criteria_assessment(request, pk):
    a = selectors.access_assessment(user=request.user, pk=pk)
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        values = request.POST
        try:
            if action == "evidence":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ServiceError({"file": [_("Chọn tệp minh chứng (PDF, JPG hoặc PNG).")]})
                try:
                    criterion = int(request.POST.get("criterion", ""))
                except ValueError:
                    criterion = 0
                services.evidence_add(actor=request.user, assessment=a, criterion_id=criterion, file=upload)
            elif action in ACTIONS:
                ACTIONS[action](request, a)
            else:
                raise Http404()
            flash.success(request, _("Đã lưu."))
            return redirect("evaluation:criteria-assessment", pk=a.pk)
        except ServiceError as bad:
            errors, status = bad.message_dict, 400
        except (TransitionNotAllowed, PermissionDenied) as refused:
            if isinstance(refused, NotInScope):
                raise
            flash.error(request, str(refused))
            status = 409 if isinstance(refused, TransitionNotAllowed) else 403
        a = selectors.access_assessment(user=request.user, pk=pk)
    actions = {t.action for t in selectors.assessment_actions(request.user, a)}
    return render(
        request,
        "evaluation/criteria/assessment.html",
        {
            "a": a,
            "provinces": selectors.supervised_provinces(request.user),
            "rows": _rows_with_input(a, values),
            "actions": actions,
            "events": _labelled(a.events.select_related("actor").order_by("-at", "-pk")[:50]),
            "rewards": a.rewards.all(),
            "pass_mark": a.cycle.criteria_set.pass_mark,
            "values": values,
            "errors": errors,
        },
        status=status,
    )


def _labelled(events) -> list:
    out = []
    for e in events:
        e.label = rules.ASSESSMENT[e.action].label if e.action in rules.ASSESSMENT else e.action
        out.append(e)
    return out


def _rows_with_input(a, values) -> list[dict]:
    """The criteria rows with what the form shows: the typed values after a refusal, the saved ones otherwise."""
    rows = selectors.assessment_rows(a)
    for row in rows:
        s, cid = row["score"], row["criterion"].pk
        row["key"], row["comment_key"] = f"score_{cid}", f"comment_{cid}"
        if values:
            row["self_input"] = values.get(row["key"], "")
            row["inspection_input"] = values.get(row["key"], "")
            row["comment_input"] = values.get(row["comment_key"], "")
            row["inspection_comment_input"] = values.get(row["comment_key"], "")
        else:
            row["self_input"] = rules.fmt_points(s.self_score) if s.self_score is not None else ""
            row["inspection_input"] = (
                rules.fmt_points(s.inspection_score) if s.inspection_score is not None else ""
            )
            row["comment_input"], row["inspection_comment_input"] = s.self_comment, s.inspection_comment
    return rows


@login_required
def criteria_evidence(request, pk):
    try:
        ev = selectors.access_evidence(user=request.user, pk=pk)
    except NotInScope:
        raise Http404() from None
    return FileResponse(
        ev.file.open("rb"), content_type=ev.content_type, as_attachment=True, filename=ev.name
    )


# --- criteria sets -------------------------------------------------------------------------------------------


def parse_criteria_lines(text: str) -> list[services.CriterionData]:
    """One criterion a line: `code | weight | formula key or empty | text`."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|", 3)]
        parts += [""] * (4 - len(parts))
        code, weight, formula, body = parts
        kind = CriterionKind.AUTOMATIC if formula else CriterionKind.SELF
        out.append(services.CriterionData(code, body, weight or "0", kind, formula))
    return out


def criteria_lines(cs) -> str:
    return "\n".join(
        f"{c.code} | {rules.fmt_points(c.weight)} | {c.formula} | {c.text}"
        for c in cs.criteria.order_by("position")
    )


@_guard
def criteria_sets(request):
    province, provinces = _province(request)
    if province is None:
        raise PermissionDenied(_("Chỉ Ban Chỉ đạo cấp tỉnh quản lý bộ tiêu chí."))
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        values = request.POST
        try:
            if request.POST.get("action") == "new_version":
                source = selectors.access_criteria_set(user=request.user, pk=request.POST.get("source"))
                cs = services.criteria_set_new_version(actor=request.user, source=source, province=province)
            else:
                cs = services.criteria_set_create(
                    actor=request.user,
                    province=province,
                    code=request.POST.get("code", ""),
                    name=request.POST.get("name", ""),
                    pass_mark=request.POST.get("pass_mark", ""),
                    criteria=parse_criteria_lines(request.POST.get("criteria", "")),
                )
            flash.success(
                request, _("Đã lập bộ tiêu chí %(c)s phiên bản %(v)s.") % {"c": cs.code, "v": cs.version}
            )
            return redirect("evaluation:criteria-set", pk=cs.pk)
        except ServiceError as bad:
            errors, status = bad.message_dict, 400
    return render(
        request,
        "evaluation/criteria/sets.html",
        {
            "province": province,
            "provinces": provinces,
            "sets": selectors.criteria_sets_for(province=province),
            "formulas": formulas.FORMULAS.values(),
            "values": values,
            "errors": errors,
        },
        status=status,
    )


@_guard
def criteria_set(request, pk):
    cs = selectors.access_criteria_set(user=request.user, pk=pk)
    editable = (
        cs.province is not None
        and selectors.supervises(request.user, cs.province)
        and not services.set_in_use(cs)
    )
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Phiên bản này không sửa được: hãy lập phiên bản mới."))
        values = request.POST
        try:
            services.criteria_set_update(
                actor=request.user,
                criteria_set=cs,
                name=request.POST.get("name", ""),
                pass_mark=request.POST.get("pass_mark", ""),
                criteria=parse_criteria_lines(request.POST.get("criteria", "")),
            )
            flash.success(request, _("Đã lưu bộ tiêu chí."))
            return redirect("evaluation:criteria-set", pk=cs.pk)
        except ServiceError as bad:
            errors, status = bad.message_dict, 400
        except TransitionNotAllowed as refused:
            flash.error(request, str(refused))
            status = 409
    criteria = list(cs.criteria.order_by("position"))
    return render(
        request,
        "evaluation/criteria/set.html",
        {
            "cs": cs,
            "provinces": selectors.supervised_provinces(request.user),
            "criteria": criteria,
            "max_total": rules.max_total(c.weight for c in criteria),
            "editable": editable,
            "lines": values.get("criteria") if values else criteria_lines(cs),
            "formulas": formulas.FORMULAS.values(),
            "values": values,
            "errors": errors,
        },
        status=status,
    )


# --- roll-out ------------------------------------------------------------------------------------------------


@_guard
def criteria_rollout(request):
    """Targets with their progress, pilot units (the province's team) and outreach sessions (every reader; the
    communes' staff and the team record them)."""
    if not selectors.may_use_criteria(request.user):
        raise PermissionDenied(_("Trang này dành cho Ban Chỉ đạo cấp tỉnh và cán bộ các xã, phường."))
    province, provinces = _province(request)
    writable = selectors.writable_units(user=request.user)
    values, errors, status, form = {}, {}, 200, ""
    if request.method == "POST":
        values, form = request.POST, request.POST.get("action", "")
        try:
            if form == "target":
                if province is None:
                    raise PermissionDenied(_("Chỉ Ban Chỉ đạo cấp tỉnh đặt chỉ tiêu."))
                services.target_save(
                    actor=request.user,
                    province=province,
                    name=request.POST.get("name", ""),
                    due_on=_date(request.POST.get("due_on")),
                    percent=request.POST.get("percent", ""),
                    count=request.POST.get("count", ""),
                )
            elif form == "pilot":
                if province is None:
                    raise PermissionDenied(_("Chỉ Ban Chỉ đạo cấp tỉnh chọn đơn vị thí điểm."))
                unit = next((u for u in _communes(province) if u.code == request.POST.get("unit")), None)
                if unit is None:
                    raise ServiceError({"unit": [_("Chọn một xã, phường của tỉnh.")]})
                services.pilot_add(
                    actor=request.user,
                    province=province,
                    unit=unit,
                    chosen_on=_date(request.POST.get("chosen_on")),
                    note=request.POST.get("note", ""),
                )
            elif form == "outreach":
                unit = next((u for u in writable if u.code == request.POST.get("unit")), None)
                if unit is None:
                    raise ServiceError({"unit": [_("Chọn đơn vị tổ chức.")]})
                services.outreach_record(
                    actor=request.user,
                    unit=unit,
                    held_on=_date(request.POST.get("held_on")),
                    place=request.POST.get("place", ""),
                    topic=request.POST.get("topic", ""),
                    attendees=request.POST.get("attendees", ""),
                )
            else:
                raise Http404()
            saved = {
                "target": _("Đã lưu chỉ tiêu nhân rộng."),
                "pilot": _("Đã thêm đơn vị thí điểm."),
                "outreach": _("Đã ghi buổi tuyên truyền."),
            }
            flash.success(request, saved[form])
            return redirect(request.get_full_path())
        except ServiceError as bad:
            errors, status = bad.message_dict, 400
    pilots = list(selectors.pilots_of(province=province)) if province else []
    return render(
        request,
        "evaluation/criteria/rollout.html",
        {
            "province": province,
            "provinces": provinces,
            "targets": selectors.targets_progress(province=province) if province else [],
            "pilots": pilots,
            "communes": [u for u in _communes(province) if u.pk not in {p.unit_id for p in pilots}],
            "outreach": selectors.outreach_counts(user=request.user),
            "sessions": selectors.outreach_for(user=request.user)[:50],
            "writable": writable,
            "values": values,
            "form": form,
            "errors": errors,
        },
        status=status,
    )
