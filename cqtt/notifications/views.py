"""Staff pages of the notices: a unit's messages (with the alert for those that need a person), a dossier's
messages (loaded into the dossier page), retry by hand, a unit's templates with preview and SMS counter, its
settings; and the citizen's unsubscribe page."""

from __future__ import annotations

import re

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import user_roles_in
from cqtt.core.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.units.models import Unit

from . import rules, selectors, services
from .defaults import default_text
from .forms import SettingsForm, TemplateForm
from .models import ChannelKind, MessageStatus, NoticeEvent
from .selectors import units_for

TEMPLATE_ROLES = {Role.UNIT_ADMIN, Role.LEADER}
SETTINGS_ROLES = {Role.UNIT_ADMIN}


_LOOKUP_LINK = re.compile(r"(/tra-cuu/)[A-Za-z0-9_-]{6,}/")


def _rows(qs):
    """Messages as staff see them: the number masked, and the citizen's private lookup link shortened (it opens
    the dossier's status without the phone digits)."""
    return [
        {
            "m": m,
            "to": rules.mask(m.channel, m.to),
            "text": _LOOKUP_LINK.sub(r"\1…/", m.text),
            "sms": rules.sms_length(m.text) if m.channel != "email" else None,
        }
        for m in qs
    ]


def _units(user, roles) -> list[Unit]:
    """The units the user may pick: where they hold one of `roles`, and the communes below a province."""
    return units_for(user, roles)


def _unit(request, roles) -> Unit:
    units = _units(request.user, roles)
    if not units:
        raise PermissionDenied(_("Bạn không có quyền xem thông báo của đơn vị nào."))
    code = request.GET.get("unit") or request.POST.get("unit")
    if not code:
        return units[0]
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị này trong các đơn vị của bạn."))
    return unit


