from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "cqtt.ratings"
    label = "ratings"
    verbose_name = _("Đánh giá sự hài lòng")

    def ready(self) -> None:
        from cqtt.core import outbox

        outbox.subscribe("dossier.*", "cqtt.ratings.reactions.on_dossier_event")
