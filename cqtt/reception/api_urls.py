"""Routes of the reception API, included into the "api" namespace under /api/v1/."""

from django.urls import path

from .apis import PublicReceptionApi, SessionListApi, VisitListApi

urlpatterns: list = [
    path("public/reception/", PublicReceptionApi.as_view(), name="public-reception"),
    path("reception/sessions/", SessionListApi.as_view(), name="reception-sessions"),
    path("reception/visits/", VisitListApi.as_view(), name="reception-visits"),
]
