from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "cqtt.dialogues"
    label = "dialogues"
    verbose_name = _("Đối thoại với người dân")
