from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("danh-sach/", views.rating_list, name="list"),
    path("xem-xet/<int:pk>/", views.rating_review, name="review"),
    path("cua-toi/", views.my_scorecard, name="mine"),
    path("can-bo/<str:username>/", views.officer_scorecard, name="officer"),
    path("thiet-bi/", views.kiosks, name="kiosks"),
    path("cau-hinh/", views.rating_settings, name="settings"),
    path("quay/<int:counter_id>/", views.kiosk, name="kiosk"),
    path("quay/<int:counter_id>/trang-thai/", views.kiosk_state, name="kiosk_state"),
    path("quay/<int:counter_id>/gui/", views.kiosk_rate, name="kiosk_rate"),
    path("quay/<int:counter_id>/anh/<int:prompt_id>/", views.kiosk_photo, name="kiosk_photo"),
    path("ho-so/<str:token>/", views.rate_by_link, name="link"),
]
