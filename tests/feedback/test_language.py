"""What the feedback services store is in the platform's language (Vietnamese), whatever language the acting
officer reads the pages in: the English catalogue is compiled and active here, so a stored string that followed
the officer's language would come out in English."""

import pytest
from django.utils import translation

from cqtt.feedback import services
from cqtt.feedback.models import FeedbackEvent
from tests.core.test_locale_en import english_catalogue  # noqa: F401 (compiles locale/en, module-wide)
from tests.dossiers.conftest import at

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_the_catalogue_has_english_for_the_stored_strings():
    with translation.override("en"):
        assert translation.gettext("Bổ sung ngày %(d)s:") == "Supplemented on %(d)s:"


def test_a_supplement_recorded_by_an_officer_reading_english_is_stored_in_vietnamese(world):
    item = submit(world)
    item = services.feedback_request_supplement(actor=world.counter_a, item=item, reason="Ghi rõ số nhà.")
    with translation.override("en"):
        item = services.feedback_supplement(
            actor=world.counter_a, item=item, content="Số nhà 12A.", at=at(2026, 11, 30, 9)
        )
    assert "Bổ sung ngày 30/11/2026:\nSố nhà 12A." in item.content
    assert "Supplemented" not in item.content


def test_timeline_notes_written_by_an_officer_reading_english_are_in_vietnamese(world):
    first = submit(world)
    with translation.override("en"):
        again = submit(world, when=at(2026, 11, 25, 8), actor=world.counter_a, channel="hotline")
        services.feedback_transfer(actor=world.leader, item=first, unit_code=world.b.code)
    assert FeedbackEvent.objects.get(item=again, action="receive").note == f"Trùng với {first.code}"
    transfer = FeedbackEvent.objects.get(item=first, action="transfer")
    assert transfer.note.startswith("Chuyển từ Phường Thủ Dầu Một đến Phường Thuận An")
