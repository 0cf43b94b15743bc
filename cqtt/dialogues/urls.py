from django.urls import path

from . import views

app_name = "dialogues"
urlpatterns = [
    # staff
    path("quan-ly/", views.dialogue_list, name="list"),
    path("quan-ly/moi/", views.plan, name="plan"),
    path("quan-ly/cam-ket/", views.commitments, name="commitments"),
    path("quan-ly/cau-hoi/<int:pk>/<str:action>/", views.question_act, name="question_act"),
    path("quan-ly/cam-ket/<int:pk>/<str:action>/", views.commitment_act, name="commitment_act"),
    path("quan-ly/<str:code>/", views.detail, name="detail"),
    path("quan-ly/<str:code>/sua/", views.edit, name="edit"),
    path("quan-ly/<str:code>/cau-hoi/<str:source>/", views.question_add, name="question_add"),
    path("quan-ly/<str:code>/cam-ket/", views.commitment_add, name="commitment_add"),
    path("quan-ly/<str:code>/<str:action>/", views.act, name="act"),
    # public
    path("", views.public_list, name="public_list"),
    path("<str:code>/", views.report, name="report"),
    path("<str:code>/gui-cau-hoi/", views.ask, name="ask"),
]
