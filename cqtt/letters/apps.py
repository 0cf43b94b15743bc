from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "cqtt.letters"
    label = "letters"
    verbose_name = _("Thư xin lỗi, cảm ơn, chúc mừng, chia buồn")

    def ready(self) -> None:
        from cqtt.core import outbox

        outbox.subscribe("dossier.*", "cqtt.letters.reactions.on_dossier_event")
