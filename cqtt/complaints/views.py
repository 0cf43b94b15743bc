"""Staff pages of complaints, denunciations and petitions: the book (list with filters and overdue counts), intake
at the desk, a case with its deadline's explanation and its actions, the identity's logged opening, who opened
it, the printed notices, the unit's settings. Every page is for staff only; another unit's case is 404."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import user_roles_in
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.dossiers.printouts.printing import place_and_date
from cqtt.notifications.selectors import units_for
from cqtt.workdays.rules import format_day

from . import exports, forms, rules, selectors, services
from .models import Case, CaseEvent, Kind, Status

PAGE_SIZE = 30


class Counted:
    """A query whose size is known, for the Paginator (any sliceable object with `count()`, per its docs)."""

    def __init__(self, qs, total: int):
        self.qs, self.total = qs, total

    def count(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.qs[index]


def _forbidden(request, reason):
    return render(request, "letters/forbidden.html", {"reason": str(reason)}, status=403)


def _staff(view):
    """Login required; a user who reads no unit's cases gets the 403 page; an out-of-scope case is 404."""

    @login_required
    @never_cache
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotInScope:
            raise Http404(_("Không tìm thấy đơn hoặc bạn không có quyền xem.")) from None
        except PermissionDenied as refused:
            return _forbidden(request, refused)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _unit(request, units):
    if not units:
        raise PermissionDenied(_("Bạn không làm việc ở đơn vị nào giải quyết khiếu nại, tố cáo."))
    code = request.GET.get("unit") or request.POST.get("unit")
    if not code:
        return units[0]
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị này trong các đơn vị của bạn."))
    return unit


def _ctx(request, unit, **extra) -> dict:
    roles = user_roles_in(request.user, unit)
    return {
        "unit": unit,
        "units": selectors.case_units(request.user),
        "can_intake": bool(roles & rules.INTAKE),
        "can_settings": bool(roles & set(services.SETTINGS_ROLES)),
        **extra,
    }


