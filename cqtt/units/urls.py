from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.cameras, name="cameras"),
    path("<int:pk>/", views.camera, name="camera"),
    path("trich-xuat/", views.footage_list, name="footage"),
    path("trich-xuat/<int:pk>/dong/", views.footage_close, name="footage_close"),
]
