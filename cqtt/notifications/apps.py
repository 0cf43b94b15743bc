from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cqtt.notifications"
    label = "notifications"
    verbose_name = _("Thông báo cho công dân")

    def ready(self) -> None:
        from cqtt.core import outbox

        outbox.subscribe("dossier.*", "cqtt.notifications.reactions.on_dossier_event")