@_staff
def case_list(request):
    unit = _unit(request, selectors.case_units(request.user))
    f = forms.FilterForm(request.GET or None)
    v = f.cleaned_data if f.is_valid() else {}
    today = timezone.localdate()
    qs = selectors.case_list_for(
        user=request.user,
        unit=unit,
        kind=v.get("kind") or None,
        status=v.get("status") or None,
        overdue=True if v.get("overdue") else None,
        today=today,
    )
    counts = selectors.counts_for(user=request.user, unit=unit, today=today)
    known = None  # the unfiltered book's size (or the overdue ones') is already counted: not counted twice
    if not any(v.get(k) for k in ("kind", "status", "overdue")):
        known = counts["total"]
    elif v.get("overdue") and not (v.get("kind") or v.get("status")):
        known = counts["overdue"]
    page = Paginator(qs if known is None else Counted(qs, known), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [(c, rules.next_due(c.status, c.acceptance_due_on, c.resolution_due_on)) for c in page]
    return render(
        request,
        "complaints/list.html",
        _ctx(
            request,
            unit,
            form=f,
            page=page,
            rows=rows,
            today=today,
            query=query.urlencode(),
            counts=counts,
        ),
    )


@_staff
def export(request):
    """The book (with the list's filters) as xlsx, redacted."""
    unit = _unit(request, selectors.case_units(request.user))
    f = forms.FilterForm(request.GET or None)
    v = f.cleaned_data if f.is_valid() else {}
    qs = selectors.case_list_for(
        user=request.user,
        unit=unit,
        kind=v.get("kind") or None,
        status=v.get("status") or None,
        overdue=True if v.get("overdue") else None,
    )
    response = FileResponse(
        exports.case_book_xlsx(qs),
        as_attachment=True,
        filename=f"so-don-{unit.code}-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=exports.XLSX_CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@_staff
@require_http_methods(["GET", "POST"])
def intake(request):
    unit = _unit(request, selectors.intake_units(request.user))
    form = forms.IntakeForm(
        request.POST or None, initial={"received_on": timezone.localdate(), "channel": "in_person"}
    )
    if request.method == "POST" and form.is_valid():
        v = form.cleaned_data
        try:
            case = services.case_receive(
                actor=request.user,
                unit=unit,
                kind=v["kind"],
                received_on=v["received_on"],
                channel=v["channel"],
                person={k: v[k] for k in ("full_name", "id_number", "address", "phone", "email")},
                content=v["content"],
                remote_area=v["remote_area"],
                complex=v["complex"],
                several_places=v["several_places"],
                anonymous=v["anonymous"],
                instance=int(v.get("instance") or 1),
                decision_known_on=v.get("decision_known_on"),
            )
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        else:
            flash.success(request, _("Đã tiếp nhận đơn %(c)s.") % {"c": case.code})
            return redirect("complaints:detail", code=case.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "complaints/intake.html", _ctx(request, unit, form=form), status=status)


def _makers(case: Case):
    verifiers = User.objects.filter(
        roles__unit=case.unit, roles__role__in=[Role.SPECIALIST, Role.LEADER], is_active=True
    ).distinct()
    leaders = User.objects.filter(roles__unit=case.unit, roles__role=Role.LEADER, is_active=True).distinct()
    counters, officers = selectors.case_counters(case), selectors.case_staff(case)
    return {
        "accept": lambda d: forms.AcceptForm(d, prefix="accept"),
        "refuse": lambda d: forms.ReasonForm(d, prefix="refuse"),
        "transfer": lambda d: forms.TransferForm(d, prefix="transfer"),
        "treat_as_information": lambda d: forms.ReasonForm(d, prefix="treat_as_information"),
        "assign": lambda d: forms.AssignForm(d, verifiers=verifiers, leaders=leaders, prefix="assign"),
        "split": lambda d: forms.SplitForm(d, prefix="split"),
        "note": lambda d: forms.NoteForm(d, prefix="note"),
        "dialogue": lambda d: forms.NoteForm(d, prefix="dialogue"),
        "footage": lambda d: forms.FootageForm(d, prefix="footage", counters=counters, officers=officers),
        "extend": lambda d: forms.ExtendForm(d, prefix="extend"),
        "suspend": lambda d: forms.ReasonForm(d, prefix="suspend"),
        "resume": lambda d: forms.EmptyForm(d, prefix="resume"),
        "conclude": lambda d: forms.ConcludeForm(d, prefix="conclude"),
        "withdraw": lambda d: forms.ReasonForm(d, prefix="withdraw"),
        "redact": lambda d: forms.RedactForm(d, prefix="redact", initial={"content": case.content}),
    }


def _arguments(action: str, v: dict) -> dict:
    if action == "split":
        return {}
    if action in ("note", "dialogue"):
        return {"note": v["note"]}
    return {k: val for k, val in v.items()}


def _detail(request, case: Case, *, bound: dict | None = None, identity=None, reveal_form=None, status=200):
    roles = user_roles_in(request.user, case.unit)
    process = rules.PROCESSES[case.kind]
    allowed = {t.action for t in process.available(case.status, roles)}
    if case.sealed and request.user.pk != case.handler_id:
        allowed.discard("redact")
    makers = _makers(case)
    bound = bound or {}
    actions = [(a, process[a].label, bound.get(a) or makers[a](None)) for a in makers if a in allowed]
    due = services.case_explanation(case)
    notices = [e for e in selectors.case_events(case) if e.action in rules.NOTICE_ACTIONS]
    context = _ctx(
        request,
        case.unit,
        case=case,
        events=selectors.case_events(case),
        labels={a: t.label for a, t in process.transitions.items()},
        actions=actions,
        due=due,
        due_text=rules.explanation_text(due),
        next_due=rules.next_due(case.status, case.acceptance_due_on, case.resolution_due_on),
        today=timezone.localdate(),
        splits=selectors.case_splits(case),
        notices=notices,
        may_reveal=services.may_reveal(request.user, case),
        may_log=selectors.may_read_access_log(request.user, case),
        reveal_form=reveal_form or forms.RevealForm(),
        identity=identity,
        status_label=Status(case.status).label,
    )
    return render(request, "complaints/detail.html", context, status=status)


@_staff
def detail(request, code: str):
    return _detail(request, selectors.case_get_for(user=request.user, code=code))


@_staff
@require_POST
def act(request, code: str, action: str):
    case = selectors.case_get_for(user=request.user, code=code)
    makers = _makers(case)
    if action not in makers:
        raise Http404(_("Thao tác không tồn tại."))
    form = makers[action](request.POST)
    version = request.POST.get("version") or ""
    expected = int(version) if version.isascii() and version.isdigit() and len(version) < 10 else None
    if form.is_valid():
        try:
            if action == "split":
                made = services.case_split(
                    actor=request.user, case=case, parts=form.parts(), expected_version=expected
                )
            elif action == "redact":
                services.case_redact(
                    actor=request.user,
                    case=case,
                    content=form.cleaned_data["content"],
                    expected_version=expected,
                )
            else:
                services.case_act(
                    action,
                    actor=request.user,
                    case=case,
                    expected_version=expected,
                    **_arguments(action, form.cleaned_data),
                )
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        except TransitionNotAllowed as error:
            form.add_error(None, str(error))
        else:
            label = str(rules.PROCESSES[case.kind][action].label).lower()
            if action == "split":
                flash.success(
                    request, _("Đã tách thành các đơn: %(c)s.") % {"c": ", ".join(c.code for c in made)}
                )
            else:
                flash.success(request, _("Đã %(a)s.") % {"a": label})
            return redirect("complaints:detail", code=case.code)
    return _detail(request, case, bound={action: form}, status=400)


@_staff
@require_POST
def reveal(request, code: str):
    """The identity on this one response, after the reason is logged; never stored in the page's cache."""
    case = selectors.case_get_for(user=request.user, code=code)
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, reveal_form=form, status=400)
    try:
        identity = services.identity_reveal(actor=request.user, case=case, reason=form.cleaned_data["reason"])
    except ServiceError as error:
        forms.add_service_errors(form, error.message_dict)
        return _detail(request, case, reveal_form=form, status=400)
    return _detail(request, case, identity=identity)


@_staff
def access_log(request, code: str):
    case = selectors.case_get_for(user=request.user, code=code)
    if not selectors.may_read_access_log(request.user, case):
        raise PermissionDenied(_("Chỉ lãnh đạo đơn vị và thanh tra cấp tỉnh xem được nhật ký này."))
    template = (
        "complaints/print/access_log.html" if request.GET.get("print") else "complaints/access_log.html"
    )
    return render(
        request,
        template,
        _ctx(
            request,
            case.unit,
            case=case,
            accesses=selectors.access_log(case),
            head=letterhead(case.unit, when=timezone.localdate()),
        ),
    )


def letterhead(unit, *, when) -> dict:
    """The People's Committee as the issuing body (ND 30/2020): its name under "ỦY BAN NHÂN DÂN"."""
    return {
        "parent": _("ỦY BAN NHÂN DÂN"),
        "body": unit.full_name.upper(),
        "place_date": place_and_date(unit, when),
    }


NOTICE_TITLES = {
    "accept": _("THÔNG BÁO Về việc thụ lý giải quyết %(k)s"),
    "refuse": _("THÔNG BÁO Về việc không thụ lý giải quyết %(k)s"),
    "transfer": _("THÔNG BÁO Về việc chuyển đơn %(k)s"),
    "extend": _("THÔNG BÁO Về việc gia hạn giải quyết %(k)s"),
    "suspend": _("THÔNG BÁO Về việc tạm đình chỉ giải quyết %(k)s"),
    "resume": _("THÔNG BÁO Về việc tiếp tục giải quyết %(k)s"),
    "conclude": _("THÔNG BÁO Về kết quả giải quyết %(k)s"),
    "withdraw": _("THÔNG BÁO Về việc đình chỉ giải quyết %(k)s"),
}


@_staff
@require_http_methods(["GET", "POST"])
def notice(request, code: str, event_id: int):
    """A notice to the person in the administrative format (ND 30/2020), with the addressee left to be written
    in; the one allowed to open the identity POSTs a reason to get it addressed (the opening is logged). A GET
    (a link, a prefetch) never opens the identity."""
    case = selectors.case_get_for(user=request.user, code=code)
    event = CaseEvent.objects.filter(case=case, pk=event_id, action__in=rules.NOTICE_ACTIONS).first()
    if event is None:
        raise Http404(_("Không có thông báo này."))
    identity = None
    if request.method == "POST":
        form = forms.RevealForm(request.POST)
        if not form.is_valid():
            return _detail(request, case, reveal_form=form, status=400)
        try:
            identity = services.identity_reveal(
                actor=request.user, case=case, reason=form.cleaned_data["reason"], via="print"
            )
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
            return _detail(request, case, reveal_form=form, status=400)
    kind = Kind(case.kind).label.lower()
    context = {
        "case": case,
        "event": event,
        "identity": identity,
        "title": NOTICE_TITLES[event.action] % {"k": kind},
        "kind_label": kind,
        "head": letterhead(case.unit, when=timezone.localtime(event.at)),
        "received": format_day(case.received_on),
        "resolution_due": format_day(case.resolution_due_on) if case.resolution_due_on else "",
        "deadline": event.data.get("deadline"),
        "signer": event.actor.get_full_name() if event.actor else "",
    }
    return render(request, "complaints/print/notice.html", context)


@_staff
@require_http_methods(["GET", "POST"])
def settings_page(request):
    unit = _unit(request, units_for(request.user, services.SETTINGS_ROLES))
    config = services.unit_settings(unit)
    form = forms.SettingsForm(
        request.POST or None,
        initial={"resolution_counting": config.resolution_counting, "petition_days": config.petition_days},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_save(actor=request.user, unit=unit, **form.cleaned_data)
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        else:
            flash.success(request, _("Đã lưu cài đặt."))
            return redirect(f"{reverse('complaints:settings')}?unit={unit.code}")
    periods = [(p, rules.SETTING == p.counting) for p in rules.PERIODS.values()]
    return render(
        request,
        "complaints/settings.html",
        _ctx(request, unit, form=form, periods=periods, gap_note=rules.GAP_NOTE),
        status=400 if request.method == "POST" else 200,
    )
