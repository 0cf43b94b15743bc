import re
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_bench_due_dates_prints_the_count_and_the_speed():
    out = StringIO()

    call_command("bench_due_dates", "--count", "5000", stdout=out)

    assert re.fullmatch(r"due_dates=5000 seconds=[\d.]+ dates_per_s=\d+\n", out.getvalue())
