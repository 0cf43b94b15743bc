from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    # public
    path("", views.submit, name="submit"),
    path("da-gui/<str:code>/", views.sent, name="sent"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", views.status, name="status"),
    path("tra-cuu/<str:code>/danh-gia/", views.react, name="react"),
    path("cong-khai/", views.published, name="published"),
    # staff
    path("xu-ly/", views.inbox, name="inbox"),
    path("xu-ly/duong-day-nong/", views.hotline, name="hotline"),
    path("xu-ly/hom-thu/", views.boxes, name="boxes"),
    path("xu-ly/hom-thu/<int:pk>/", views.box, name="box"),
    path("xu-ly/mo-hom-thu/<int:pk>/", views.opening, name="opening"),
    path("xu-ly/hop-thu/", views.mailboxes, name="mailboxes"),
    path("xu-ly/cai-dat/", views.unit_settings, name="settings"),
    path("xu-ly/can-bo/<int:pk>/", views.official, name="official"),
    path("xu-ly/<str:code>/", views.detail, name="detail"),
    path("xu-ly/<str:code>/thu-cam-on/", views.draft_thanks, name="draft_thanks"),
    path("xu-ly/<str:code>/ban-quet/", views.scan, name="scan"),
    path("xu-ly/<str:code>/<str:action>/", views.act, name="act"),
]
