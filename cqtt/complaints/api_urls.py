"""Routes of the complaints API, included into the "api" namespace under /api/v1/."""

from django.urls import path

from .apis import ACTION_VIEWS, AccessLogApi, CaseDetailApi, CaseListCreateApi

urlpatterns: list = [
    path("complaints/", CaseListCreateApi.as_view(), name="complaints"),
    path("complaints/<str:code>/", CaseDetailApi.as_view(), name="complaint"),
    path("complaints/<str:code>/access-log/", AccessLogApi.as_view(), name="complaint-access-log"),
    *[
        path(f"complaints/<str:code>/{action}/", view, name=f"complaint-{action}")
        for action, view in ACTION_VIEWS.items()
    ],
]
