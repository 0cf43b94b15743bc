"""Printing and exports of the one-stop office: the forms as PDF, the tracking book and the dossier list.

Anyone whose roles reach the dossier may print it; a dossier the user cannot see answers 404, like a missing one.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cqtt.accounts.permissions import visible_units
from cqtt.core.errors import PermissionDenied

from ..models import Dossier, Status
from ..selectors import access_dossier, dossier_list_for
from . import exports, printing

PRINT = "dossiers/print/"


def _dossier(request: HttpRequest, code: str) -> Dossier:
    try:
        return access_dossier(user=request.user, code=code)
    except PermissionDenied:
        raise Http404(_("Không tìm thấy hồ sơ hoặc bạn không có quyền xem hồ sơ này.")) from None


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _xlsx(file, filename: str) -> FileResponse:
    response = FileResponse(
        file, as_attachment=True, filename=filename, content_type=exports.XLSX_CONTENT_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, PRINT + "bad_request.html", {"message": message}, status=400)


# --- forms -------------------------------------------------------------------------------------------------


@require_GET
@login_required
def receipt_slip(request: HttpRequest, code: str) -> HttpResponse:
    """Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả (received dossiers only)."""
    dossier = _dossier(request, code)
    if dossier.received_at is None:
        raise Http404(_("Hồ sơ chưa được tiếp nhận nên chưa có giấy hẹn trả kết quả."))
    context = printing.receipt_context(request, dossier)
    return _pdf(printing.render_pdf(PRINT + "receipt.html", context), f"{dossier.code}-mau-01.pdf")


@require_GET
@login_required
def supplement_slip(request: HttpRequest, code: str) -> HttpResponse:
    """Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (the latest request)."""
    dossier = _dossier(request, code)
    supplement = printing.latest_supplement(dossier)
    if supplement is None:
        raise Http404(_("Hồ sơ không có yêu cầu bổ sung nào."))
    context = printing.supplement_context(request, dossier, supplement)
    return _pdf(printing.render_pdf(PRINT + "supplement.html", context), f"{dossier.code}-mau-02.pdf")


@require_GET
@login_required
def refusal_slip(request: HttpRequest, code: str) -> HttpResponse:
    """Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ (refused at reception or after appraisal)."""
    dossier = _dossier(request, code)
    if dossier.status not in (Status.INTAKE_REFUSED, Status.REFUSED):
        raise Http404(_("Hồ sơ không bị từ chối."))
    context = printing.refusal_context(request, dossier)
    return _pdf(printing.render_pdf(PRINT + "refusal.html", context), f"{dossier.code}-mau-03.pdf")


@require_GET
@login_required
def control_slip(request: HttpRequest, code: str) -> HttpResponse:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ."""
    dossier = _dossier(request, code)
    context = printing.control_context(request, dossier)
    return _pdf(printing.render_pdf(PRINT + "control.html", context), f"{dossier.code}-phieu-kiem-soat.pdf")


# --- tracking book and list --------------------------------------------------------------------------------


def _book_params(request: HttpRequest):
    """(period, unit or None) from the query string; raises BadRange or Http404 (unit not visible)."""
    period = exports.parse_range(request.GET)
    unit = None
    unit_code = (request.GET.get("unit") or "").strip()
    if unit_code:
        unit = visible_units(request.user).filter(code=unit_code).select_related("parent").first()
        if unit is None:
            raise Http404(_("Không tìm thấy đơn vị hoặc bạn không có quyền xem đơn vị này."))
    return period, unit


def _book_filename(period, unit, ext: str) -> str:
    prefix = f"so-theo-doi-{unit.code}" if unit else "so-theo-doi"
    return f"{prefix}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{ext}"


@require_GET
@login_required
def tracking_book_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        period, unit = _book_params(request)
    except exports.BadRange as exc:
        return _bad_request(request, str(exc))
    file = exports.write_tracking_book(
        user=request.user,
        period=period,
        unit_code=unit.code if unit else None,
        unit_name=unit.full_name if unit else "",
    )
    return _xlsx(file, _book_filename(period, unit, "xlsx"))


@require_GET
@login_required
def tracking_book_pdf(request: HttpRequest) -> HttpResponse:
    try:
        period, unit = _book_params(request)
    except exports.BadRange as exc:
        return _bad_request(request, str(exc))
    unit_code = unit.code if unit else None
    count = exports.tracking_book_count(user=request.user, period=period, unit_code=unit_code)
    if count > exports.BOOK_PDF_MAX_ROWS:
        return _bad_request(
            request,
            _(
                "Khoảng thời gian này có %(n)s hồ sơ, quá %(max)s dòng để in PDF. Hãy thu hẹp khoảng thời gian, "
                "chọn một đơn vị, hoặc tải sổ dạng Excel."
            )
            % {"n": count, "max": exports.BOOK_PDF_MAX_ROWS},
        )
    rows = exports.tracking_book_rows(user=request.user, period=period, unit_code=unit_code)
    context = printing.tracking_book_context(
        user=request.user, start=period.start, end=period.end, unit=unit, rows=rows
    )
    filename = _book_filename(period, unit, "pdf")
    return _pdf(printing.render_pdf(PRINT + "tracking_book.html", context), filename)


@require_GET
@login_required
def dossier_list_xlsx(request: HttpRequest) -> HttpResponse:
    status = (request.GET.get("status") or "").strip()
    if status and status not in Status.values:
        return _bad_request(request, _("Trạng thái “%(s)s” không hợp lệ.") % {"s": status[:40]})
    overdue = {"1": True, "0": False}.get(request.GET.get("overdue", ""))
    try:
        period = exports.parse_optional_range(request.GET)
    except exports.BadRange as exc:
        return _bad_request(request, str(exc))
    qs = dossier_list_for(
        user=request.user,
        status=status or None,
        overdue=overdue,
        unit_code=(request.GET.get("unit") or "").strip() or None,
    )
    qs = exports.dossier_list_in(qs, period)
    filename = f"danh-sach-ho-so-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return _xlsx(exports.write_dossier_list(qs), filename)
