"""Staff pages of the counter cameras: the register of a unit's cameras and the footage requests with the
reminder of those whose footage the recorders overwrite within two days. The platform stores no video.

Who: the unit administrator and the leaders of the unit manage; the provincial supervisor (the inspector) and
the Fatherland Front observer read; other staff of the unit (counter officers, specialists — the officers a
request may be about) get the 403 page; staff of other units get 404."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cqtt.accounts.models import Role
from cqtt.accounts.permissions import user_roles_in
from cqtt.core.errors import ServiceError

from . import forms, rules, selectors, services
from .models import FootageSource, Unit

MANAGERS = frozenset({Role.UNIT_ADMIN, Role.LEADER})
READERS = MANAGERS | {Role.PROVINCIAL_SUPERVISOR, Role.OBSERVER}
AUTOMATIC_REFS = ("rating:", "case:")  # source_ref of the requests a low rating or a case's action opens


def _roles(request, unit: Unit | None) -> set[str]:
    """The user's roles reaching `unit`: none → 404 (the same answer as an unknown unit); no reading role → 403."""
    roles = user_roles_in(request.user, unit) if unit is not None and unit.is_active else set()
    if not roles:
        raise Http404(_("Không tìm thấy đơn vị hoặc bạn không có quyền truy cập."))
    if not roles & READERS:
        raise PermissionDenied(
            _("Chỉ quản trị đơn vị, lãnh đạo, giám sát cấp tỉnh và MTTQ xem được trang camera.")
        )
    return roles


def _unit(request) -> tuple[Unit, bool]:
    code = request.GET.get("unit") or request.POST.get("unit") or ""
    if not code and request.user.unit_id:
        code = request.user.unit.code
    unit = selectors.unit_by_code(code=code) if len(code) <= 32 else None
    roles = _roles(request, unit)
    return unit, bool(roles & MANAGERS)


def _require_manager(may_manage: bool) -> None:
    if not may_manage:
        raise PermissionDenied(_("Chỉ quản trị đơn vị và lãnh đạo được thay đổi."))


def _url(name: str, unit: Unit) -> str:
    return f"{reverse(name)}?unit={unit.code}"


@login_required
@require_http_methods(["GET", "POST"])
def cameras(request):
    unit, may_manage = _unit(request)
    counters = list(selectors.counters_of(unit=unit))
    form = forms.CameraForm(request.POST or None, counters=counters)
    if request.method == "POST":
        _require_manager(may_manage)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.camera_save(
                    counter=next(c for c in counters if c.pk == data["counter"]),
                    name=data["name"],
                    recorder=data["recorder"],
                    retention_days=data["retention_days"],
                    is_active=data["is_active"],
                    actor=request.user,
                )
            except ServiceError as error:
                forms.add_service_errors(form, error.message_dict)
            else:
                flash.success(request, _("Đã thêm camera."))
                return redirect(_url("units:cameras", unit))
    context = {
        "unit": unit,
        "may_manage": may_manage,
        "form": form,
        "cameras": selectors.cameras_of(unit=unit),
        "due_soon": selectors.footage_due_soon(unit=unit).count(),
    }
    return render(request, "units/cameras.html", context, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def camera(request, pk: int):
    found = selectors.camera_get(pk=pk)
    unit = found.counter.office.unit if found else None
    may_manage = bool(_roles(request, unit) & MANAGERS)
    initial = {
        "counter": found.counter_id,
        "name": found.name,
        "recorder": found.recorder,
        "retention_days": found.retention_days,
        "is_active": found.is_active,
    }
    form = forms.CameraForm(request.POST or None, initial=initial, counters=[found.counter])
    if request.method == "POST":
        _require_manager(may_manage)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.camera_save(
                    camera=found,
                    counter=found.counter,
                    name=data["name"],
                    recorder=data["recorder"],
                    retention_days=data["retention_days"],
                    is_active=data["is_active"],
                    actor=request.user,
                )
            except ServiceError as error:
                forms.add_service_errors(form, error.message_dict)
            else:
                flash.success(request, _("Đã lưu camera."))
                return redirect(_url("units:cameras", unit))
    context = {"unit": unit, "camera": found, "may_manage": may_manage, "form": form}
    return render(request, "units/camera.html", context, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def footage_list(request):
    unit, may_manage = _unit(request)
    counters = list(selectors.counters_of(unit=unit))
    form = forms.FootageForm(request.POST or None, counters=counters)
    if request.method == "POST":
        _require_manager(may_manage)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.footage_request_open(
                    counter=next(c for c in counters if c.pk == data["counter"]),
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    reason=data["reason"],
                    source=FootageSource.COMPLAINT if data["source_ref"] else FootageSource.MANUAL,
                    source_ref=data["source_ref"],
                    actor=request.user,
                )
            except ServiceError as error:
                forms.add_service_errors(form, error.message_dict)
            else:
                flash.success(request, _("Đã ghi yêu cầu trích xuất hình ảnh."))
                return redirect(_url("units:footage", unit))
    now = timezone.now()
    requests = list(selectors.footage_requests_of(unit=unit)[:200])
    for r in requests:
        r.expired = r.retention_ends_at is not None and r.retention_ends_at <= now
        r.due_soon = rules.footage_due_soon(r.retention_ends_at, now)
        # the code a person typed, not the key of an automatic request (its reason names the case or dossier)
        r.ref_label = "" if r.source_ref.startswith(AUTOMATIC_REFS) else r.source_ref
    context = {
        "unit": unit,
        "may_manage": may_manage,
        "form": form,
        "requests": requests,
        "due_soon": list(selectors.footage_due_soon(unit=unit, now=now)),
        "close_form": forms.FootageCloseForm(),
    }
    return render(request, "units/footage.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def footage_close(request, pk: int):
    found = selectors.footage_request_get(pk=pk)
    unit = found.counter.office.unit if found else None
    _require_manager(bool(_roles(request, unit) & MANAGERS))
    form = forms.FootageCloseForm(request.POST)
    if form.is_valid():
        try:
            services.footage_request_close(
                footage=found,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ServiceError as error:
            for messages in error.message_dict.values():
                for message in messages:
                    flash.error(request, message)
        else:
            flash.success(request, _("Đã đóng yêu cầu trích xuất."))
    else:
        for messages in form.errors.values():
            for message in messages:
                flash.error(request, message)
    return redirect(_url("units:footage", unit))
