from django.http import HttpResponse
from django.urls import path

app_name = "workdays"
urlpatterns = [
    path("", lambda r: HttpResponse(""), name="explain"),
]
