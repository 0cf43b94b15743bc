"""Pages of citizen reception. Public (no account): a unit's published schedule (a phone-sized page) and its
printable sheet for the notice board. Staff: the schedule with its sessions and their actions, the conclusions
and their tasks, the register (Sổ tiếp công dân) with its overdue list and its printable Mẫu 03/TCD, a visit's
page with its actions, the receipt of documents (Mẫu 02/TCD) and the refusal notice (Mẫu 01/TCD)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cqtt.accounts.models import Role, User
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.text import search_terms
from cqtt.units.models import Unit, UnitLevel

from . import forms, printing, rules, selectors, services
from .models import SessionStatus, VisitKind, VisitStatus

PAGE_SIZE = 30


# --- public ------------------------------------------------------------------------------------------------


def _communes(q: str) -> list[Unit]:
    terms = search_terms(q)[:4]
    if not terms:
        return []
    qs = Unit.objects.filter(is_active=True, level=UnitLevel.COMMUNE)
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    return list(qs.order_by("path")[:20])


@require_GET
def public_schedule(request):
    """A unit's schedule of reception by its leaders (published, postponed with the new date, held)."""
    code = (request.GET.get("unit") or "").strip()
    unit = selectors.public_unit(code=code)
    if unit is None:
        q = (request.GET.get("q") or "").strip()[:100]
        return render(
            request,
            "reception/pick_unit.html",
            {"q": q, "communes": _communes(q), "unknown": bool(code)},
            status=404 if code else 200,
        )
    sessions = list(selectors.session_list_public(unit=unit))
    return render(request, "reception/public_schedule.html", {"unit": unit, "sessions": sessions})


@require_GET
def public_print(request):
    """The schedule as a sheet to post at the reception place (Art. 24)."""
    unit = selectors.public_unit(code=(request.GET.get("unit") or "").strip())
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị với mã này."))
    sessions = list(selectors.session_list_public(unit=unit))
    context = {
        "unit": unit,
        "sessions": sessions,
        "head": printing.letterhead(unit, when=timezone.localdate()),
    }
    return printing.pdf_response(
        "reception/print/schedule.html", context, f"lich-tiep-cong-dan-{unit.code}.pdf"
    )


# --- staff -------------------------------------------------------------------------------------------------


def _forbidden(request, reason):
    return render(request, "letters/forbidden.html", {"reason": str(reason)}, status=403)


def _staff(view):
    """Login required; a user with no reception unit gets the 403 page; an out-of-scope object is 404."""

    @login_required
    @never_cache
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotInScope:
            raise Http404(_("Không tìm thấy hoặc bạn không có quyền xem.")) from None
        except PermissionDenied as refused:
            return _forbidden(request, refused)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _staff_unit(request) -> Unit:
    units = selectors.reception_units(request.user)
    if not units:
        raise PermissionDenied(_("Bạn không làm việc ở đơn vị nào tiếp công dân."))
    code = request.GET.get("unit") or request.POST.get("unit")
    if not code:
        return units[0]
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị này trong các đơn vị của bạn."))
    return unit


def _ctx(request, unit: Unit, **extra) -> dict:
    roles = selectors.roles_at(request.user, unit)
    return {
        "unit": unit,
        "units": selectors.reception_units(request.user),
        "can_schedule": bool(roles & rules.SCHEDULERS),
        "can_desk": bool(roles & rules.DESK),
        "can_conclude": bool(roles & rules.LEADERS),
        "can_tasks": bool(roles & rules.TASK_KEEPERS),
        "full_data": selectors.sees_personal_data(request.user, unit),
        **extra,
    }


def _leaders(unit: Unit) -> list[User]:
    return list(
        User.objects.filter(roles__unit=unit, roles__role=Role.LEADER, is_active=True)
        .distinct()
        .order_by("username")
    )


