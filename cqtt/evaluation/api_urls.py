"""Routes of the evaluation API, included into the "api" namespace under /api/v1/."""

from django.urls import path

from .criteria_apis import CriteriaAssessmentDetailApi, CriteriaOutreachCountsApi, CriteriaTargetListApi

urlpatterns: list = []

# --- criteria (criteria_apis) -------------------------------------------------------------------------------
urlpatterns += [
    path("evaluation/criteria/targets/", CriteriaTargetListApi.as_view(), name="criteria-targets"),
    path("evaluation/criteria/outreach/", CriteriaOutreachCountsApi.as_view(), name="criteria-outreach"),
    path(
        "evaluation/criteria/assessments/<int:pk>/",
        CriteriaAssessmentDetailApi.as_view(),
        name="criteria-assessment",
    ),
]
