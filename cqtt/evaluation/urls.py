from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns: list = [
    # --- indices
    path("", views.home, name="home"),
    path("don-vi/<str:code>/", views.unit, name="unit"),
    path("don-vi/<str:code>/can-bo/", views.officers, name="officers"),
    path("don-vi/<str:code>/chi-so/<str:indicator>/", views.evidence, name="evidence"),
    # --- end of indices
]
