"""The extension's "asked later than one working day before the due date" flag is decided on the Vietnam day."""

import time_machine
from django.utils import timezone

from cqtt.dossiers import services as s
from cqtt.dossiers.models import DossierEvent

from .conftest import at, receive


def test_an_extension_asked_early_in_the_morning_is_judged_on_the_local_day(world):
    # given: received Mon 23/11 09:00, due Fri 27/11 17:00 (24/11 off); one working day before is Thu 26/11
    d = receive(world, when=at(2026, 11, 23, 9, 0))
    assert f"{timezone.localtime(d.due_at):%d/%m %H:%M}" == "27/11 17:00"
    # when: the leader extends at 06:30 on Thu 26/11 in Vietnam — still Wed 25/11 in UTC
    with time_machine.travel(at(2026, 11, 26, 6, 30), tick=False):
        s.dossier_extend(
            actor=world.leader, dossier=d, reason="Chờ xác minh", new_due_at=at(2026, 11, 30, 17)
        )
    # then: the request counts as made on 26/11, within one working day of the due date
    event = DossierEvent.objects.get(dossier=d, action="extend")
    assert event.data["later_than_one_day_before"] is True


def test_an_extension_asked_two_working_days_before_is_not_late(world):
    d = receive(world, when=at(2026, 11, 23, 9, 0))
    with time_machine.travel(at(2026, 11, 25, 6, 30), tick=False):
        s.dossier_extend(
            actor=world.leader, dossier=d, reason="Chờ xác minh", new_due_at=at(2026, 11, 30, 17)
        )
    event = DossierEvent.objects.get(dossier=d, action="extend")
    assert event.data["later_than_one_day_before"] is False
