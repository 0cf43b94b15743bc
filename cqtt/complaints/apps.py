from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "cqtt.complaints"
    label = "complaints"
    verbose_name = _("Khiếu nại, tố cáo")

    def ready(self) -> None:
        from cqtt.core import outbox

        outbox.subscribe("feedback.move_to_complaints", "cqtt.complaints.reactions.on_feedback_event")
