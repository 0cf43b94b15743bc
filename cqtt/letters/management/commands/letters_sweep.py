"""`manage.py letters_sweep [--loop --every S]`: draft the apology of dossiers coming to risk (make run loops it)."""

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from cqtt.letters.services import apology_sweep


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
            drafted = apology_sweep()
            self.stdout.write(f"Đã lập {drafted} dự thảo thư xin lỗi.")
            if not loop or stop.wait(every):
                return
