"""`manage.py letters_sweep [--loop --every S]`: draft the apology of dossiers coming to risk (make run loops it)."""

import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from cqtt.letters.services import apology_sweep

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Lập dự thảo thư xin lỗi cho hồ sơ sắp trễ hạn (--loop: chạy lặp lại)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--every", type=float, default=300.0, help="giây giữa hai lượt (mặc định 300)")

    def handle(self, *args, loop, every, **options):
        stop = threading.Event()
        if loop:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
        while True:
            close_old_connections()
            try:
                drafted = apology_sweep()
            except DatabaseError:
                if not loop:
                    raise
                # a busy database (SQLite while the relay writes): the loop tries again next round
                log.exception("letters: the sweep failed, tried again in %s s", every)
            else:
                self.stdout.write(f"Đã lập {drafted} dự thảo thư xin lỗi.")
            if not loop or stop.wait(every):
                return
