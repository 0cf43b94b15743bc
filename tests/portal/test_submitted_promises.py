"""The confirmation after an online submission promises only what the platform does: an SMS (or Zalo) at every
change of status (the notifications app), and the lookup by the code."""

import pytest
from django.urls import reverse

from cqtt.dossiers import services as s
from cqtt.dossiers.models import Dossier

from .test_submit import form_data, submit_url

pytestmark = pytest.mark.django_db


def test_confirmation_promises_the_sms_notices_it_sends_and_points_to_the_lookup(
    client, world, django_capture_on_commit_callbacks
):
    from cqtt.notifications.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        html = client.post(submit_url(world), form_data(world), follow=True).content.decode()
    assert "Hệ thống nhắn tin SMS" in html
    assert Message.objects.filter(channel="sms", event="submitted").count() == 1  # the promise is kept
    assert "giữ mã hồ sơ" in html and "/tra-cuu/" in html
    assert f'href="{reverse("portal:lookup")}"' in html
    assert "liên hệ" not in html  # nobody at the counter is asked to call the citizen


def test_what_the_confirmation_says_about_missing_documents_is_what_the_lookup_shows(client, world):
    # the confirmation says the lookup page lists what is missing, once and in full: it does
    client.post(submit_url(world), form_data(world))
    dossier = Dossier.objects.get()
    s.dossier_request_intake_supplement(
        actor=world.counter_a, dossier=dossier, items=["Bản sao giấy đăng ký kết hôn"], reason="Thiếu giấy tờ"
    )
    html = client.get(reverse("portal:lookup_token", args=[dossier.lookup_token])).content.decode()
    assert "Bản sao giấy đăng ký kết hôn" in html
