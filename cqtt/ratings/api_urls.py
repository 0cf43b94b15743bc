"""The ratings' endpoints under /api/v1/ (included by cqtt.api.urls into the "api" namespace)."""

from django.urls import path

from .apis import PublicRatingApi, RatingSummaryApi

urlpatterns = [
    path("public/ratings/", PublicRatingApi.as_view(), name="public-ratings"),
    path("ratings/summary/", RatingSummaryApi.as_view(), name="ratings-summary"),
]
