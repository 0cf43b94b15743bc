from django.urls import path

from .unit_face import PublicUnitDirectoryApi

# mounted in the "api" namespace by cqtt/api/urls.py
urlpatterns = [
    path(
        "public/units/<str:code>/directory/", PublicUnitDirectoryApi.as_view(), name="public-unit-directory"
    ),
]
