"""`manage.py feedback_mail [--loop --every S]`: read the units' feedback mailboxes over IMAP (make run loops it)."""

import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from cqtt.feedback.mail import import_all

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Đọc thư mới trong các hộp thư góp ý (IMAP) thành phản ánh (--loop: chạy lặp lại)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--every", type=float, default=60.0, help="giây giữa hai lượt (mặc định 60)")
        parser.add_argument("--batch", type=int, default=None, help="số thư tối đa mỗi hộp thư mỗi lượt")

    def handle(self, *args, loop, every, batch, **options):
        stop = threading.Event()
        if loop:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
        while True:
            if loop:
                close_old_connections()  # a long-running loop: drop a connection the database closed meanwhile
            try:
                made = import_all(batch=batch)
            except DatabaseError:
                if not loop:
                    raise
                log.exception("feedback: reading the mailboxes failed, tried again in %s s", every)
            else:
                self.stdout.write(f"Đã nhận {made} phản ánh qua thư điện tử.")
            if not loop or stop.wait(every):
                return
