from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cqtt.procedures.apis import ProcedureListApi
from cqtt.units.apis import UnitListApi
from cqtt.workdays.apis import DueDateApi

from .auth import TokenObtainApi

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", TokenObtainApi.as_view(), name="token"),
    path("units/", UnitListApi.as_view(), name="units"),
    path("procedures/", ProcedureListApi.as_view(), name="procedures"),
    path("workdays/due-date/", DueDateApi.as_view(), name="due-date"),
]
