from django.http import HttpResponse
from django.urls import path

app_name = "procedures"
urlpatterns = [
    path("", lambda r: HttpResponse(""), name="catalogue"),
]
