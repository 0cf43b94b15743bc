from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "cqtt.reception"
    label = "reception"
    verbose_name = _("Tiếp công dân")

    def ready(self) -> None:
        from cqtt.core import outbox

        for action in ("accept", "refuse", "transfer"):
            outbox.subscribe(f"complaints.{action}", "cqtt.reception.reactions.on_case_event")
