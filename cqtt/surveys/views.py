"""Staff pages of the surveys: the forms (list, builder, copy, XLSForm import and export), the campaigns of a unit
(create, open, close, QR code to print), the paper entry, and the results with charts, the before/after
comparison and the xlsx of the raw answers. Every page reads through the selectors (a unit outside the user's
scope is 404) and writes through one service."""

from __future__ import annotations

import segno
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cqtt.accounts.permissions import user_roles_in
from cqtt.core.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.units.models import Unit

from . import answer_form, charts, rules, selectors, services
from .exports import answers_xlsx
from .forms import CampaignForm, FormMetaForm, ImportForm, QuestionForm
from .models import CampaignKind, Channel, QuestionType

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_MAX_BYTES = 2 * 1024 * 1024


def _forbidden(request, refused):
    return render(request, "surveys/forbidden.html", {"reason": str(refused)}, status=403)


def _unit(request, roles=selectors.READ_ROLES) -> tuple[Unit, list[Unit]]:
    units = selectors.survey_units_for(request.user, roles)
    if not units:
        raise PermissionDenied(_("Bạn không làm việc ở đơn vị nào có khảo sát."))
    code = request.GET.get("unit") or request.POST.get("unit")
    if not code:
        return units[0], units
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị này trong các đơn vị của bạn."))
    return unit, units


def _may_build(user, unit: Unit) -> bool:
    return bool(user_roles_in(user, unit) & rules.CAMPAIGN_ROLES)


def _kinds_for(user, unit: Unit) -> list[tuple[str, str]]:
    roles = user_roles_in(user, unit)
    return [(k, label) for k, label in CampaignKind.choices if roles & services.campaign_roles_needed(k)]


def _errors_into(form, refused: ServiceError) -> None:
    for name, errors in refused.message_dict.items():
        for e in errors:
            form.add_error(name if name in form.fields else None, e)


