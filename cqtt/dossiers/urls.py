from django.urls import path

from . import views
from .printouts import views as print_views

app_name = "dossiers"
urlpatterns = [
    # staff pages (views.py)
    path("", views.worklists, name="worklists"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("tong-quan/", views.overview, name="overview"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/thao-tac/<slug:action>/", views.action, name="action"),
    path("<str:code>/tep/<int:document_id>/", views.document_file, name="document_file"),
    # printing and exports (printouts/views.py)
    path("<str:code>/in/phieu-tiep-nhan.pdf", print_views.receipt_slip, name="print_receipt"),
    path("<str:code>/in/phieu-bo-sung.pdf", print_views.supplement_slip, name="print_supplement"),
    path("<str:code>/in/phieu-tu-choi.pdf", print_views.refusal_slip, name="print_refusal"),
    path("<str:code>/in/phieu-kiem-soat.pdf", print_views.control_slip, name="print_control"),
    path("so-theo-doi/tai-ve.xlsx", print_views.tracking_book_xlsx, name="tracking_book_xlsx"),
    path("so-theo-doi/tai-ve.pdf", print_views.tracking_book_pdf, name="tracking_book_pdf"),
    path("danh-sach/tai-ve.xlsx", print_views.dossier_list_xlsx, name="list_xlsx"),
]
