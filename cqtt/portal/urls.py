from django.urls import path

from . import unit_face, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    # public dossier pages (views_dossiers.py is added by the public-pages work)
    path("tra-cuu/", views.lookup, name="lookup"),
    path("tra-cuu/<str:token>/", views.lookup_token, name="lookup_token"),
    path("nop-truc-tuyen/", views.submit_choose, name="submit_choose"),
    path("nop-truc-tuyen/<str:procedure_code>/", views.submit, name="submit"),
    path("nop-truc-tuyen/da-nop/<str:code>/", views.submitted, name="submitted"),
    path("don-vi/", unit_face.unit_find, name="unit_find"),
    path("don-vi/<str:code>/", unit_face.unit_page, name="unit"),
]
