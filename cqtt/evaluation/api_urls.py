"""Routes of the evaluation API, included into the "api" namespace under /api/v1/."""

urlpatterns: list = []