@_staff
@require_http_methods(["GET", "POST"])
def schedule(request):
    """The unit's sessions, newest first, with the form of a new one."""
    unit = _staff_unit(request)
    leaders = _leaders(unit)
    form = forms.SessionForm(request.POST or None, leaders=leaders)
    if request.method == "POST" and form.is_valid():
        v = form.cleaned_data
        try:
            session = services.session_create(
                actor=request.user,
                unit=unit,
                leader=next((u for u in leaders if u.username == v["leader"]), None),
                starts_at=v["starts_at"],
                place=v["place"],
                content=v["content"],
                participants=v["participants"],
                online=v["online"],
                publish=v["publish"],
            )
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        else:
            flash.success(request, _("Đã lập buổi tiếp công dân."))
            return redirect("reception:session", pk=session.pk)
    page = Paginator(selectors.session_list_for(user=request.user, unit=unit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    earliest = services.earliest_session_day(unit=unit, today=today)
    late_tasks = list(selectors.tasks_overdue(user=request.user, unit=unit, today=today))
    return render(
        request,
        "reception/schedule.html",
        _ctx(request, unit, form=form, page=page, earliest=earliest, late_tasks=late_tasks),
        status=400 if form.is_bound else 200,
    )


def _session_ctx(request, session, **forms_given) -> dict:
    conclusion = selectors.session_conclusion(session=session)
    roles = selectors.roles_at(request.user, session.unit)
    actions = {t.action for t in rules.SESSION.available(session.status, roles)}
    return _ctx(
        request,
        session.unit,
        session=session,
        actions=actions,
        events=selectors.session_events(session=session),
        visits=list(session.visits.order_by("number")),
        conclusion=conclusion,
        tasks=selectors.conclusion_tasks(conclusion=conclusion),
        postpone_form=forms_given.get("postpone") or forms.PostponeForm(),
        cancel_form=forms_given.get("cancel") or forms.ReasonForm(),
        conclusion_form=forms_given.get("conclude") or forms.ConclusionForm(),
        today=timezone.localdate(),
    )


@_staff
@require_GET
def session_detail(request, pk: int):
    session = selectors.access_session(user=request.user, pk=pk)
    return render(request, "reception/session.html", _session_ctx(request, session))


SESSION_FORMS = {"postpone": forms.PostponeForm, "cancel": forms.ReasonForm, "conclude": forms.ConclusionForm}


@_staff
@require_POST
def session_act(request, pk: int, action: str):
    session = selectors.access_session(user=request.user, pk=pk)
    if action not in ("publish", "postpone", "hold", "cancel", "conclude"):
        raise Http404(_("Thao tác không tồn tại."))
    form = SESSION_FORMS[action](request.POST) if action in SESSION_FORMS else None
    try:
        if form is not None and not form.is_valid():
            raise ServiceError({})
        v = form.cleaned_data if form is not None else {}
        if action == "publish":
            services.session_publish(actor=request.user, session=session)
        elif action == "postpone":
            services.session_postpone(
                actor=request.user, session=session, new_starts_at=v["new_starts_at"], reason=v["reason"]
            )
        elif action == "hold":
            services.session_hold(actor=request.user, session=session)
        elif action == "cancel":
            services.session_cancel(actor=request.user, session=session, reason=v["reason"])
        else:
            services.conclusion_issue(
                actor=request.user,
                session=session,
                text=v["text"],
                number=v["number"],
                tasks=[services.TaskData(c, o, d) for c, o, d in v["tasks"]],
            )
    except (ServiceError, TransitionNotAllowed) as error:
        if isinstance(error, ServiceError) and form is not None:
            forms.add_service_errors(form, error.message_dict)
        elif isinstance(error, ServiceError):
            flash.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))
            return redirect("reception:session", pk=session.pk)
        else:
            flash.error(request, str(error))
            return redirect("reception:session", pk=session.pk)
        session.refresh_from_db()
        ctx = _session_ctx(request, session, **{action: form})
        ctx["open_action"] = action
        return render(request, "reception/session.html", ctx, status=400)
    flash.success(request, _("Đã cập nhật buổi tiếp."))
    return redirect("reception:session", pk=session.pk)


@_staff
@require_POST
def task_done(request, pk: int):
    task = selectors.access_task(user=request.user, pk=pk)
    form = forms.TaskDoneForm(request.POST)
    session_pk = task.conclusion.session_id
    if not form.is_valid():
        flash.error(request, _("Vui lòng nhập kết quả thực hiện."))
        return redirect("reception:session", pk=session_pk)
    try:
        services.task_complete(actor=request.user, task=task, result=form.cleaned_data["result"])
    except (ServiceError, TransitionNotAllowed) as error:
        flash.error(request, str(getattr(error, "message", error)))
    else:
        flash.success(request, _("Đã ghi nhận hoàn thành."))
    return redirect("reception:session", pk=session_pk)


@_staff
@require_GET
def conclusion_print(request, pk: int):
    session = selectors.access_session(user=request.user, pk=pk)
    conclusion = selectors.session_conclusion(session=session)
    if conclusion is None:
        raise Http404(_("Buổi tiếp chưa có thông báo kết luận."))
    context = {
        "session": session,
        "conclusion": conclusion,
        "tasks": selectors.conclusion_tasks(conclusion=conclusion),
        "head": printing.letterhead(session.unit, when=conclusion.issued_on, number=conclusion.number),
    }
    return printing.pdf_response(
        "reception/print/conclusion.html", context, f"ket-luan-tiep-cong-dan-{session.pk}.pdf"
    )


