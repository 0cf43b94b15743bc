from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "cqtt.complaints"
    label = "complaints"
    verbose_name = _("Khiếu nại, tố cáo")
