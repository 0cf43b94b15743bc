"""Routes of the reception API, included into the "api" namespace under /api/v1/."""

urlpatterns: list = []