@login_required
def message_list(request):
    try:
        unit = _unit(request, selectors.STAFF_ROLES)
    except PermissionDenied as refused:
        return render(request, "notifications/forbidden.html", {"reason": str(refused)}, status=403)
    status = request.GET.get("status", "")
    if status not in ("", "failed", *MessageStatus.values):
        status = ""
    qs = selectors.messages_for(user=request.user, unit=unit, status=status or None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    failures = selectors.failure_counts(unit_ids=[unit.pk]).get(unit.pk, 0)
    return render(
        request,
        "notifications/list.html",
        {
            "unit": unit,
            "units": _units(request.user, selectors.STAFF_ROLES),
            "page": page,
            "rows": _rows(page.object_list),
            "status": status,
            "statuses": MessageStatus.choices,
            "failures": failures,
            "can_retry": bool(user_roles_in(request.user, unit) & set(services.RETRY_ROLES)),
            "can_edit": bool(user_roles_in(request.user, unit) & TEMPLATE_ROLES),
        },
    )


@login_required
def alert(request):
    """The staff home's warning when messages of the user's units need a person (htmx part)."""
    units = _units(request.user, selectors.STAFF_ROLES)
    counts = selectors.failure_counts(unit_ids=[u.pk for u in units]) if units else {}
    rows = [
        # "view and resend" only for those who may resend (the list's button, `services.message_retry`)
        (u, counts[u.pk], bool(user_roles_in(request.user, u) & set(services.RETRY_ROLES)))
        for u in units
        if counts.get(u.pk)
    ]
    return render(request, "notifications/_alert.html", {"rows": rows})


@login_required
def dossier_messages(request, code: str):
    """The part of the dossier page that lists its messages (htmx; also a page of its own without JS)."""
    qs = selectors.messages_for(user=request.user, dossier_code=code)[:100]
    rows = _rows(qs)
    can_retry = bool(rows) and bool(
        user_roles_in(request.user, rows[0]["m"].unit) & set(services.RETRY_ROLES)
    )
    template = (
        "notifications/_dossier.html" if request.headers.get("HX-Request") else "notifications/dossier.html"
    )
    return render(request, template, {"rows": rows, "code": code, "can_retry": can_retry})


@login_required
@require_POST
def message_retry(request, pk):
    message = selectors.message_for(user=request.user, pk=pk)
    if message is None:
        raise Http404(_("Không tìm thấy tin nhắn."))
    try:
        services.message_retry(actor=request.user, message=message)
        flash.success(request, _("Đã đưa tin vào hàng gửi lại."))
    except (PermissionDenied, TransitionNotAllowed) as refused:
        flash.error(request, str(refused))
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("notifications:list")
    return redirect(back)


def _template_units(request) -> Unit:
    return _unit(request, TEMPLATE_ROLES)


@login_required
def template_list(request):
    try:
        unit = _template_units(request)
    except PermissionDenied as refused:
        return render(request, "notifications/forbidden.html", {"reason": str(refused)}, status=403)
    own = selectors.templates_of(unit=unit)
    rows = []
    for event, label in NoticeEvent.choices:
        cells = []
        for channel in (ChannelKind.SMS, ChannelKind.EMAIL, ChannelKind.ZALO):
            t = own.get((event, channel))
            if channel == ChannelKind.ZALO:
                text = t.body if t else ""
            else:
                text = t.body if t else default_text(event, channel)[1]
            cells.append(
                {
                    "channel": channel,
                    "own": t,
                    "text": text,
                    "active": t.is_active if t else channel != "zalo",
                }
            )
        rows.append({"event": event, "label": label, "cells": cells})
    return render(
        request,
        "notifications/templates.html",
        {
            "unit": unit,
            "rows": rows,
            "units": _units(request.user, TEMPLATE_ROLES),
            # the settings page opens only at a unit the user administers (`settings_edit`)
            "can_settings": unit in _units(request.user, SETTINGS_ROLES),
        },
    )


def _check(event: str, channel: str) -> None:
    if event not in NoticeEvent.values or channel not in ChannelKind.values:
        raise Http404(_("Không có mẫu thông báo này."))


def _preview(event: str, channel: str, subject: str, body: str, unit: Unit) -> dict:
    values = rules.examples(event)
    values["don_vi"] = unit.full_name
    config = services.unit_settings(unit)
    text = rules.render(body, values)
    if channel != ChannelKind.EMAIL:
        text = " ".join(text.split())
        if config.sms_without_diacritics:
            text = rules.without_diacritics(text)
    return {
        "subject": " ".join(rules.render(subject, values).split()),
        "text": text,
        "sms": rules.sms_length(text) if channel != ChannelKind.EMAIL else None,
        "problems": rules.template_problems(event, body, subject),
    }


@login_required
def template_edit(request, event: str, channel: str):
    _check(event, channel)
    try:
        unit = _template_units(request)
    except PermissionDenied as refused:
        return render(request, "notifications/forbidden.html", {"reason": str(refused)}, status=403)
    own = selectors.templates_of(unit=unit).get((event, channel))
    subject, body = (own.subject, own.body) if own else default_text(event, channel)
    if channel == ChannelKind.ZALO and not own:
        body = default_text(event, ChannelKind.SMS)[1]
    initial = {
        "subject": subject,
        "body": body,
        "zalo_template_id": own.zalo_template_id if own else "",
        "is_active": own.is_active if own else channel != ChannelKind.ZALO,
    }
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("reset"):
        services.template_reset(actor=request.user, unit=unit, event=event, channel=channel)
        flash.success(request, _("Đã dùng lại mẫu mặc định."))
        return redirect(f"{reverse('notifications:templates')}?unit={unit.code}")
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(
                actor=request.user, unit=unit, event=event, channel=channel, **form.cleaned_data
            )
            flash.success(request, _("Đã lưu mẫu thông báo."))
            return redirect(f"{reverse('notifications:templates')}?unit={unit.code}")
        except ServiceError as refused:
            for field, errors in refused.message_dict.items():
                for e in errors:
                    form.add_error(field if field in form.fields else None, e)
    data = form.data if form.is_bound else initial
    preview = _preview(event, channel, data.get("subject", ""), data.get("body", ""), unit)
    return render(
        request,
        "notifications/template_edit.html",
        {
            "unit": unit,
            "form": form,
            "event": event,
            "event_label": NoticeEvent(event).label,
            "channel": channel,
            "channel_label": ChannelKind(channel).label,
            "placeholders": rules.placeholders_of(event),
            "preview": preview,
            "own": own,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def template_preview(request, event: str, channel: str):
    """The preview and SMS counter, redrawn while the text is typed (htmx)."""
    _check(event, channel)
    try:
        unit = _template_units(request)
    except PermissionDenied:
        raise Http404() from None
    preview = _preview(
        event, channel, request.POST.get("subject", "")[:200], request.POST.get("body", "")[:2000], unit
    )
    return render(request, "notifications/_preview.html", {"preview": preview, "channel": channel})


@login_required
def settings_edit(request):
    try:
        unit = _unit(request, SETTINGS_ROLES)
    except PermissionDenied as refused:
        return render(request, "notifications/forbidden.html", {"reason": str(refused)}, status=403)
    config = services.unit_settings(unit)
    initial = {
        "sms_without_diacritics": config.sms_without_diacritics,
        "hotline": config.hotline,
        "quiet_start": config.quiet_start,
        "quiet_end": config.quiet_end,
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_save(actor=request.user, unit=unit, **form.cleaned_data)
            flash.success(request, _("Đã lưu cài đặt thông báo."))
            return redirect(f"{reverse('notifications:settings')}?unit={unit.code}")
        except (ServiceError, PermissionDenied) as refused:
            errors = getattr(refused, "message_dict", {None: [str(refused)]})
            for field, msgs in errors.items():
                for e in msgs:
                    form.add_error(field if field in form.fields else None, e)
    return render(
        request,
        "notifications/settings.html",
        {"unit": unit, "form": form, "units": _units(request.user, SETTINGS_ROLES)},
        status=400 if form.is_bound and form.errors else 200,
    )


def unsubscribe(request, token: str):
    """The citizen's link in an e-mail: a confirmation (GET) and the opt-out itself (POST, also one-click)."""
    target = services.unsubscribe_target(token)
    if target is None:
        raise Http404(_("Đường link không đúng hoặc đã bị sửa."))
    channel, address = target
    done = False
    if request.method == "POST":
        services.suppress(channel=channel, address=address, reason=_("bấm link trong thư"))
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "masked": rules.mask(channel, address),
            "channel": ChannelKind(channel).label if channel in ChannelKind.values else channel,
            "done": done,
        },
    )
