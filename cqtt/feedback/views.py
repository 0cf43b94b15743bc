"""Pages of the feedback inbox. Public (no account): the form at /gop-y/, the confirmation, the lookup by code,
the published answers with like/dislike. Staff: the unit's inbox with filters, an item's page with its actions,
the paper boxes and their openings (letters typed in with a scan), the hotline form, the mailboxes, the unit's
deadlines, an official's record, a paper letter's scan."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import require_role, user_roles_in
from cqtt.core.caching import free_of_personal_data
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.ratelimit import client_ip, rate_limited
from cqtt.core.text import search_terms
from cqtt.dossiers.uploads import safe_name
from cqtt.units.models import Unit, UnitLevel
from cqtt.units.selectors import unit_by_code

from . import channels, forms, rules, selectors, services
from .apis import public_answer, public_text
from .models import Channel, Kind, Status

SESSION_KEY = "feedback_sent"
SESSION_KEEP = 10
PAGE_SIZE = 30


def _too_many(request):
    response = render(request, "portal/too_many.html", status=429)
    response["Retry-After"] = "60"
    return response


# --- public ------------------------------------------------------------------------------------------------


def _communes(q: str) -> list[Unit]:
    terms = search_terms(q)[:4]
    if not terms:
        return []
    qs = Unit.objects.filter(is_active=True, level=UnitLevel.COMMUNE)
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    return list(qs.select_related("parent").order_by("path")[:20])


def _inbox_unit(code: str) -> Unit | None:
    unit = unit_by_code(code=code) if code and len(code) <= 32 else None
    return unit if unit is not None and unit.is_active and unit.level in services.INBOX_LEVELS else None


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request):
    """Pick the commune (plain GET search, no JavaScript needed), then the form."""
    code = (request.GET.get("unit") or request.POST.get("unit") or "").strip()
    unit = _inbox_unit(code)
    if unit is None:
        q = (request.GET.get("q") or "").strip()[:100]
        status = 404 if code else 200
        return render(
            request,
            "feedback/pick_unit.html",
            {"q": q, "communes": _communes(q), "unknown": bool(code)},
            status=status,
        )
    if request.method == "POST" and rate_limited(
        request, group="feedback:submit", rate=settings.FEEDBACK_SUBMIT_RATE
    ):
        return _too_many(request)
    form = forms.PublicFeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_robot:
            return render(request, "feedback/sent_robot.html")  # nothing stored; a robot learns nothing
        if form.is_valid():
            v = form.cleaned_data
            try:
                item = services.feedback_submit(
                    unit=unit,
                    kind=v["kind"],
                    content=v["content"],
                    channel=Channel.WEB,
                    sender=services.SenderData(
                        name=v["name"], phone=v["phone"], email=v["email"], address=v["address"]
                    ),
                    publish_consent=v["publish_consent"],
                    client_address=client_ip(request),
                )
            except ServiceError as error:
                forms.add_service_errors(form, error.message_dict)
            else:
                sent = request.session.get(SESSION_KEY, [])
                request.session[SESSION_KEY] = [*sent, item.code][-SESSION_KEEP:]
                return redirect("feedback:sent", code=item.code)
    return render(
        request, "feedback/submit.html", {"unit": unit, "form": form}, status=400 if form.is_bound else 200
    )


@never_cache
def sent(request, code: str):
    """The confirmation with the code, only for the browser session that sent it."""
    if code not in request.session.get(SESSION_KEY, []):
        return redirect("feedback:lookup")
    item = selectors.feedback_public_by_code(code=code)
    if item is None:
        return redirect("feedback:lookup")
    url = request.build_absolute_uri(reverse("feedback:status", args=[item.code]))
    return render(request, "feedback/sent.html", {"item": item, "lookup_url": url})


@never_cache
def lookup(request):
    form = forms.LookupForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("feedback:status", code=form.cleaned_data["code"])
    return render(request, "feedback/lookup.html", {"form": form}, status=400 if form.is_bound else 200)


@never_cache
def status(request, code: str):
    if rate_limited(request, group="lookup", rate=settings.LOOKUP_RATE):
        return _too_many(request)
    item = selectors.feedback_public_by_code(code=code)
    if item is None:
        form = forms.LookupForm(initial={"code": code[:20]})
        message = _(
            "Không tìm thấy phản ánh với mã này. Hãy kiểm tra lại mã trong tin nhắn hoặc trang xác nhận."
        )
        return render(request, "feedback/lookup.html", {"form": form, "message": message}, status=404)
    response = render(
        request,
        "feedback/status.html",
        {
            "item": item,
            "answer": public_answer(item),
            "reason": public_text(item, item.reason) if item.reason else "",
            "events": selectors.feedback_events(item=item, public_only=True),
            "Status": Status,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    # the code in the address is the key to the page: never sent to another site (same-origin, not no-referrer,
    # which would make the browser send "Origin: null" with the like/dislike form and fail its CSRF check)
    response["Referrer-Policy"] = "same-origin"
    return response


@require_POST
def react(request, code: str):
    if rate_limited(request, group="lookup", rate=settings.LOOKUP_RATE):
        return _too_many(request)
    item = selectors.feedback_public_by_code(code=code)
    if item is None:
        raise Http404(_("Không tìm thấy phản ánh với mã này."))
    value = 1 if request.POST.get("value") == "like" else -1
    try:
        services.feedback_react(item=item, voter=channels.voter_key(request), value=value)
    except (ServiceError, TransitionNotAllowed) as error:
        flash.error(request, str(getattr(error, "messages", [error])[0]))
    else:
        flash.success(request, _("Cảm ơn Ông/Bà đã đánh giá câu trả lời."))
    return redirect(
        request.POST.get("next") == "list"
        and f"{reverse('feedback:published')}?unit={item.unit.code}"
        or reverse("feedback:status", args=[item.code])
    )


@free_of_personal_data
def published(request):
    unit = _inbox_unit((request.GET.get("unit") or "").strip())
    if unit is None:
        q = (request.GET.get("q") or "").strip()[:100]
        return render(
            request, "feedback/pick_unit.html", {"q": q, "communes": _communes(q), "published": True}
        )
    page = Paginator(selectors.feedback_list_public(unit=unit), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/published.html", {"unit": unit, "page": page})


# --- staff -------------------------------------------------------------------------------------------------


def _forbidden(request, reason):
    return render(request, "letters/forbidden.html", {"reason": str(reason)}, status=403)


def _staff_unit(request) -> Unit:
    units = selectors.inbox_units(request.user)
    if not units:
        raise PermissionDenied(_("Bạn không làm việc ở đơn vị nào tiếp nhận phản ánh, kiến nghị."))
    code = request.GET.get("unit") or request.POST.get("unit")
    if not code:
        return units[0]
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị này trong các đơn vị của bạn."))
    return unit


def _staff(view):
    """Login required; a user with no staff unit gets the 403 page; an out-of-scope object is 404."""

    @login_required
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


def _ctx(request, unit: Unit, **extra) -> dict:
    roles = user_roles_in(request.user, unit)
    return {
        "unit": unit,
        "units": selectors.inbox_units(request.user),
        "can_settings": bool(roles & {Role.LEADER, Role.UNIT_ADMIN}),
        "can_intake": bool(roles & rules.INTAKE),
        **extra,
    }


@_staff
def inbox(request):
    unit = _staff_unit(request)
    f = forms.FilterForm(request.GET or None)
    v = f.cleaned_data if f.is_valid() else {}
    now = timezone.now()
    qs = selectors.feedback_list_for(
        user=request.user,
        unit=unit,
        status=v.get("status") or None,
        kind=v.get("kind") or None,
        channel=v.get("channel") or None,
        overdue=True if v.get("overdue") else None,
        now=now,
    ).only(
        *selectors.LIST_COLUMNS, "unit__code", "assignee__full_name", "assignee__username", "department__name"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/inbox.html",
        _ctx(
            request,
            unit,
            form=f,
            page=page,
            now=now,
            query=query.urlencode(),
            counts=selectors.counts_by_status(user=request.user, unit=unit, now=now),
        ),
    )


def _action_forms(item, request, bound: dict | None = None) -> dict:
    roles = user_roles_in(request.user, item.unit)
    allowed = {t.action for t in rules.FEEDBACK.available(item.status, roles)}
    bound = bound or {}
    makers = {
        "assign": lambda data: forms.AssignForm(
            data,
            departments=selectors.departments_of(unit=item.unit),
            officers=selectors.assignable_officers(unit=item.unit),
            prefix="assign",
        ),
        "request_supplement": lambda data: forms.ReasonForm(data, prefix="request_supplement"),
        "supplement": lambda data: forms.SupplementForm(data, prefix="supplement"),
        "answer": lambda data: forms.AnswerForm(data, prefix="answer"),
        "publish": lambda data: forms.PublishForm(
            data,
            prefix="publish",
            initial={
                "public_content": rules.redact(item.content, item.sender_name, item.sender_address),
                "public_answer": rules.redact(item.answer, item.sender_name, item.sender_address),
            },
        ),
        "transfer": lambda data: forms.TransferForm(data, prefix="transfer"),
        "refuse": lambda data: forms.ReasonForm(data, prefix="refuse"),
        "move_to_complaints": lambda data: forms.MoveForm(data, prefix="move_to_complaints"),
        "reopen": lambda data: forms.ReasonForm(data, prefix="reopen"),
        "link_official": lambda data: forms.OfficialForm(
            data,
            officers=selectors.linkable_officials(unit=item.unit),
            prefix="link_official",
            initial={"official": item.official_id or ""},
        ),
        "classify": lambda data: forms.ClassifyForm(data, prefix="classify", initial={"kind": item.kind}),
    }
    out = []
    for action, make in makers.items():
        if action not in allowed:
            continue
        if action == "link_official" and item.kind not in (Kind.COMMENDATION, Kind.OFFICIAL_CONDUCT):
            continue
        out.append((action, rules.FEEDBACK[action].label, bound.get(action) or make(None)))
    return {"actions": out, "makers": makers, "can_thank": "draft_thanks" in allowed}


@_staff
def detail(request, code: str):
    item = selectors.access_feedback(user=request.user, code=code)
    return _detail(request, item)


def _detail(request, item, bound: dict | None = None, status: int = 200):
    parts = _action_forms(item, request, bound)
    context = _ctx(
        request,
        item.unit,
        item=item,
        events=selectors.feedback_events(item=item),
        actions=parts["actions"],
        can_thank=parts["can_thank"] and item.kind == Kind.COMMENDATION and not item.thanks_letter_id,
        now=timezone.now(),
    )
    return render(request, "feedback/detail.html", context, status=status)


def _arguments(action: str, v: dict, item) -> dict:
    from cqtt.accounts.models import User

    if action == "assign":
        department = Unit.objects.filter(pk=v["department"]).first() if v.get("department") else None
        assignee = User.objects.filter(pk=v["assignee"]).first() if v.get("assignee") else None
        return {"department": department, "assignee": assignee, "note": v.get("note", "")}
    if action == "link_official":
        return {"official": User.objects.filter(pk=v["official"]).first() if v.get("official") else None}
    if action == "publish":
        return {
            "public_content": v.get("public_content") or None,
            "public_answer": v.get("public_answer") or None,
        }
    return dict(v)


@_staff
@require_POST
def act(request, code: str, action: str):
    item = selectors.access_feedback(user=request.user, code=code)
    makers = _action_forms(item, request)["makers"]
    if action not in makers:
        raise Http404(_("Thao tác không tồn tại."))
    form = makers[action](request.POST)
    version = request.POST.get("version")
    if form.is_valid():
        try:
            services.feedback_act(
                action,
                actor=request.user,
                item=item,
                expected_version=int(version) if (version or "").isdigit() else None,
                **_arguments(action, form.cleaned_data, item),
            )
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        except TransitionNotAllowed as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, _("Đã %(a)s.") % {"a": str(rules.FEEDBACK[action].label).lower()})
            if action == "transfer":
                return redirect(f"{reverse('feedback:inbox')}?unit={item.unit.code}")
            return redirect("feedback:detail", code=item.code)
    return _detail(request, item, bound={action: form}, status=400)


SCAN_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


@_staff
@require_GET
def scan(request, code: str):
    """A paper letter's scan, for whoever may open the item's page (another unit's item: 404). The file's type
    was read from its content when it was uploaded (PDF, JPEG, PNG) and its name set from it; it opens in the
    browser, never sniffed as anything else, never cached."""
    item = selectors.access_feedback(user=request.user, code=code)
    if not item.scan:
        raise Http404(_("Phản ánh này không có bản quét."))
    name = item.scan_filename
    content_type = SCAN_TYPES.get(name.rsplit(".", 1)[-1].lower())
    try:
        file = item.scan.open("rb")
    except FileNotFoundError:
        raise Http404(_("Không tìm thấy tệp.")) from None
    response = FileResponse(
        file,
        as_attachment=content_type is None,
        filename=name,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@_staff
@require_POST
def draft_thanks(request, code: str):
    item = selectors.access_feedback(user=request.user, code=code)
    try:
        item = services.feedback_draft_thanks(actor=request.user, item=item)
    except (ServiceError, TransitionNotAllowed) as error:
        flash.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        return redirect("feedback:detail", code=item.code)
    flash.success(request, _("Đã lập dự thảo thư cảm ơn, chờ lãnh đạo ký."))
    return redirect("letters:detail", pk=item.thanks_letter_id)


@_staff
def official(request, pk: int):
    person = selectors.access_official(user=request.user, pk=pk)
    rows = selectors.official_record(user=request.user, official=person)
    return render(
        request,
        "feedback/official.html",
        {
            "official": person,
            "rows": rows,
            "commendations": sum(1 for r in rows if r.kind == Kind.COMMENDATION),
        },
    )


def _intake(request, *, channel: str, form_class, template: str, opening=None, unit=None):
    unit = unit or _staff_unit(request)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        v = form.cleaned_data
        scan = v.get("scan")
        if scan:
            from cqtt.dossiers.uploads import check_upload

            scan.name = safe_name(scan.name, check_upload(scan, label=str(_("Bản quét thư"))), fallback="thu")
        try:
            item = services.feedback_submit(
                unit=unit,
                kind=v["kind"],
                content=v["content"],
                subject=v.get("subject", ""),
                channel=channel,
                sender=services.SenderData(
                    name=v["name"], phone=v["phone"], email=v["email"], address=v["address"]
                ),
                publish_consent=v["publish_consent"],
                actor=request.user,
                box_opening=opening,
                scan=scan,
                received_at=v.get("received_at"),
            )
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        else:
            flash.success(request, _("Đã nhập phản ánh %(c)s.") % {"c": item.code})
            if opening is not None:
                return redirect("feedback:opening", pk=opening.pk)
            return redirect("feedback:detail", code=item.code)
    return render(
        request,
        template,
        _ctx(request, unit, form=form, opening=opening),
        status=400 if form.is_bound else 200,
    )


@_staff
@require_http_methods(["GET", "POST"])
def hotline(request):
    return _intake(
        request, channel=Channel.HOTLINE, form_class=forms.StaffIntakeForm, template="feedback/hotline.html"
    )


@_staff
@require_http_methods(["GET", "POST"])
def boxes(request):
    unit = _staff_unit(request)
    form = forms.BoxForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.box_save(actor=request.user, unit=unit, **form.cleaned_data)
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        else:
            flash.success(request, _("Đã thêm hòm thư."))
            return redirect(f"{reverse('feedback:boxes')}?unit={unit.code}")
    return render(
        request,
        "feedback/boxes.html",
        _ctx(request, unit, form=form, boxes=selectors.boxes_for(user=request.user, unit=unit)),
        status=400 if form.is_bound else 200,
    )


@_staff
@require_http_methods(["GET", "POST"])
def box(request, pk: int):
    the_box = selectors.access_box(user=request.user, pk=pk)
    form = forms.OpeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opening = services.box_open(actor=request.user, box=the_box, **form.cleaned_data)
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        else:
            flash.success(request, _("Đã ghi biên bản mở hòm thư."))
            return redirect("feedback:opening", pk=opening.pk)
    return render(
        request,
        "feedback/box.html",
        _ctx(
            request,
            the_box.unit,
            box=the_box,
            form=form,
            openings=the_box.openings.select_related("opened_by"),
        ),
        status=400 if form.is_bound else 200,
    )


@_staff
@require_http_methods(["GET", "POST"])
def opening(request, pk: int):
    the_opening = selectors.access_opening(user=request.user, pk=pk)
    response = _intake(
        request,
        channel=Channel.PAPER_BOX,
        form_class=forms.PaperLetterForm,
        template="feedback/opening.html",
        opening=the_opening,
        unit=the_opening.box.unit,
    )
    return response


@_staff
@require_http_methods(["GET", "POST"])
def unit_settings(request):
    unit = _staff_unit(request)
    require_role(request.user, unit, services.SETTINGS_ROLES)
    config = services.unit_settings(unit)
    initial = {name: getattr(config, name) for name in (*services.DAY_FIELDS, *services.CHANNEL_ID_FIELDS)}
    form = forms.SettingsForm(request.POST or None, initial=initial)
    if Role.UNIT_ADMIN not in user_roles_in(request.user, unit):  # the channels' ids are the administrator's
        for name in services.CHANNEL_ID_FIELDS:
            form.fields[name].disabled = True
            form.fields[name].help_text = _("Chỉ quản trị đơn vị được thay đổi.")
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_save(actor=request.user, unit=unit, **form.cleaned_data)
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        else:
            flash.success(request, _("Đã lưu cài đặt."))
            return redirect(f"{reverse('feedback:settings')}?unit={unit.code}")
    return render(
        request,
        "feedback/settings.html",
        _ctx(request, unit, form=form),
        status=400 if form.is_bound else 200,
    )


@_staff
@require_http_methods(["GET", "POST"])
def mailboxes(request):
    """The unit's mailboxes and how their last read went (its leader and administrator); declaring one is for
    the administrator only (the service refuses anyone else: 403)."""
    unit = _staff_unit(request)
    require_role(request.user, unit, services.SETTINGS_ROLES)
    can_declare = Role.UNIT_ADMIN in user_roles_in(request.user, unit)
    if request.method == "POST" and not can_declare:
        raise PermissionDenied(_("Chỉ quản trị đơn vị được khai báo hộp thư."))
    form = forms.MailboxForm(request.POST or None, initial={"password_env": services.password_env_for(unit)})
    if request.method == "POST" and form.is_valid():
        try:
            services.mailbox_save(actor=request.user, unit=unit, **form.cleaned_data)
        except ServiceError as error:
            forms.add_service_errors(form, error.message_dict)
        else:
            flash.success(request, _("Đã lưu hộp thư."))
            return redirect(f"{reverse('feedback:mailboxes')}?unit={unit.code}")
    return render(
        request,
        "feedback/mailboxes.html",
        _ctx(
            request,
            unit,
            form=form,
            can_declare=can_declare,
            mailboxes=selectors.mailboxes_for(user=request.user, unit=unit),
        ),
        status=400 if form.is_bound else 200,
    )
