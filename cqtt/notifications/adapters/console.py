"""SMS for development: the message is written to the worker's log (number masked), nothing leaves the machine."""

import logging

from .. import rules
from . import ACCEPTED, Adapter, Outcome

log = logging.getLogger("cqtt.notifications.console")


class ConsoleSms(Adapter):
    name = "console"
    channel = "sms"
    idempotent = True  # nothing is sent anywhere

    def send(self, message) -> Outcome:
        log.info("SMS to %s: %s", rules.mask("sms", message.to), message.text)
        return Outcome(ACCEPTED, provider_id=f"console-{message.pk}")
