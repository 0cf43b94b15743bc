from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.core.caching import free_of_personal_data

from .columns import COLUMNS
from .exporting import CSV_TYPE, XLSX_TYPE, export_csv, export_xlsx
from .forms import CatalogueFilterForm, ImportForm
from .selectors import (
    procedure_document_for_download,
    procedure_export_allowed,
    procedure_get_public,
    procedure_import_allowed,
    procedure_list_public,
    procedure_records_for_export,
)
from .services import procedures_import

PAGE_SIZE = 20


@free_of_personal_data
def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    page = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        results = procedure_list_public(q=data.get("q"), field=data.get("field"), unit=data.get("unit"))
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "communes": form.commune_choices() if request.GET else [],
        "selected_unit": (form.cleaned_data.get("unit") if form.is_bound and form.is_valid() else ""),
        "can_import": procedure_import_allowed(user=request.user),
        "can_export": procedure_export_allowed(user=request.user),
    }
    template = (
        "procedures/_results.html" if request.headers.get("HX-Request") else "procedures/catalogue.html"
    )
    return render(request, template, context)


@free_of_personal_data
def detail(request, code: str):
    procedure = procedure_get_public(code=code)
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục đang có hiệu lực với mã này."))
    return render(request, "procedures/detail.html", {"procedure": procedure})


@free_of_personal_data
def blank_form(request, code: str, document_id: int):
    document = procedure_document_for_download(code=code, document_id=document_id)
    if document is None:
        raise Http404(_("Không tìm thấy mẫu đơn."))
    name = document.blank_form.name.rsplit("/", 1)[-1]
    return FileResponse(document.blank_form.open("rb"), as_attachment=True, filename=name)


@login_required
def import_file(request):
    if not procedure_import_allowed(user=request.user):
        raise PermissionDenied(
            _("Chỉ quản trị đơn vị, giám sát cấp tỉnh hoặc quản trị hệ thống được nhập danh mục.")
        )
    report = None
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = procedures_import(actor=request.user, file=upload, filename=upload.name)
        if report.ok:
            messages.success(
                request,
                _("Đã nhập xong: %(c)s thủ tục mới, %(u)s thủ tục cập nhật, %(k)s phiên bản cũ được đóng.")
                % {"c": report.created, "u": report.updated, "k": report.closed},
            )
        else:
            messages.error(
                request,
                _("Tệp có %(n)s lỗi; chưa nhập dòng nào. Hãy sửa các lỗi dưới đây rồi nhập lại.")
                % {"n": len(report.errors)},
            )
    status = (
        400 if (request.method == "POST" and (not form.is_valid() or (report and not report.ok))) else 200
    )
    return render(
        request, "procedures/import.html", {"form": form, "report": report, "columns": COLUMNS}, status=status
    )


@login_required
def export_file(request):
    if not procedure_export_allowed(user=request.user):
        raise PermissionDenied(_("Chỉ cán bộ được xuất danh mục thủ tục."))
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        return HttpResponse(
            _("Định dạng phải là xlsx hoặc csv."), status=400, content_type="text/plain; charset=utf-8"
        )
    records = procedure_records_for_export(user=request.user)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = HttpResponse(export_csv(records), content_type=CSV_TYPE)
    else:
        response = HttpResponse(export_xlsx(records), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="thu-tuc-{stamp}.{fmt}"'
    return response
