"""Routes of the dialogues API, included into the "api" namespace under /api/v1/."""

from django.urls import path

from .apis import COMMITMENT_ACTION_VIEWS, PublicDialogueApi, PublicDialoguesApi

urlpatterns: list = [
    path("public/dialogues/", PublicDialoguesApi.as_view(), name="public-dialogues"),
    path("public/dialogues/<str:code>/", PublicDialogueApi.as_view(), name="public-dialogue"),
    *[
        path(f"dialogues/commitments/<str:pk>/{action}/", view, name=f"dialogue-commitment-{action}")
        for action, view in COMMITMENT_ACTION_VIEWS.items()
    ],
]
