"""Staff sessions end a working day after the login (however busy) and after an idle period; the clock is frozen
in every test and moved by hand."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "pw-12345-test"
MORNING = "2026-11-24T07:30:00+07:00"


def logged_in(username="motcua") -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def still_in(client) -> bool:
    response = client.get(reverse("accounts:home"))
    return response.status_code == 200


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


def test_the_defaults_are_a_ten_hour_day_and_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    assert settings.SESSION_IDLE_SECONDS == 30 * 60


def test_a_session_survives_a_pause_shorter_than_the_idle_limit(world, clock):
    client = logged_in()
    clock.shift(dt.timedelta(minutes=29))
    assert still_in(client)


def test_a_session_ends_after_thirty_idle_minutes(world, clock):
    client = logged_in()
    clock.shift(dt.timedelta(minutes=31))
    response = client.get(reverse("dossiers:worklists"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    page = client.get(response["Location"])
    assert "không có thao tác trong 30 phút" in page.content.decode()


def test_each_request_resets_the_idle_clock(world, clock):
    client = logged_in()
    for _ in range(6):  # two hours of a request every 20 minutes
        clock.shift(dt.timedelta(minutes=20))
        assert still_in(client)


def test_activity_does_not_extend_the_working_day(world, clock):
    client = logged_in()
    for _ in range(29):  # a request every 20 minutes until 9 h 40 after the login
        clock.shift(dt.timedelta(minutes=20))
        assert still_in(client)
    clock.shift(dt.timedelta(minutes=19))  # 9 h 59
    assert still_in(client)
    clock.shift(dt.timedelta(minutes=2))  # 10 h 01
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Phiên làm việc đã hết sau 10 giờ kể từ khi đăng nhập" in page.content.decode()
    # and a new login starts a new day
    client = logged_in()
    assert still_in(client)


def test_the_admin_session_ends_like_the_pages(world, clock):
    world.counter_a.is_staff = world.counter_a.is_superuser = True
    world.counter_a.save()
    client = logged_in()
    assert client.get("/admin/").status_code == 200
    clock.shift(dt.timedelta(minutes=31))
    assert client.get("/admin/").status_code == 302


def test_the_limits_follow_the_settings(world, clock, settings):
    settings.SESSION_IDLE_SECONDS = 5 * 60
    settings.SESSION_COOKIE_AGE = 3600
    client = logged_in()
    clock.shift(dt.timedelta(minutes=4))
    assert still_in(client)
    clock.shift(dt.timedelta(minutes=6))
    assert not still_in(client)
    client = logged_in()
    for _ in range(15):  # every 4 minutes for an hour
        clock.shift(dt.timedelta(minutes=4))
        assert still_in(client)
    clock.shift(dt.timedelta(minutes=1))
    assert not still_in(client)


def test_the_limits_are_read_from_the_environment():
    env = {**os.environ, "SESSION_MAX_HOURS": "8", "SESSION_IDLE_MINUTES": "15"}
    code = "from config.settings import test as s; print(s.SESSION_COOKIE_AGE, s.SESSION_IDLE_SECONDS)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["28800", "900"], result.stderr


def test_an_english_officer_is_told_in_english(world, clock):
    client = logged_in()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    clock.shift(dt.timedelta(minutes=31))
    response = client.get(reverse("accounts:home"), follow=True)
    assert "no activity for 30 minutes" in response.content.decode()
