from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("canh-bao/", views.alert, name="alert"),
    path("ho-so/<str:code>/", views.dossier_messages, name="dossier"),
    path("tin/<uuid:pk>/gui-lai/", views.message_retry, name="retry"),
    path("mau/", views.template_list, name="templates"),
    path("mau/<str:event>/<str:channel>/", views.template_edit, name="template_edit"),
    path("mau/<str:event>/<str:channel>/xem-truoc/", views.template_preview, name="template_preview"),
    path("cai-dat/", views.settings_edit, name="settings"),
    # a mail client's one-click unsubscribe posts without our CSRF cookie; the signed token is the credential
    path("huy/<str:token>/", csrf_exempt(views.unsubscribe), name="unsubscribe"),
]
