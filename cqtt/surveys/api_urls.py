"""The app's endpoints under /api/v1/ (included by cqtt.api.urls into the "api" namespace)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
