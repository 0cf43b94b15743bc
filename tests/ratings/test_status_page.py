"""The citizen's status page of a returned dossier invites the rating once (then thanks) and links the unit's
open "after each result" survey."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from cqtt.ratings import services
from cqtt.surveys import services as surveys
from tests.dossiers.conftest import at
from tests.ratings.test_services import _receive, _returned
from tests.surveys.conftest import sample_questions

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_status_page_of_a_returned_dossier_invites_a_rating_and_the_after_result_survey(
    staff, django_capture_on_commit_callbacks
):
    world = staff
    d = _receive(world, django_capture_on_commit_callbacks)
    url = f"/tra-cuu/{d.lookup_token}/"
    assert 'data-testid="rating-link"' not in Client().get(url).content.decode()  # not returned yet
    _returned(world, django_capture_on_commit_callbacks, d)
    form = surveys.form_create(
        actor=world.leader,
        unit=world.a,
        code="SKQ",
        title="Phiếu sau khi nhận kết quả",
        questions=sample_questions(),
    )
    campaign = surveys.campaign_create(
        actor=world.leader,
        form=form,
        unit=world.a,
        kind="after_result",
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    surveys.campaign_open(actor=world.leader, campaign=campaign)
    with time_machine.travel(at(2026, 11, 25, 10, 0), tick=False):
        html = Client().get(url).content.decode()
        assert f'href="/danh-gia/ho-so/{d.lookup_token}/"' in html
        assert f"/khao-sat/{campaign.public_id}/" in html and "Phiếu sau khi nhận kết quả" in html
        services.rating_submit(dossier=d, level="satisfied")
        html = Client().get(url).content.decode()
    assert 'data-testid="rating-link"' not in html and "Ông/bà đã đánh giá hồ sơ này" in html
