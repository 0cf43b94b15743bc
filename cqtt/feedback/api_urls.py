"""The app's endpoints under /api/v1/ (included by cqtt.api.urls into the "api" namespace)."""

from django.urls import path

from .apis import (
    ACTION_VIEWS,
    FacebookWebhookApi,
    FeedbackListApi,
    PublicFeedbackApi,
    PublicFeedbackDetailApi,
    PublicReactionApi,
    ZaloWebhookApi,
)

urlpatterns: list = [
    path("public/feedback/", PublicFeedbackApi.as_view(), name="public-feedback"),
    path("public/feedback/<str:code>/", PublicFeedbackDetailApi.as_view(), name="public-feedback-detail"),
    path(
        "public/feedback/<str:code>/reaction/", PublicReactionApi.as_view(), name="public-feedback-reaction"
    ),
    path("feedback/", FeedbackListApi.as_view(), name="feedback"),
    path("feedback/webhooks/zalo/", ZaloWebhookApi.as_view(), name="feedback-webhook-zalo"),
    path("feedback/webhooks/facebook/", FacebookWebhookApi.as_view(), name="feedback-webhook-facebook"),
    *[
        path(f"feedback/<str:code>/{action}/", view, name=f"feedback-{action.replace('_', '-')}")
        for action, view in ACTION_VIEWS.items()
    ],
]
