"""Pages of the reports: the list with the request form, one report's progress (refreshed while it is built)
and its two downloads. Another unit's report is 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError

from . import reports_selectors as selectors
from . import reports_services as services
from .reports_models import ReportKind, ReportStatus
from .views import _period_choices, _staff

FORMATS = {
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": ("pdf", "application/pdf"),
}


@_staff
def reports(request):
    """The reports the user reads, and the form to ask for one."""
    units = selectors.report_units_for(user=request.user)
    if not units:
        raise NotInScope("unit")
    errors, data = {}, {}
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ("kind", "unit", "period", "proposals")}
        try:
            report = services.report_request(
                actor=request.user,
                kind=data["kind"],
                unit_code=data["unit"],
                period=data["period"],
                proposals=data["proposals"],
            )
        except ServiceError as bad:
            errors = {k: " ".join(v) for k, v in bad.message_dict.items()}
        except PermissionDenied as denied:
            errors = {
                "unit": str(denied) if not isinstance(denied, NotInScope) else _("Chọn một đơn vị của bạn.")
            }
        else:
            messages.success(request, _("Đã nhận yêu cầu; báo cáo đang được lập."))
            return redirect("evaluation:report", pk=report.pk)
    return render(
        request,
        "evaluation/reports/list.html",
        {
            "rows": selectors.reports_for(user=request.user)[:50],
            "units": units,
            "kinds": ReportKind.choices,
            "periods": _period_choices(),
            "errors": errors,
            "data": data,
        },
        status=400 if errors else 200,
    )


@_staff
def report(request, pk):
    """One report: its progress while it is built (the page refreshes itself), then its downloads."""
    item = selectors.access_report(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            item = services.report_retry(actor=request.user, report=item)
        except ServiceError as bad:
            messages.error(request, " ".join(bad.messages))
        except PermissionDenied as denied:
            messages.error(request, str(denied))
        return redirect("evaluation:report", pk=item.pk)
    building = item.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
    return render(
        request,
        "evaluation/reports/detail.html",
        {"item": item, "building": building, "may_retry": services.may_retry(item)},
    )


@_staff
def report_file(request, pk, fmt: str):
    if fmt not in FORMATS:
        raise Http404(_("Không tìm thấy tệp."))
    item = selectors.access_report(user=request.user, pk=pk, with_files=True)
    data = getattr(item, fmt)
    if item.status != ReportStatus.DONE or not data:
        raise Http404(_("Báo cáo chưa lập xong."))
    ext, mime = FORMATS[fmt]
    response = HttpResponse(bytes(data), content_type=mime)
    response["Content-Disposition"] = (
        f'attachment; filename="bao-cao-{item.kind}-{item.unit.code}-{item.period}.{ext}"'
    )
    return response
