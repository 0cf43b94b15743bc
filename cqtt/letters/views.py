"""Staff pages of the letters: the letters to sign (one click, or many at once), a letter's page (edit a draft,
sign, not send with a reason, mark handed over, PDF), a new letter by hand, the register with its xlsx, the
unit's wording, and the counts per kind for the unit overview."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import user_roles_in, user_scope
from cqtt.core.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.text import nfc_text
from cqtt.dossiers.selectors import access_dossier
from cqtt.notifications.selectors import units_for
from cqtt.units.models import Unit
from cqtt.workdays.selectors import schedule_for

from . import rules, selectors, services
from .defaults import default_wording
from .exports import register_xlsx
from .forms import CancelForm, LetterEditForm, NewLetterForm, TemplateForm
from .models import Letter, LetterKind, LetterStatus, LetterTemplate
from .printouts import letter_pdf

TABS = [
    ("to_sign", gettext_lazy("Chờ ký"), {"status": LetterStatus.DRAFT}),
    ("signed", gettext_lazy("Đã ký, chưa trao"), {"status": LetterStatus.SIGNED}),
    ("sent", gettext_lazy("Đã gửi"), {"status": LetterStatus.SENT}),
    ("cancelled", gettext_lazy("Không gửi"), {"status": LetterStatus.CANCELLED}),
    ("all", gettext_lazy("Tất cả"), {}),
]


def _units(user) -> list[Unit]:
    """The units the user may pick: where they work, and the communes below a province."""
    return units_for(user, selectors.STAFF_ROLES)


def _unit(request) -> Unit:
    units = _units(request.user)
    if not units:
        raise PermissionDenied(_("Bạn không làm việc ở đơn vị nào có thư."))
    code = request.GET.get("unit") or request.POST.get("unit")
    if not code:
        return units[0]
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị này trong các đơn vị của bạn."))
    return unit


def _forbidden(request, refused):
    return render(request, "letters/forbidden.html", {"reason": str(refused)}, status=403)


def _may(user, unit: Unit, roles) -> bool:
    """The role check of a page that acts at `unit` (the unit itself is one of `_units(user)`): the same check
    decides whether the page opens and whether the links to it are shown."""
    return bool(user_roles_in(user, unit) & set(roles))


def _nav(user, unit: Unit) -> dict:
    """The links of the letters' head bar that this user may follow at `unit` (none that would answer 403)."""
    return {
        "can_create": _may(user, unit, services.EDIT_ROLES),
        "can_templates": _may(user, unit, services.TEMPLATE_ROLES),
    }


NOT_CREATOR = gettext_lazy("Vai trò của bạn không lập thư tại đơn vị này.")
NOT_EDITOR = gettext_lazy("Chỉ lãnh đạo hoặc quản trị đơn vị sửa mẫu thư.")


