"""Staff pages of the one-stop: counter intake, work lists, unit overview, the dossier page and its actions.

Views parse input, call one service or selector and render. Permission lives in the selectors and services:
`access_dossier` hides dossiers of other units (404 here), services refuse roles (403) and stale versions or
wrong states (409).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import user_roles_in, user_scope
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.text import nfc
from cqtt.procedures.rules import format_vnd
from cqtt.procedures.selectors import procedure_in_force, procedure_list_public
from cqtt.units.models import Counter

from . import rules, services
from .forms import (
    ACTION_ERROR_ALIASES,
    ACTION_FORMS,
    EXPORT_TARGETS,
    ConsultReplyForm,
    ExportForm,
    IntakeForm,
    ProcedureSearchForm,
    apply_service_errors,
    communes_near,
    document_formset,
)
from .models import Status
from .selectors import (
    access_dossier,
    counter_units_for,
    dossier_events,
    dossier_list_for,
    dossier_personal_data_for,
    dossier_supplement_is_late,
    for_table,
    unit_overview,
    worklist_counter,
    worklist_leader,
    worklist_specialist,
)

PAGE_SIZE = 25
SEARCH_LIMIT = 15


def _forbidden(request, message: str):
    return render(request, "dossiers/forbidden.html", {"message": message}, status=403)


# --- counter intake ----------------------------------------------------------------------------------------


@login_required
def intake(request):
    units = counter_units_for(user=request.user)
    if not units:
        return _forbidden(request, _("Chỉ cán bộ Bộ phận Một cửa được tiếp nhận hồ sơ."))
    by_code = {u.code: u for u in units}
    unit = by_code.get(request.POST.get("unit") or request.GET.get("unit") or "", units[0])

    search = ProcedureSearchForm(request.GET)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    if request.headers.get("HX-Request") and "procedure" not in request.GET:
        return render(
            request,
            "dossiers/_procedure_results.html",
            {"procedures": procedure_list_public(q=q, unit=unit.code)[:SEARCH_LIMIT], "q": q, "unit": unit},
        )

    code = (request.POST.get("procedure") or request.GET.get("procedure") or "").strip()
    procedure = procedure_in_force(code=code, at=timezone.localdate()) if code else None
    if code and procedure is None:
        messages.error(request, _("Không có thủ tục mã “%(c)s” đang có hiệu lực.") % {"c": code})
    if procedure is None:
        return render(
            request,
            "dossiers/intake.html",
            {
                "search": search,
                "procedures": procedure_list_public(q=q, unit=unit.code)[:SEARCH_LIMIT],
                "q": q,
                "unit": unit,
                "units": units,
            },
        )

    counters = list(Counter.objects.filter(officers=request.user, office__unit=unit, is_active=True))
    form_kwargs = {"units": units, "counters": counters, "communes": communes_near(unit)}
    status = 200
    if request.method == "POST":
        form = IntakeForm(request.POST, **form_kwargs)
        documents = document_formset(procedure, request.POST, request.FILES)
        if form.is_valid() and documents.is_valid():
            rows = documents.document_data()
            form.check_outcome(rows)
            if not form.errors:
                try:
                    result = services.dossier_intake(actor=request.user, **form.service_kwargs(rows))
                except ServiceError as error:
                    apply_service_errors(form, error.message_dict, {"procedure_code": "procedure"})
                except PermissionDenied as error:
                    return _forbidden(request, str(error))
                else:
                    return _after_intake(request, result)
        status = 400
        messages.error(request, _("Chưa lưu được hồ sơ: vui lòng xem các thông báo bên cạnh từng ô."))
    else:
        form = IntakeForm(
            initial={"procedure": procedure.code, "unit": unit.code, "commune": unit.code}, **form_kwargs
        )
        documents = document_formset(procedure)
    return render(
        request,
        "dossiers/intake.html",
        {
            "procedure": procedure,
            "fees": list(procedure.fees.all()),
            "same_day": procedure.duration_unit == "same_day",
            "form": form,
            "documents": documents,
            "unit": unit,
            "units": units,
        },
        status=status,
    )


def _after_intake(request, result: services.IntakeResult):
    dossier = result.dossier
    if dossier.status == Status.RECEIVED:
        messages.success(
            request,
            _("Đã tiếp nhận hồ sơ %(c)s. In Giấy tiếp nhận và hẹn trả kết quả (Mẫu 01) giao công dân.")
            % {"c": dossier.code},
        )
        slip = "receipt"
    elif dossier.status == Status.INTAKE_SUPPLEMENT:
        messages.warning(
            request,
            _("Hồ sơ %(c)s chưa đủ: in Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02) gồm %(n)s nội dung.")
            % {"c": dossier.code, "n": len(result.missing)},
        )
        slip = "supplement"
    else:
        messages.warning(
            request,
            _("Đã ghi nhận từ chối tiếp nhận hồ sơ %(c)s. In Phiếu từ chối (Mẫu 03) giao công dân.")
            % {"c": dossier.code},
        )
        slip = "refusal"
    return redirect(reverse("dossiers:detail", args=[dossier.code]) + f"?in={slip}")


# --- work lists --------------------------------------------------------------------------------------------

TABS = {
    "counter": (
        Role.COUNTER_OFFICER,
        worklist_counter,
        [
            ("awaiting_reception", gettext_lazy("Chờ tiếp nhận (trực tuyến, chờ bổ sung)")),
            ("ready", gettext_lazy("Có kết quả, chờ trả")),
            ("today", gettext_lazy("Hẹn trả hôm nay")),
        ],
    ),
    "specialist": (
        Role.SPECIALIST,
        worklist_specialist,
        [
            ("mine", gettext_lazy("Hồ sơ của tôi")),
            ("due_soon", gettext_lazy("Sắp đến hạn")),
            ("overdue", gettext_lazy("Quá hạn")),
        ],
    ),
    "leader": (
        Role.LEADER,
        worklist_leader,
        [
            ("awaiting_approval", gettext_lazy("Chờ phê duyệt")),
            ("unassigned", gettext_lazy("Chưa phân công")),
            ("at_risk", gettext_lazy("Có nguy cơ trễ hạn")),
            ("overdue", gettext_lazy("Quá hạn")),
        ],
    ),
}


class _Window:
    """One page of a list without counting the list: PAGE_SIZE + 1 rows tell whether a next page exists."""

    paginator = None

    def __init__(self, queryset, number):
        try:
            self.number = max(int(number or 1), 1)
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * PAGE_SIZE
        rows = list(queryset[start : start + PAGE_SIZE + 1])
        self.object_list = rows[:PAGE_SIZE]
        self.has_next = len(rows) > PAGE_SIZE
        self.has_previous = self.number > 1
        self.has_other_pages = self.has_next or self.has_previous
        self.next_page_number = self.number + 1
        self.previous_page_number = self.number - 1


@login_required
def worklists(request):
    scope = user_scope(request.user)
    roles = set(Role.values) if scope.is_global else {g.role for g in scope.grants}
    now = timezone.now()
    tabs = []  # (key, group label, label, queryset)
    for group, (role, selector, sections) in TABS.items():
        if role not in roles:
            continue
        lists = selector(user=request.user, now=now)
        tabs += [(f"{group}.{key}", Role(role).label, label, lists[key]) for key, label in sections]
    status = request.GET.get("status") or ""
    if status not in Status.values:
        status = ""
    q = request.GET.get("q", "")[: rules.SEARCH_MAX_LENGTH * 2]
    search, search_error = None, ""
    try:
        search = rules.search_query(q)
    except rules.SearchRefused as refused:
        search_error = str(refused)
    found = dossier_list_for(user=request.user, status=status or None, search=search, now=now)
    if search_error:
        found = found.none()
    tabs.append(("all", _("Tra cứu"), _("Tất cả hồ sơ"), for_table(found)))
    keys = [t[0] for t in tabs]
    if q.strip():
        current = "all"  # the search box always answers with the list of every dossier
    else:
        current = request.GET.get("tab") if request.GET.get("tab") in keys else keys[0]
    key, group, label, queryset = tabs[keys.index(current)]
    if current == "all":
        # every dossier the user may see, newest first: a page without a total (counting a whole province's
        # dossiers on each visit would cost more than the page itself)
        page = _Window(queryset.order_by("-submitted_at", "-id"), request.GET.get("page"))
    else:
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/worklists.html",
        {
            "tabs": [
                {
                    "key": k,
                    "group": g,
                    "label": lab,
                    "count": None if k == "all" else (page.paginator.count if k == current else qs.count()),
                }
                for k, g, lab, qs in tabs
            ],
            "current": current,
            "current_label": label,
            "page": page,
            "now": now,
            "status": status,
            "q": nfc(q),
            "search_error": search_error,
            "search_numbers_masked": dossier_personal_data_for(user=request.user).full_unit_ids is not None,
            "statuses": Status.choices,
            "can_intake": Role.COUNTER_OFFICER in roles,
        },
    )


# --- overview ----------------------------------------------------------------------------------------------


COMMUNE_COLUMNS = [
    ("name", gettext_lazy("Xã, phường, đặc khu")),
    ("received", gettext_lazy("Đã tiếp nhận")),
    ("open", gettext_lazy("Đang giải quyết")),
    ("overdue", gettext_lazy("Đang quá hạn")),
    ("on_time_rate", gettext_lazy("Tỷ lệ đúng hạn")),
]


@login_required
def overview(request):
    """The overview of every unit the user sees (one row per commune when there are several), or of one of them
    (`?unit=<code>`; 404 outside the user's units). `?sort=` orders the communes (`-` first: descending). The
    export form (prefix `export-`) sends to the chosen export, or shows its mistakes here with what was typed."""
    unit_code = (request.GET.get("unit") or "").strip()[:32]
    sort = (request.GET.get("sort") or "name").strip()[:20]
    try:
        data = unit_overview(user=request.user, unit_code=unit_code or None, sort=sort)
    except NotInScope:
        raise Http404(_("Không tìm thấy đơn vị hoặc bạn không có quyền xem đơn vị này.")) from None
    status = 200
    if "export-target" in request.GET:
        form = ExportForm(request.GET, units=data["export_units"])
        if form.is_valid():
            return redirect(form.export_url())
        status = 400
    else:
        form = ExportForm(units=data["export_units"], initial={"unit": unit_code, "target": "book_xlsx"})
    columns = [
        {
            "key": key,
            "label": label,
            "sorted": data["sort"].lstrip("-") == key,
            "descending": data["sort"] == f"-{key}",
            # first click: names A→Z, figures largest first; a second click turns the order round
            "next": (f"-{key}" if data["sort"] == key else key)
            if key == "name"
            else (key if data["sort"] == f"-{key}" else f"-{key}"),
        }
        for key, label in COMMUNE_COLUMNS
    ]
    return render(
        request,
        "dossiers/overview.html",
        {"data": data, "columns": columns, "export_form": form, "export_targets": EXPORT_TARGETS},
        status=status,
    )


# --- dossier page ------------------------------------------------------------------------------------------


def _access(request, code: str):
    try:
        return access_dossier(user=request.user, code=code)
    except PermissionDenied:
        raise Http404(_("Không tìm thấy hồ sơ hoặc bạn không có quyền xem hồ sơ này.")) from None


def _roles(user, dossier) -> set[str]:
    roles: set[str] = set()
    for unit in {dossier.receiving_unit, dossier.handling_unit, dossier.current_unit}:
        roles |= user_roles_in(user, unit)
    return roles


EVENT_LABELS = {
    "submit-online": gettext_lazy("Công dân nộp hồ sơ trực tuyến"),
    **{action: t.label for action, t in rules.TRANSITIONS.items()},
}

STATUS_LABELS = dict(Status.choices)


def _render_detail(request, dossier, *, bound: tuple[str, object] | None = None, status: int = 200):
    roles = _roles(request.user, dossier)
    actions = []
    same_day = dossier.procedure.duration_unit == "same_day"
    for transition in rules.available_actions(dossier.status, roles, same_day=same_day):
        if transition.action not in ACTION_FORMS:
            continue
        if bound and bound[0] == transition.action:
            form = bound[1]
        else:
            form = ACTION_FORMS[transition.action](dossier=dossier)
        entry = {"action": transition.action, "label": transition.label, "form": form}
        if transition.action == "request-supplement" and dossier_supplement_is_late(dossier=dossier):
            entry["warning"] = _(
                "Đã quá 3 ngày làm việc kể từ khi tiếp nhận: pháp luật yêu cầu thông báo bổ sung trong thời hạn này. "
                "Yêu cầu vẫn được gửi nhưng sẽ được ghi nhận là chậm."
            )
        actions.append(entry)
    if (roles & {"specialist", "leader"}) and dossier.steps.filter(
        kind="consultation", completed_at__isnull=True
    ).exists():
        form = bound[1] if bound and bound[0] == "consultation-reply" else ConsultReplyForm(dossier=dossier)
        actions.append({"action": "consultation-reply", "label": CONSULTATION_REPLY_LABEL, "form": form})
    events = list(dossier_events(dossier=dossier))
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
        event.status_label = (
            STATUS_LABELS.get(event.to_status, "") if event.to_status != event.from_status else ""
        )
    fees = list(dossier.fees.all())
    for fee in fees:
        fee.amount_text = format_vnd(fee.amount)
    explanation = [
        {"date": dt.date.fromisoformat(item["date"]), "reason": item["reason"]}
        for item in dossier.due_explanation or []
        if isinstance(item, dict) and "date" in item
    ]
    slip = request.GET.get("in")
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "applicant": dossier_personal_data_for(user=request.user).of_dossier(dossier),
            "documents": list(dossier.documents.all()),
            "fees": fees,
            "steps": list(dossier.steps.select_related("from_unit", "to_unit", "handed_by", "to_user")),
            "supplements": list(dossier.supplements.select_related("requested_by")),
            "events": events,
            "explanation": explanation,
            "actions": actions,
            "open_action": bound[0] if bound else "",
            "slip": slip if slip in ("receipt", "supplement", "refusal") else "",
            "now": timezone.now(),
            "is_open": dossier.status not in (Status.RETURNED, Status.REFUSED, Status.WITHDRAWN),
            "is_observer": not actions and roles <= {Role.OBSERVER},
        },
        status=status,
    )


@login_required
def detail(request, code: str):
    return _render_detail(request, _access(request, code))


CONSULTATION_REPLY_LABEL = _("Ghi ý kiến trả lời")


AFTER_ACTION_SLIP = {
    "receive": "receipt",
    "request-intake-supplement": "supplement",
    "request-supplement": "supplement",
    "refuse-intake": "refusal",
    "refuse": "refusal",
}


@login_required
@require_POST
def action(request, code: str, action: str):
    dossier = _access(request, code)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404(_("Thao tác không tồn tại."))
    form = form_class(request.POST, dossier=dossier)
    if not form.is_valid():
        if "version" in form.errors:
            messages.error(request, _("Biểu mẫu đã cũ; vui lòng tải lại trang."))
        return _render_detail(request, dossier, bound=(action, form), status=400)
    try:
        services.dossier_act(
            action,
            actor=request.user,
            dossier=dossier,
            expected_version=form.cleaned_data["version"],
            **form.service_kwargs(),
        )
    except ServiceError as error:
        apply_service_errors(form, error.message_dict, ACTION_ERROR_ALIASES)
        return _render_detail(request, dossier, bound=(action, form), status=400)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
        return _render_detail(request, access_dossier(user=request.user, code=code), status=409)
    except PermissionDenied as error:
        return _forbidden(request, str(error))
    label = rules.TRANSITIONS[action].label
    messages.success(request, _("Đã thực hiện: %(a)s.") % {"a": label})
    url = reverse("dossiers:detail", args=[code])
    slip = AFTER_ACTION_SLIP.get(action)
    return redirect(f"{url}?in={slip}" if slip else url)


# --- files -------------------------------------------------------------------------------------------------


@login_required
def document_file(request, code: str, document_id: int):
    dossier = _access(request, code)
    document = dossier.documents.filter(pk=document_id).exclude(file="").first()
    if document is None:
        raise Http404(_("Không tìm thấy tệp."))
    filename = document.original_filename or document.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
