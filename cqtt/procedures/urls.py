from django.urls import path

from . import views

app_name = "procedures"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("nhap/", views.import_file, name="import"),
    path("xuat/", views.export_file, name="export"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/mau/<int:document_id>/", views.blank_form, name="blank_form"),
]
