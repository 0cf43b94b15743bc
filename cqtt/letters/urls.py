from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("", views.letter_list, name="list"),
    path("ky/", views.sign_many, name="sign_many"),
    path("moi/", views.letter_new, name="new"),
    path("so/", views.register, name="register"),
    path("thong-ke/", views.counts, name="counts"),
    path("mau/", views.template_list, name="templates"),
    path("mau/rieng/<int:pk>/", views.custom_kind_edit, name="custom_kind"),
    path("mau/rieng/<int:pk>/xoa/", views.custom_kind_delete, name="custom_kind_delete"),
    path("mau/rieng/<int:pk>/luu-tru/", views.custom_kind_archive, name="custom_kind_archive"),
    path("mau/<str:kind>/", views.template_edit, name="template_edit"),
    path("mau/<str:kind>/xem-truoc/", views.template_preview, name="template_preview"),
    path("ho-so/<str:code>/", views.dossier_letters, name="dossier"),
    path("<str:pk>/", views.letter_detail, name="detail"),
    path("<str:pk>/thu.pdf", views.letter_pdf_view, name="pdf"),
]
