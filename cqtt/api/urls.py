from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cqtt.dossiers.apis import ACTION_VIEWS, DossierDetailApi, DossierListCreateApi, PublicDossierApi
from cqtt.letters.apis import LetterListApi, LetterPdfApi, LetterSignApi
from cqtt.notifications.apis import (
    EsmsInboundSmsApi,
    EsmsReceiptApi,
    HttpReceiptApi,
    InboundSmsApi,
    NotificationListApi,
    ZaloReceiptApi,
)
from cqtt.procedures.apis import ProcedureListApi
from cqtt.units.apis import UnitListApi
from cqtt.workdays.apis import DueDateApi

from .auth import TokenApi

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # the split view serves Swagger UI's start-up script as a separate file: no inline script under the CSP
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("auth/token/", TokenApi.as_view(), name="token"),
    path("units/", UnitListApi.as_view(), name="units"),
    path("procedures/", ProcedureListApi.as_view(), name="procedures"),
    path("workdays/due-date/", DueDateApi.as_view(), name="due-date"),
    path("dossiers/", DossierListCreateApi.as_view(), name="dossiers"),
    path("dossiers/<str:code>/", DossierDetailApi.as_view(), name="dossier"),
    *[
        path(f"dossiers/<str:code>/{action}/", view, name=f"dossier-{action}")
        for action, view in ACTION_VIEWS.items()
    ],
    path("public/dossiers/<str:code>/", PublicDossierApi.as_view(), name="public-dossier"),
    path("notifications/", NotificationListApi.as_view(), name="notifications"),
    path("letters/", LetterListApi.as_view(), name="letters"),
    path("letters/<str:pk>/sign/", LetterSignApi.as_view(), name="letter-sign"),
    path("letters/<str:pk>/pdf/", LetterPdfApi.as_view(), name="letter-pdf"),
    path("notifications/callbacks/http/", HttpReceiptApi.as_view(), name="notifications-receipt-http"),
    path("notifications/callbacks/esms/", EsmsReceiptApi.as_view(), name="notifications-receipt-esms"),
    path("notifications/callbacks/zalo/", ZaloReceiptApi.as_view(), name="notifications-receipt-zalo"),
    path("notifications/inbound/http/", InboundSmsApi.as_view(), name="notifications-inbound-http"),
    path("notifications/inbound/esms/", EsmsInboundSmsApi.as_view(), name="notifications-inbound-esms"),
    # the citizen-voice apps keep their endpoints in their own api_urls (same "api" namespace)
    path("", include("cqtt.ratings.api_urls")),
    path("", include("cqtt.feedback.api_urls")),
    path("", include("cqtt.surveys.api_urls")),
    path("", include("cqtt.complaints.api_urls")),
    path("", include("cqtt.reception.api_urls")),
    path("", include("cqtt.dialogues.api_urls")),
    path("", include("cqtt.evaluation.api_urls")),
    path("", include("cqtt.portal.api_urls")),
]
