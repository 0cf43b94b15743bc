"""Routes of the complaints API, included into the "api" namespace under /api/v1/."""

urlpatterns: list = []