# --- the register ------------------------------------------------------------------------------------------


def _shown(visits, full: bool):
    for v in visits:
        v.shown_id = selectors.shown_id(v.id_number, full)
        v.shown_phone = selectors.shown_id(v.phone, full)
    return visits


@_staff
@require_GET
def register(request):
    """The register, newest first; the overdue list (no answer after 10 working days, a late refusal notice)."""
    unit = _staff_unit(request)
    f = forms.RegisterFilter(request.GET or None)
    v = f.cleaned_data if f.is_valid() else {}
    today = timezone.localdate()
    qs = selectors.visit_list_for(
        user=request.user,
        unit=unit,
        kind=v.get("kind") or None,
        overdue=True if v.get("overdue") else None,
        today=today,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = _ctx(request, unit, page=page, filter=f, today=today)
    _shown(page.object_list, ctx["full_data"])
    return render(request, "reception/register.html", ctx)


def _month(request) -> tuple[dt.date, dt.date]:
    raw = (request.GET.get("month") or "").strip()
    try:
        first = dt.datetime.strptime(raw, "%Y-%m").date() if raw else timezone.localdate().replace(day=1)
    except ValueError:
        first = timezone.localdate().replace(day=1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first, last


@_staff
@require_GET
def register_print(request):
    """The register of a month in the columns 1–13 of Mẫu 03/TCD."""
    unit = _staff_unit(request)
    first, last = _month(request)
    rows = selectors.register_rows(user=request.user, unit=unit, date_from=first, date_to=last)
    full = selectors.sees_personal_data(request.user, unit)
    context = {
        "unit": unit,
        "rows": _shown(rows, full),
        "first": first,
        "last": last,
        "head": printing.letterhead(unit, when=timezone.localdate()),
    }
    return printing.pdf_response(
        "reception/print/register.html", context, f"so-tiep-cong-dan-{first:%Y-%m}.pdf"
    )


@_staff
@require_http_methods(["GET", "POST"])
def visit_new(request):
    unit = _staff_unit(request)
    if not selectors.roles_at(request.user, unit) & rules.DESK:
        raise PermissionDenied(_("Vai trò của bạn không được ghi sổ tiếp công dân."))
    sessions = [
        s
        for s in selectors.session_list_for(user=request.user, unit=unit)[:20]
        if s.status in (SessionStatus.PUBLISHED, SessionStatus.HELD)
    ]
    initial = {"session": request.GET.get("session", "")}
    form = forms.VisitForm(request.POST or None, sessions=sessions, initial=initial)
    if request.method == "POST" and form.is_valid():
        v = form.cleaned_data
        session = next((s for s in sessions if str(s.pk) == v["session"]), None)
        data = services.VisitData(
            **{k: v[k] for k in services.VisitData.__dataclass_fields__ if k in v and k != "extra"}
        )
        try:
            visit = services.visit_record(
                actor=request.user,
                unit=unit,
                data=data,
                session=session,
                received_on=v["received_on"],
                refusal_ground=v["refusal_ground"],
            )
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        else:
            flash.success(request, _("Đã ghi vào sổ tiếp công dân, số %(n)s.") % {"n": visit.number})
            return redirect("reception:visit", pk=visit.pk)
    return render(
        request,
        "reception/visit_new.html",
        _ctx(request, unit, form=form),
        status=400 if form.is_bound else 200,
    )


def _visit_ctx(request, visit, **forms_given) -> dict:
    roles = selectors.roles_at(request.user, visit.unit)
    actions = {t.action for t in rules.VISIT.available(visit.status, roles)}
    ctx = _ctx(
        request,
        visit.unit,
        visit=visit,
        actions=actions,
        events=selectors.visit_events(visit=visit),
        answer_form=forms_given.get("answer") or forms.AnswerForm(),
        documents_form=forms_given.get("receive_documents") or forms.DocumentsForm(),
        follow_up_form=forms_given.get("follow_up")
        or forms.FollowUpForm(
            initial={"follow_up": visit.follow_up, "note": visit.note, "accepting_body": visit.accepting_body}
        ),
        feedback_kinds=(VisitKind.PETITION, VisitKind.REPORT),
        case_kinds=(VisitKind.COMPLAINT, VisitKind.DENUNCIATION, VisitKind.PETITION),
        today=timezone.localdate(),
        overdue=visit.status == VisitStatus.OPEN and visit.answer_due_on < timezone.localdate(),
        notice_needed=rules.notice_required(visit.refusal_ground),
    )
    _shown([visit], ctx["full_data"])
    return ctx


@_staff
@require_GET
def visit_detail(request, pk: int):
    visit = selectors.access_visit(user=request.user, pk=pk)
    return render(request, "reception/visit.html", _visit_ctx(request, visit))


VISIT_FORMS = {
    "answer": forms.AnswerForm,
    "receive_documents": forms.DocumentsForm,
    "follow_up": forms.FollowUpForm,
}


@_staff
@require_POST
def visit_act(request, pk: int, action: str):
    visit = selectors.access_visit(user=request.user, pk=pk)
    if action not in ("answer", "receive_documents", "follow_up", "refusal_notice", "to_feedback", "to_case"):
        raise Http404(_("Thao tác không tồn tại."))
    form = VISIT_FORMS[action](request.POST) if action in VISIT_FORMS else None
    try:
        if form is not None and not form.is_valid():
            raise ServiceError({})
        v = form.cleaned_data if form is not None else {}
        if action == "answer":
            services.visit_answer(
                actor=request.user,
                visit=visit,
                kind=v["answer_kind"],
                answer=v["answer"],
                answered_on=v["answered_on"],
                accepting_body=v["accepting_body"],
            )
        elif action == "receive_documents":
            services.visit_receive_documents(
                actor=request.user,
                visit=visit,
                documents=[services.DocumentData(n, p, c) for n, p, c in v["documents"]],
                copies=v["copies"],
            )
        elif action == "follow_up":
            services.visit_follow_up(
                actor=request.user,
                visit=visit,
                follow_up=v["follow_up"],
                note=v["note"],
                accepting_body=v["accepting_body"],
            )
        elif action == "refusal_notice":
            services.visit_refusal_notice(actor=request.user, visit=visit)
        elif action == "to_case":
            visit = services.visit_to_case(actor=request.user, visit=visit)
            flash.success(request, _("Đã chuyển thành vụ việc %(c)s.") % {"c": visit.case_code})
            return redirect("reception:visit", pk=visit.pk)
        else:
            visit = services.visit_to_feedback(actor=request.user, visit=visit)
            flash.success(
                request, _("Đã chuyển thành phản ánh, kiến nghị %(c)s.") % {"c": visit.feedback_code}
            )
            return redirect("reception:visit", pk=visit.pk)
    except (ServiceError, TransitionNotAllowed) as error:
        if isinstance(error, ServiceError) and form is not None:
            forms.add_service_errors(form, error.message_dict)
            visit.refresh_from_db()
            ctx = _visit_ctx(request, visit, **{action: form})
            ctx["open_action"] = action
            return render(request, "reception/visit.html", ctx, status=400)
        text = (
            " ".join(m for ms in error.message_dict.values() for m in ms)
            if isinstance(error, ServiceError)
            else str(error)
        )
        flash.error(request, text)
        return redirect("reception:visit", pk=visit.pk)
    flash.success(request, _("Đã cập nhật lượt tiếp."))
    return redirect("reception:visit", pk=visit.pk)


@_staff
@require_GET
def receipt_print(request, pk: int):
    """Giấy biên nhận thông tin, tài liệu (Mẫu 02/TCD): both the receiver and the provider sign."""
    visit = selectors.access_visit(user=request.user, pk=pk)
    if not visit.documents:
        raise Http404(_("Lượt tiếp này chưa nhận tài liệu nào."))
    full = selectors.sees_personal_data(request.user, visit.unit)
    _shown([visit], full)
    when = timezone.localtime(visit.documents_received_at)
    context = {"visit": visit, "when": when, "head": printing.letterhead(visit.unit, when=when)}
    return printing.pdf_response("reception/print/receipt.html", context, f"mau-02-tcd-{visit.pk}.pdf")


@_staff
@require_GET
def refusal_print(request, pk: int):
    """Thông báo về việc từ chối tiếp công dân (Mẫu 01/TCD)."""
    visit = selectors.access_visit(user=request.user, pk=pk)
    if not rules.notice_required(visit.refusal_ground):
        raise Http404(_("Lượt tiếp này không cần thông báo từ chối bằng văn bản."))
    _shown([visit], selectors.sees_personal_data(request.user, visit.unit))
    when = visit.refusal_notice_on or timezone.localdate()
    context = {"visit": visit, "head": printing.letterhead(visit.unit, when=when)}
    return printing.pdf_response("reception/print/refusal.html", context, f"mau-01-tcd-{visit.pk}.pdf")