@login_required
def letter_list(request):
    try:
        unit = _unit(request)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    tab = request.GET.get("tab") or "to_sign"
    filters = dict(next((f for k, _l, f in TABS if k == tab), TABS[0][2]))
    kind = request.GET.get("kind") or None
    if kind not in LetterKind.values:
        kind = None
    qs = selectors.letters_for(user=request.user, unit=unit, kind=kind, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    counts = {
        k: selectors.letters_for(user=request.user, unit=unit, kind=kind, **f).count()
        for k, _l, f in TABS
        if k != "all"
    }
    return render(
        request,
        "letters/list.html",
        {
            "unit": unit,
            "units": _units(request.user),
            "tabs": [(k, label, counts.get(k)) for k, label, _f in TABS],
            "tab": tab,
            "page": page,
            "kind": kind or "",
            "kinds": LetterKind.choices,
            "can_sign": Role.LEADER in user_roles_in(request.user, unit),
            "nav": _nav(request.user, unit),
        },
    )


@login_required
@require_POST
def sign_many(request):
    ids = request.POST.getlist("letter")[:200]
    letters = [x for x in (selectors.letter_for(user=request.user, pk=i) for i in ids) if x is not None]
    if not letters:
        flash.error(request, _("Chưa chọn thư nào."))
    else:
        signed, refused = services.letters_sign_many(actor=request.user, letters=letters)
        if signed:
            flash.success(request, _("Đã ký %(n)s thư.") % {"n": len(signed)})
        for letter, why in refused:
            flash.error(
                request, _("Không ký được thư gửi %(r)s: %(w)s") % {"r": letter.recipient_name, "w": why}
            )
    return redirect(f"{reverse('letters:list')}?unit={request.POST.get('unit', '')}")


def _letter(request, pk: str) -> Letter:
    letter = selectors.letter_for(user=request.user, pk=pk)
    if letter is None:
        raise Http404(_("Không tìm thấy thư hoặc bạn không có quyền xem thư này."))
    return letter


def _end_of_day(letter: Letter, day: dt.date) -> dt.datetime:
    """A new date picked as a day: its office closing time."""
    sched = schedule_for(letter.dossier.handling_unit if letter.dossier else letter.unit)
    return timezone.make_aware(dt.datetime.combine(day, sched.afternoon_end))


def _save_and_maybe_sign(request, letter: Letter, v: dict, due, action: str) -> Letter:
    letter = services.letter_edit(
        actor=request.user,
        letter=letter,
        subject=v["subject"],
        body=v["body"],
        reason=v.get("reason", ""),
        recipient_name=v["recipient_name"],
        proposed_due_at=due,
        expected_version=v.get("version"),
    )
    if action == "sign":
        letter = services.letter_sign(actor=request.user, letter=letter)
    return letter


@login_required
def letter_detail(request, pk: str):
    letter = _letter(request, pk)
    roles = user_roles_in(request.user, letter.unit)
    initial = {
        "recipient_name": letter.recipient_name,
        "subject": letter.subject,
        "body": letter.body,
        "reason": letter.reason,
        "proposed_date": timezone.localtime(letter.proposed_due_at).date()
        if letter.proposed_due_at
        else None,
        "version": letter.version,
    }
    form = LetterEditForm(initial=initial)
    cancel = CancelForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action in ("save", "sign"):
                form = LetterEditForm(request.POST)
                if not form.is_valid():
                    raise ServiceError(form.errors)
                v = form.cleaned_data
                due = _end_of_day(letter, v["proposed_date"]) if v.get("proposed_date") else None
                with transaction.atomic():  # an edit sent with "sign" stays only if the signature does
                    letter = _save_and_maybe_sign(request, letter, v, due, action)
                if action == "sign":
                    flash.success(request, _("Đã ký thư số %(n)s.") % {"n": letter.number_text})
                else:
                    flash.success(request, _("Đã lưu dự thảo."))
                return redirect("letters:detail", pk=letter.pk)
            if action == "cancel":
                cancel = CancelForm(request.POST)
                if not cancel.is_valid():
                    raise ServiceError(cancel.errors)
                services.letter_cancel(
                    actor=request.user, letter=letter, reason=cancel.cleaned_data["cancel_reason"]
                )
                flash.success(request, _("Đã ghi: không gửi thư này."))
                return redirect("letters:detail", pk=letter.pk)
            if action == "sent":
                services.letter_mark_sent(actor=request.user, letter=letter)
                flash.success(request, _("Đã ghi: thư đã trao/gửi."))
                return redirect("letters:detail", pk=letter.pk)
            raise Http404()
        except ServiceError as refused:
            status = 400
            target = cancel if request.POST.get("action") == "cancel" else form
            for field, errors in refused.message_dict.items():
                for e in errors:
                    if field in target.fields:
                        if field not in target.errors or e not in target.errors[field]:
                            target.add_error(field, e)
                    elif field == "new_due_at" and "proposed_date" in form.fields:
                        form.add_error("proposed_date", e)
                    else:
                        target.add_error(None, e)
        except (PermissionDenied, TransitionNotAllowed) as refused:
            status = 403 if isinstance(refused, PermissionDenied) else 409
            flash.error(request, str(refused))
    subject, paragraphs = services.rendered(letter)
    return render(
        request,
        "letters/detail.html",
        {
            "letter": letter,
            "addressee": rules.addressee(letter.recipient_name),
            "form": form,
            "cancel": cancel,
            "subject": subject,
            "paragraphs": paragraphs,
            "placeholders": rules.placeholders_of(letter.kind),
            "can_sign": Role.LEADER in roles and letter.status == LetterStatus.DRAFT,
            "can_edit": bool(roles & services.EDIT_ROLES) and letter.status == LetterStatus.DRAFT,
            "can_mark_sent": bool(roles & services.EDIT_ROLES) and letter.status == LetterStatus.SIGNED,
        },
        status=status,
    )


@login_required
def letter_pdf_view(request, pk: str):
    letter = _letter(request, pk)
    response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="thu-{letter.pk}.pdf"'
    return response


@login_required
def letter_new(request):
    try:
        unit = _unit(request)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    if not _may(request.user, unit, services.EDIT_ROLES):
        return _forbidden(request, NOT_CREATOR)
    form = NewLetterForm(
        request.POST or None,
        initial={"dossier": request.GET.get("dossier", ""), "kind": request.GET.get("kind", "thanks")},
        customs=selectors.custom_kinds_of(unit=unit, archived=False),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        v = form.cleaned_data
        dossier = None
        try:
            if v["dossier"]:
                try:
                    dossier = access_dossier(user=request.user, code=v["dossier"].strip())
                except PermissionDenied:
                    raise ServiceError(
                        {"dossier": [_("Không tìm thấy hồ sơ này trong đơn vị của bạn.")]}
                    ) from None
            kind, template = form.kind_and_template()
            letter = services.letter_draft(
                actor=request.user,
                kind=kind,
                template=template,
                dossier=dossier,
                unit=None if dossier else unit,
                recipient_name=v["recipient_name"],
                recipient_address=v["recipient_address"],
                reason=v["reason"],
                title=v["title"],
            )
            if letter is None:
                raise ServiceError({"kind": [_("Hồ sơ này đã có thư loại này.")]})
            return redirect("letters:detail", pk=letter.pk)
        except ServiceError as refused:
            status = 400
            for field, errors in refused.message_dict.items():
                for e in errors:
                    form.add_error(field if field in form.fields else None, e)
        except PermissionDenied as refused:
            return _forbidden(request, refused)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "letters/new.html",
        {"form": form, "unit": unit, "nav": _nav(request.user, unit)},
        status=status,
    )


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return timezone.make_aware(dt.datetime(year, 1, 1)), timezone.make_aware(dt.datetime(year + 1, 1, 1))


def _year(request) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@login_required
def register(request):
    try:
        unit = _unit(request)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    year = _year(request)
    qs = (
        selectors.letters_for(user=request.user, unit=unit)
        .filter(number__isnull=False, year=year)
        .order_by("kind", "number")
    )
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            register_xlsx(qs, unit=unit, year=year),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="so-thu-{unit.code}-{year}.xlsx"'
        return response
    start, end = _year_bounds(year)
    counts = selectors.counts_by_kind(unit=unit, start=start, end=end)
    return render(
        request,
        "letters/register.html",
        {
            "unit": unit,
            "units": _units(request.user),
            "year": year,
            "rows": qs,
            "counts": [(label, counts.get(k, 0)) for k, label in LetterKind.choices],
            "nav": _nav(request.user, unit),
        },
    )


@login_required
def counts(request):
    """The letters signed per kind this year (htmx part of the unit overview): any unit the user's scope reaches."""
    unit = Unit.objects.filter(code=request.GET.get("unit", "")).first()
    if (
        unit is None
        or not user_scope(request.user).reaches(unit)
        or not (user_roles_in(request.user, unit) & selectors.STAFF_ROLES)
    ):
        return HttpResponse("")
    year = _year(request)
    start, end = _year_bounds(year)
    by_kind = selectors.counts_by_kind(unit=unit, start=start, end=end)
    return render(
        request,
        "letters/_counts.html",
        {
            "unit": unit,
            "year": year,
            "counts": [(label, by_kind.get(k, 0)) for k, label in LetterKind.choices],
        },
    )


@login_required
def template_list(request):
    try:
        unit = _unit(request)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    if not _may(request.user, unit, services.TEMPLATE_ROLES):
        return _forbidden(request, NOT_EDITOR)
    own = {t.kind: t for t in LetterTemplate.objects.filter(unit=unit).exclude(kind="custom")}
    rows = [(k, label, own.get(k)) for k, label in LetterKind.choices if k != "custom"]
    return render(
        request,
        "letters/templates.html",
        {
            "unit": unit,
            "rows": rows,
            "customs": selectors.custom_kinds_of(unit=unit),
            "nav": _nav(request.user, unit),
        },
    )


@login_required
def template_edit(request, kind: str):
    """The unit's wording of a built-in kind, or (`custom`) a new kind of its own."""
    if kind not in LetterKind.values:
        raise Http404()
    try:
        unit = _unit(request)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    if not _may(request.user, unit, services.TEMPLATE_ROLES):
        return _forbidden(request, NOT_EDITOR)
    own = LetterTemplate.objects.filter(unit=unit, kind=kind).first() if kind != "custom" else None
    return _template_page(request, unit, kind, own, custom=None)


def _custom_kind(request, pk: int) -> LetterTemplate:
    """One of the own kinds of a unit where the user works, else 404 (another unit's kind is not shown to be)."""
    template = selectors.custom_kind_for(user=request.user, pk=pk)
    if template is None or template.unit not in _units(request.user):
        raise Http404(_("Không tìm thấy loại thư này trong các đơn vị của bạn."))
    return template


@login_required
def custom_kind_edit(request, pk: int):
    """One of the unit's own kinds of letter: its name (a rename) and its wording."""
    template = _custom_kind(request, pk)
    if not _may(request.user, template.unit, services.TEMPLATE_ROLES):
        return _forbidden(request, NOT_EDITOR)
    return _template_page(request, template.unit, "custom", template, custom=template)


def _template_page(request, unit: Unit, kind: str, own: LetterTemplate | None, *, custom):
    subject, body = (own.subject, own.body) if own else default_wording(kind)
    initial = {"subject": subject, "body": body, "title": own.title if own else ""}
    form = TemplateForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_template_save(
                actor=request.user, unit=unit, kind=kind, template=custom, **form.cleaned_data
            )
            flash.success(request, _("Đã lưu mẫu thư."))
            return redirect(f"{reverse('letters:templates')}?unit={unit.code}")
        except ServiceError as refused:
            status = 400
            for field, errors in refused.message_dict.items():
                for e in errors:
                    form.add_error(field if field in form.fields else None, e)
        except PermissionDenied as refused:
            return _forbidden(request, refused)
    elif request.method == "POST":
        status = 400
    data = form.data if form.is_bound else form.initial
    return render(
        request,
        "letters/template_edit.html",
        {
            "unit": unit,
            "form": form,
            "kind": kind,
            "kind_label": custom.title if custom else LetterKind(kind).label,
            "custom": custom,
            "placeholders": rules.placeholders_of(kind),
            "preview": _preview(kind, data.get("subject", ""), data.get("body", ""), unit),
            "nav": _nav(request.user, unit),
        },
        status=status,
    )


@login_required
@require_POST
def custom_kind_delete(request, pk: int):
    """Delete one of the unit's own kinds; one that letters were made from is refused, with the way out."""
    template = _custom_kind(request, pk)
    back = redirect(f"{reverse('letters:templates')}?unit={template.unit.code}")
    try:
        title = template.title
        services.letter_kind_delete(actor=request.user, template=template)
        flash.success(request, _("Đã xóa loại thư “%(t)s”.") % {"t": title})
    except ServiceError as refused:
        for errors in refused.message_dict.values():
            for e in errors:
                flash.error(request, e)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    return back


@login_required
@require_POST
def custom_kind_archive(request, pk: int):
    """Archive one of the unit's own kinds (no longer offered for new letters), or offer it again."""
    template = _custom_kind(request, pk)
    archived = request.POST.get("action", "archive") != "restore"
    try:
        services.letter_kind_archive(actor=request.user, template=template, archived=archived)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    if archived:
        flash.success(
            request, _("Đã lưu trữ loại thư “%(t)s”: không lập thêm thư loại này.") % {"t": template.title}
        )
    else:
        flash.success(request, _("Đã dùng lại loại thư “%(t)s”.") % {"t": template.title})
    return redirect(f"{reverse('letters:templates')}?unit={template.unit.code}")


def _preview(kind: str, subject: str, body: str, unit: Unit) -> dict:
    """The wording filled with sample values (the unit's own name), and what would stop it being saved: the
    placeholders this kind of letter does not give (same check as `services.letter_template_save`)."""
    values = {**rules.EXAMPLES, "don_vi": unit.full_name}
    text = rules.render(nfc_text(body), values)
    return {
        "subject": " ".join(rules.render(subject, values).split()),
        "paragraphs": [p.strip() for p in text.split("\n\n") if p.strip()],
        "problems": rules.template_problems(kind, subject, body),
    }


@login_required
@require_POST
def template_preview(request, kind: str):
    """The preview of the template editor, redrawn while the wording is typed (htmx)."""
    if kind not in LetterKind.values:
        raise Http404()
    try:
        unit = _unit(request)
    except PermissionDenied as refused:
        return _forbidden(request, refused)
    if not _may(request.user, unit, services.TEMPLATE_ROLES):
        return _forbidden(request, NOT_EDITOR)
    preview = _preview(kind, request.POST.get("subject", "")[:300], request.POST.get("body", "")[:6000], unit)
    return render(request, "letters/_preview.html", {"preview": preview})


def _dossier_letters(request, code: str):
    """The letters of one dossier (htmx part of the dossier page)."""
    rows = selectors.letters_for(user=request.user, dossier_code=code)[:20]
    return render(
        request,
        "letters/_dossier.html",
        {"rows": rows, "code": code, "new_for": _new_letter_unit(request.user, code)},
    )


def _new_letter_unit(user, code: str) -> Unit | None:
    """The unit whose new-letter page the dossier's "+ letter" link opens (the commune that issues the
    dossier's letters), or None when the user could not draft a letter there (the page would answer 403)."""
    try:
        dossier = access_dossier(user=user, code=code)
    except PermissionDenied:
        return None
    unit = selectors.issuer_of(dossier=dossier)
    if unit not in _units(user) or not _may(user, unit, services.EDIT_ROLES):
        return None
    return unit


dossier_letters = login_required(_dossier_letters)
