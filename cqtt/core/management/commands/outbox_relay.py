"""`manage.py outbox_relay [--once]`: hand the domain events to their consumers (notices, letters); `make run`
starts one, production runs one or more (ADR 0015)."""

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from cqtt.core import outbox


class Command(BaseCommand):
    help = "Chuyển sự kiện miền tới các ứng dụng phản ứng (thông báo, thư) — chạy liên tục; --once: một lượt."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=100)
        parser.add_argument("--poll", type=float, default=1.0, help="giây chờ tối đa khi không có sự kiện")
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, batch, poll, once, **options):
        if once:
            self.stdout.write(str(outbox.relay_once(batch=batch)))
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        wait = 0.05
        while not stop.is_set():
            close_old_connections()
            try:
                moved = outbox.relay_once(batch=batch)
            except Exception:  # keep relaying; the batch is tried again
                self.stderr.write("outbox relay: batch failed")
                moved = 0
            if moved:
                wait = 0.05
                continue
            stop.wait(wait)
            wait = min(wait * 2, poll)
