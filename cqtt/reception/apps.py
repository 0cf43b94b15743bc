from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "cqtt.reception"
    label = "reception"
    verbose_name = _("Tiếp công dân")
