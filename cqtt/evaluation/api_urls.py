"""Routes of the evaluation API, included into the "api" namespace under /api/v1/."""

from django.urls import path

from .apis import EvaluationIndicatorsApi, EvaluationRankingApi, PublicUnitScorecardApi

urlpatterns: list = [
    # --- indices and scorecard
    path("evaluation/indicators/", EvaluationIndicatorsApi.as_view(), name="evaluation-indicators"),
    path("evaluation/ranking/", EvaluationRankingApi.as_view(), name="evaluation-ranking"),
    path(
        "public/units/<str:code>/scorecard/", PublicUnitScorecardApi.as_view(), name="public-unit-scorecard"
    ),
    # --- end of indices and scorecard
]
