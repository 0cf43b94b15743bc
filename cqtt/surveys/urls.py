from django.urls import path

from . import public, views

app_name = "surveys"
urlpatterns = [
    # staff
    path("quan-ly/", views.campaign_list, name="campaigns"),
    path("quan-ly/moi/", views.campaign_new, name="campaign_new"),
    path("quan-ly/<str:public_id>/", views.campaign_detail, name="campaign"),
    path("quan-ly/<str:public_id>/ma-qr/", views.campaign_qr, name="qr"),
    path("quan-ly/<str:public_id>/phieu-giay/", views.paper_entry, name="paper"),
    path("quan-ly/<str:public_id>/ket-qua/", views.campaign_results, name="results"),
    path("quan-ly/<str:public_id>/phieu-tra-loi.xlsx", views.campaign_export, name="export"),
    path("bieu-mau/", views.form_list, name="forms"),
    path("bieu-mau/nhap/", views.form_import, name="form_import"),
    path("bieu-mau/<int:pk>/", views.form_detail, name="form"),
    path("bieu-mau/<int:pk>/cau-hoi/<int:qpk>/", views.question_edit, name="question"),
    path("bieu-mau/<int:pk>/xlsform.xlsx", views.form_export, name="form_export"),
    # public
    path("don-vi/<str:unit_code>/", public.unit_campaigns, name="unit"),
    path("<str:public_id>/", public.answer, name="answer"),
    path("<str:public_id>/cam-on/", public.thanks, name="thanks"),
]
