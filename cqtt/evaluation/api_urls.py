"""Routes of the evaluation API, included into the "api" namespace under /api/v1/."""

from django.urls import path

from .apis import EvaluationEvidenceApi, EvaluationIndicatorsApi, EvaluationRankingApi, PublicUnitScorecardApi
from .criteria_apis import CriteriaAssessmentDetailApi, CriteriaOutreachCountsApi, CriteriaTargetListApi

urlpatterns: list = []

# --- indices and scorecard (views, apis) ---------------------------------------------------------------------
urlpatterns += [
    path("evaluation/indicators/", EvaluationIndicatorsApi.as_view(), name="evaluation-indicators"),
    path("evaluation/ranking/", EvaluationRankingApi.as_view(), name="evaluation-ranking"),
    path("evaluation/evidence/", EvaluationEvidenceApi.as_view(), name="evaluation-evidence"),
    path(
        "public/units/<str:code>/scorecard/", PublicUnitScorecardApi.as_view(), name="public-unit-scorecard"
    ),
]

# --- criteria (criteria_apis) -------------------------------------------------------------------------------
urlpatterns += [
    path("evaluation/criteria/targets/", CriteriaTargetListApi.as_view(), name="criteria-targets"),
    path("evaluation/criteria/outreach/", CriteriaOutreachCountsApi.as_view(), name="criteria-outreach"),
    path(
        "evaluation/criteria/assessments/<str:pk>/",
        CriteriaAssessmentDetailApi.as_view(),
        name="criteria-assessment",
    ),
]
