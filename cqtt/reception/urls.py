from django.urls import path

from . import views

app_name = "reception"
urlpatterns = [
    # public
    path("lich/", views.public_schedule, name="public_schedule"),
    path("lich/in/", views.public_print, name="public_print"),
    # staff
    path("xu-ly/", views.schedule, name="schedule"),
    path("xu-ly/buoi/<int:pk>/", views.session_detail, name="session"),
    path("xu-ly/buoi/<int:pk>/ket-luan/in/", views.conclusion_print, name="conclusion_print"),
    path("xu-ly/buoi/<int:pk>/<str:action>/", views.session_act, name="session_act"),
    path("xu-ly/viec/<int:pk>/xong/", views.task_done, name="task_done"),
    path("xu-ly/so/", views.register, name="register"),
    path("xu-ly/so/in/", views.register_print, name="register_print"),
    path("xu-ly/so/moi/", views.visit_new, name="visit_new"),
    path("xu-ly/so/<int:pk>/", views.visit_detail, name="visit"),
    path("xu-ly/so/<int:pk>/bien-nhan/", views.receipt_print, name="receipt_print"),
    path("xu-ly/so/<int:pk>/tu-choi/", views.refusal_print, name="refusal_print"),
    path("xu-ly/so/<int:pk>/<str:action>/", views.visit_act, name="visit_act"),
]
