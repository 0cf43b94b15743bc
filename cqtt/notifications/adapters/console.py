"""SMS for development: nothing leaves the machine; the worker's log says which message went where (number
masked, no text: the text carries the dossier's lookup link). Staff pages show the text."""

import logging

from .. import rules
from . import ACCEPTED, Adapter, Outcome

log = logging.getLogger("cqtt.notifications.console")


class ConsoleSms(Adapter):
    name = "console"
    channel = "sms"
    idempotent = True  # nothing is sent anywhere

    def send(self, message) -> Outcome:
        log.info("SMS %s to %s (%s characters)", message.pk, rules.mask("sms", message.to), len(message.text))
        return Outcome(ACCEPTED, provider_id=f"console-{message.pk}")
