from django.urls import path

from . import views

app_name = "complaints"

urlpatterns: list = [
    path("", views.case_list, name="list"),
    path("tiep-nhan/", views.intake, name="new"),
    path("cai-dat/", views.settings_page, name="settings"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/mo-thong-tin/", views.reveal, name="reveal"),
    path("<str:code>/nhat-ky-mo-thong-tin/", views.access_log, name="access_log"),
    path("<str:code>/thong-bao/<int:event_id>/", views.notice, name="notice"),
    path("<str:code>/<str:action>/", views.act, name="act"),
]
