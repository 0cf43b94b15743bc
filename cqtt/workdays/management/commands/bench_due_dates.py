"""Benchmark: compute N due dates (varied receipt times, amounts, units) with the national calendar."""

import random
import time
from datetime import date, datetime
from decimal import Decimal

from django.core.management.base import BaseCommand

from cqtt.workdays import rules
from cqtt.workdays.selectors import calendar_for, calendar_years, default_schedule

UNITS = [
    rules.PeriodUnit.WORKING_DAYS.value,
    rules.PeriodUnit.WORKING_HOURS.value,
    rules.PeriodUnit.SAME_DAY.value,
]


class Command(BaseCommand):
    help = "Tính N ngày hẹn trả (mặc định 1.000.000) và in tốc độ."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, count: int, seed: int, **options):
        calendar = calendar_for(None)
        schedule = default_schedule()
        first, last = calendar_years()
        rnd = random.Random(seed)
        start = date(first, 1, 1).toordinal()
        span = date(last - 1, 12, 31).toordinal() - start  # leave room for the due date
        amounts = [Decimal(n) / 2 for n in range(1, 61)]
        # A pool of varied inputs, cycled: generating a million datetimes would dominate the measurement.
        pool = []
        for k in range(min(count, 100_000)):
            d = date.fromordinal(start + rnd.randrange(span))
            received = datetime(d.year, d.month, d.day, rnd.randrange(24), rnd.randrange(60), tzinfo=rules.TZ)
            pool.append((received, rnd.choice(amounts), UNITS[k % 3]))
        due = rules.due_datetime
        size = len(pool)
        began = time.perf_counter()
        done = 0
        while done < count:
            batch = pool if count - done >= size else pool[: count - done]
            for received, amount, unit in batch:
                due(received, amount, unit, calendar, schedule)
            done += len(batch)
        seconds = time.perf_counter() - began
        self.stdout.write(
            f"due_dates={done} seconds={seconds:.3f} dates_per_s={done / seconds:,.0f}".replace(",", "")
        )