# --- campaigns ---------------------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    try:
        unit, units = _unit(request)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    kind = request.GET.get("kind") or None
    if kind not in CampaignKind.values:
        kind = None
    rows = list(selectors.campaigns_for(user=request.user, unit=unit, kind=kind)[:200])
    return render(
        request,
        "surveys/campaigns.html",
        {
            "unit": unit,
            "units": units,
            "rows": rows,
            "kind": kind or "",
            "kinds": CampaignKind.choices,
            "can_create": bool(_kinds_for(request.user, unit)),
            "can_build": _may_build(request.user, unit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    try:
        unit, units = _unit(request, selectors.FORM_ROLES)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    kinds = _kinds_for(request.user, unit)
    if not kinds:
        return _forbidden(request, _("Vai trò của bạn không lập được đợt khảo sát tại đơn vị này."))
    available = list(selectors.forms_for(user=request.user, unit=unit))
    pairs = list(selectors.campaigns_for(user=request.user, unit=unit)[:100])
    form = CampaignForm(
        request.POST or None,
        forms_choices=[(f.pk, str(f)) for f in available],
        kinds=kinds,
        pairs=[(c.public_id, f"{c.title} — {c.form.code}") for c in pairs],
        initial={"form": request.GET.get("form")},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            v = form.cleaned_data
            chosen = next((f for f in available if f.pk == v["form"]), None)
            paired = next((c for c in pairs if c.public_id == v.get("paired_with")), None)
            try:
                campaign = services.campaign_create(
                    actor=request.user,
                    form=chosen,
                    unit=unit,
                    kind=v["kind"],
                    title=v.get("title") or "",
                    starts_on=v["starts_on"],
                    ends_on=v["ends_on"],
                    paired_with=paired,
                )
                if v.get("open_now"):
                    campaign = services.campaign_open(actor=request.user, campaign=campaign)
            except ServiceError as refused:
                _errors_into(form, refused)
            except PermissionDenied as refused:
                form.add_error(None, str(refused))
            else:
                flash.success(request, _("Đã lập đợt khảo sát."))
                return redirect("surveys:campaign", public_id=campaign.public_id)
    return render(
        request, "surveys/campaign_new.html", {"unit": unit, "units": units, "form": form}, status=status
    )


def _campaign(request, public_id: str):
    campaign = selectors.campaign_for(user=request.user, public_id=public_id)
    if campaign is None:
        raise Http404(_("Không tìm thấy đợt khảo sát hoặc bạn không có quyền xem."))
    return campaign


def _public_url(request, campaign) -> str:
    return request.build_absolute_uri(reverse("surveys:answer", args=[campaign.public_id]))


def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, dark="#000")


@login_required
@require_http_methods(["GET", "POST"])
def campaign_detail(request, public_id: str):
    campaign = _campaign(request, public_id)
    rights = selectors.campaign_rights(request.user, campaign)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open":
                services.campaign_open(actor=request.user, campaign=campaign)
                flash.success(request, _("Đã mở nhận ý kiến."))
            elif action == "close":
                services.campaign_close(actor=request.user, campaign=campaign)
                flash.success(request, _("Đã kết thúc đợt khảo sát."))
            else:
                raise Http404()
        except (PermissionDenied, TransitionNotAllowed) as refused:
            flash.error(request, str(refused))
        return redirect("surveys:campaign", public_id=campaign.public_id)
    url = _public_url(request, campaign)
    return render(
        request,
        "surveys/campaign.html",
        {
            "campaign": campaign,
            "unit": campaign.unit,
            "rights": rights,
            "url": url,
            "qr": _qr(url),
            "accepts": selectors.accepts_answers(campaign),
            "transitions": rules.CAMPAIGN.available(campaign.status, set(rules.FRONT_ROLES))
            if rights.run
            else [],
        },
    )


@login_required
def campaign_qr(request, public_id: str):
    campaign = _campaign(request, public_id)
    url = _public_url(request, campaign)
    return render(request, "surveys/qr.html", {"campaign": campaign, "url": url, "qr": _qr(url)})


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, public_id: str):
    campaign = _campaign(request, public_id)
    if not selectors.can_enter_paper(request.user, campaign):
        return _forbidden(request, _("Bạn không nhập được phiếu của đợt khảo sát này."))
    questions = selectors.form_rules(campaign.form)
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        values = answer_form.answers_from_post(questions, request.POST)
        try:
            services.response_submit(
                campaign=campaign, answers=values, channel=Channel.PAPER, entered_by=request.user
            )
        except (TransitionNotAllowed, PermissionDenied) as refused:
            flash.error(request, str(refused))
            status = 400
        except ServiceError as refused:
            errors, status = refused.message_dict, 400
        else:
            flash.success(request, _("Đã lưu phiếu. Mời nhập phiếu tiếp theo."))
            return redirect("surveys:paper", public_id=campaign.public_id)
    return render(
        request,
        "surveys/paper.html",
        {
            "campaign": campaign,
            "unit": campaign.unit,
            "sections": answer_form.layout(questions, values, errors),
            "n_errors": len(errors),
            "action": reverse("surveys:paper", args=[campaign.public_id]),
            "count": campaign.n_responses,
        },
        status=status,
    )


def _result_blocks(results, before) -> list[dict]:
    """Per question: the rows of the table (label, count or None, percent) for this campaign and the earlier
    one, which its chart draws."""
    data = selectors.results_as_data(results)
    earlier = {q["key"]: q for q in selectors.results_as_data(before)["questions"]} if before else {}

    def pct(count, answered):
        return round(100 * count / answered) if count is not None and answered else None

    blocks = []
    for q in data["questions"]:
        prev = earlier.get(q["key"])
        block = {"q": q, "rows": [], "text": q["type"] in (QuestionType.TEXT, QuestionType.TEXTAREA)}
        if q["withheld"]:
            pass  # no table and no chart: every number of it is withheld
        elif q["type"] == QuestionType.LIKERT_MATRIX:
            prev_rows = {r["value"]: r for r in (prev or {}).get("rows", [])}
            for r in q["rows"]:
                p = prev_rows.get(r["value"])
                block["rows"].append(
                    {
                        "label": r["label"],
                        "count": r["answered"],
                        "mean": r["mean"],
                        "few": r["answered"] is not None and r["answered"] < rules.MIN_CELL,
                        "before_mean": p["mean"] if p else None,
                        "choices": r["choices"],
                    }
                )
            block["matrix"] = True
        elif "choices" in q:
            prev_choices = {c["value"]: c for c in (prev or {}).get("choices", [])}
            for c in q["choices"]:
                p = prev_choices.get(c["value"])
                block["rows"].append(
                    {
                        "label": c["label"],
                        "count": c["count"],
                        "pct": pct(c["count"], q["answered"]),
                        "before": p["count"] if p else None,
                        "before_pct": pct(p["count"], prev["answered"]) if p else None,
                    }
                )
        block["mean"] = q.get("mean")
        # a scale's mean is left out when one of its cells is hidden (it would give the hidden counts away)
        block["mean_hidden"] = (
            q["type"] == QuestionType.LIKERT and (q["answered"] or 0) >= rules.MIN_CELL and q["mean"] is None
        )
        block["before_mean"] = prev.get("mean") if prev else None
        block["before_answered"] = prev["answered"] if prev else None
        blocks.append(block)
    return blocks


def _chart(block, compare: bool) -> dict | None:
    """The question's chart spec from the rows of its table (hidden cells left out), or None."""
    if block.get("matrix"):
        return charts.matrix_means(block["rows"], compare=compare)
    if block["rows"]:
        return charts.choice_bars(block["rows"], compare=compare)
    return None


@login_required
def campaign_results(request, public_id: str):
    campaign = _campaign(request, public_id)
    results = selectors.campaign_results(campaign)
    before_campaign = campaign.paired_with
    if (
        before_campaign is not None
        and selectors.campaign_for(user=request.user, public_id=before_campaign.public_id) is None
    ):
        before_campaign = None
    before = selectors.campaign_results(before_campaign) if before_campaign else None
    blocks = _result_blocks(results, before)
    for n, b in enumerate(blocks):
        b["chart_id"], b["spec_id"] = f"survey-chart-{n}", f"survey-chart-{n}-spec"
        b["spec"] = None if b["q"]["withheld"] else _chart(b, compare=before is not None)
    return render(
        request,
        "surveys/results.html",
        {
            "campaign": campaign,
            "unit": campaign.unit,
            "results": results,
            "before": before,
            "before_campaign": before_campaign,
            "blocks": blocks,
            "rights": selectors.campaign_rights(request.user, campaign),
            "min_cell": rules.MIN_CELL,
        },
    )


@login_required
def campaign_export(request, public_id: str):
    campaign = _campaign(request, public_id)
    rights = selectors.campaign_rights(request.user, campaign)
    if not rights.export:
        return _forbidden(request, _("Vai trò của bạn chỉ xem kết quả tổng hợp của đợt khảo sát này."))
    response = HttpResponse(answers_xlsx(campaign, free_text=rights.free_text), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="khao-sat-{campaign.public_id}.xlsx"'
    return response


# --- forms and the builder ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def form_list(request):
    try:
        unit, units = _unit(request, selectors.FORM_ROLES)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    meta = FormMetaForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if meta.is_valid():
            v = meta.cleaned_data
            try:
                created = services.form_create(
                    actor=request.user,
                    unit=unit,
                    code=v["code"],
                    title=v["title"],
                    description=v["description"],
                )
            except ServiceError as refused:
                _errors_into(meta, refused)
            except PermissionDenied as refused:
                meta.add_error(None, str(refused))
            else:
                flash.success(request, _("Đã lập biểu mẫu. Mời thêm câu hỏi."))
                return redirect("surveys:form", pk=created.pk)
    rows = list(selectors.forms_for(user=request.user, unit=unit))
    return render(
        request,
        "surveys/forms.html",
        {
            "unit": unit,
            "units": units,
            "rows": rows,
            "meta": meta,
            "import_form": ImportForm(),
            "can_build": _may_build(request.user, unit),
        },
        status=status,
    )


@login_required
@require_POST
def form_import(request):
    try:
        unit, units = _unit(request, rules.CAMPAIGN_ROLES)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    upload = ImportForm(request.POST, request.FILES)
    errors: list[str] = []
    if not upload.is_valid():
        errors = [e for es in upload.errors.values() for e in es]
    elif upload.cleaned_data["file"].size > IMPORT_MAX_BYTES:
        errors = [_("Tệp lớn hơn 2 MB.")]
    else:
        try:
            created = services.form_import_xlsform(
                actor=request.user, unit=unit, content=upload.cleaned_data["file"].read()
            )
        except ServiceError as refused:
            errors = [e for es in refused.message_dict.values() for e in es]
        except PermissionDenied as refused:
            errors = [str(refused)]
        else:
            flash.success(request, _("Đã nhập biểu mẫu %(c)s.") % {"c": created.code})
            return redirect("surveys:form", pk=created.pk)
    rows = list(selectors.forms_for(user=request.user, unit=unit))
    return render(
        request,
        "surveys/forms.html",
        {
            "unit": unit,
            "units": units,
            "rows": rows,
            "meta": FormMetaForm(),
            "import_form": upload,
            "import_errors": errors,
            "can_build": True,
        },
        status=400,
    )


class _Invalid(Exception):
    """A page form that did not validate (its errors are on the form already)."""


def _form(request, pk):
    form = selectors.form_for(user=request.user, pk=pk)
    if form is None:
        raise Http404(_("Không tìm thấy biểu mẫu hoặc bạn không có quyền xem."))
    return form


def _next_key(form) -> str:
    keys = set(form.questions.values_list("key", flat=True))
    n = len(keys) + 1
    while f"cau_{n}" in keys:
        n += 1
    return f"cau_{n}"


@login_required
@require_http_methods(["GET", "POST"])
def form_detail(request, pk):
    form = _form(request, pk)
    editable = (
        not form.builtin
        and form.unit_id is not None
        and _may_build(request.user, form.unit)
        and not services.form_locked(form)
    )
    copy_units = [u for u in selectors.survey_units_for(request.user, rules.CAMPAIGN_ROLES)]
    question_form = QuestionForm(initial={"type": QuestionType.SELECT_ONE, "required": True})
    meta = FormMetaForm(initial={"code": form.code, "title": form.title, "description": form.description})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "copy":
                unit = next((u for u in copy_units if u.code == request.POST.get("unit")), None)
                if unit is None:
                    raise Http404()
                copy = services.form_copy(actor=request.user, form=form, unit=unit)
                flash.success(request, _("Đã sao chép thành biểu mẫu %(c)s của đơn vị.") % {"c": copy.code})
                return redirect("surveys:form", pk=copy.pk)
            if action == "meta":
                meta = FormMetaForm(request.POST)
                if not meta.is_valid():
                    raise _Invalid
                v = meta.cleaned_data
                services.form_update(
                    actor=request.user,
                    form=form,
                    code=v["code"],
                    title=v["title"],
                    description=v["description"],
                )
                flash.success(request, _("Đã lưu."))
                return redirect("surveys:form", pk=form.pk)
            if action == "add":
                question_form = QuestionForm(request.POST)
                if not question_form.is_valid():
                    raise _Invalid
                services.question_save(
                    actor=request.user, form=form, data=question_form.to_rule(_next_key(form))
                )
                flash.success(request, _("Đã thêm câu hỏi."))
                return redirect(f"{reverse('surveys:form', args=[form.pk])}#cuoi")
            if action in ("up", "down", "delete"):
                question = selectors.question_for(form=form, pk=request.POST.get("question"))
                if question is None:
                    raise Http404()
                if action == "delete":
                    services.question_delete(actor=request.user, question=question)
                    flash.success(request, _("Đã xóa câu hỏi."))
                else:
                    services.question_move(actor=request.user, question=question, up=action == "up")
                return redirect(f"{reverse('surveys:form', args=[form.pk])}#q-{question.pk}")
            raise Http404()
        except _Invalid:
            status = 400
        except ServiceError as refused:
            status = 400
            target = meta if action == "meta" else question_form
            if action in ("up", "down", "delete"):
                for es in refused.message_dict.values():
                    for e in es:
                        flash.error(request, e)
            else:
                _errors_into(target, refused)
        except (PermissionDenied, TransitionNotAllowed) as refused:
            status = 403 if isinstance(refused, PermissionDenied) else 409
            flash.error(request, str(refused))
    return render(
        request,
        "surveys/form_detail.html",
        {
            "sform": form,
            "unit": form.unit,
            "questions": list(form.questions.order_by("position")),
            "editable": editable,
            "locked": services.form_locked(form),
            "question_form": question_form,
            "meta": meta,
            "copy_units": copy_units,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk, qpk):
    form = _form(request, pk)
    question = selectors.question_for(form=form, pk=qpk)
    if question is None:
        raise Http404(_("Không tìm thấy câu hỏi."))
    edit = QuestionForm(request.POST or None, initial=QuestionForm.initial_of(question))
    status = 200
    if request.method == "POST":
        status = 400
        if edit.is_valid():
            try:
                services.question_save(
                    actor=request.user, form=form, question=question, data=edit.to_rule(question.key)
                )
            except ServiceError as refused:
                _errors_into(edit, refused)
            except (PermissionDenied, TransitionNotAllowed) as refused:
                edit.add_error(None, str(refused))
            else:
                flash.success(request, _("Đã lưu câu hỏi."))
                return redirect(f"{reverse('surveys:form', args=[form.pk])}#q-{question.pk}")
    return render(
        request,
        "surveys/question_edit.html",
        {"sform": form, "question": question, "edit": edit, "unit": form.unit},
        status=status,
    )


@login_required
def form_export(request, pk):
    form = _form(request, pk)
    response = HttpResponse(selectors.form_xlsform(form), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="xlsform-{form.code}.xlsx"'
    return response
