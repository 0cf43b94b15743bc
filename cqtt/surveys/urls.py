from django.urls import path

from . import public

app_name = "surveys"
urlpatterns = [
    path("don-vi/<str:unit_code>/", public.unit_campaigns, name="unit"),
    path("<str:public_id>/", public.answer, name="answer"),
    path("<str:public_id>/cam-on/", public.thanks, name="thanks"),
]
