"""The app's endpoints under /api/v1/ (included by cqtt.api.urls into the "api" namespace). `<id>` is a
campaign's public id (random, URL-safe), never its database number."""

from django.urls import path

from .apis import PublicSurveyDetailApi, PublicSurveyListApi, PublicSurveyResponseApi, SurveyResultsApi

urlpatterns: list = [
    path("public/surveys/", PublicSurveyListApi.as_view(), name="public-surveys"),
    path("public/surveys/<str:public_id>/", PublicSurveyDetailApi.as_view(), name="public-survey"),
    path(
        "public/surveys/<str:public_id>/responses/",
        PublicSurveyResponseApi.as_view(),
        name="public-survey-responses",
    ),
    path("surveys/<str:public_id>/results/", SurveyResultsApi.as_view(), name="survey-results"),
]
