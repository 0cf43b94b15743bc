"""`manage.py notify_worker`: send the citizens' notices (run by `make run`; run one or more in production)."""

import signal
import threading

from django.core.management.base import BaseCommand

from cqtt.notifications import worker


class Command(BaseCommand):
    help = "Gửi tin nhắn, thư điện tử, Zalo thông báo cho công dân (chạy liên tục; Ctrl-C để dừng)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=50, help="số tin nhận mỗi lượt")
        parser.add_argument("--threads", type=int, default=8, help="số tin gửi song song qua HTTP")
        parser.add_argument("--poll", type=float, default=1.0, help="giây chờ khi không có tin")
        parser.add_argument("--reconcile-every", type=float, default=30.0)
        parser.add_argument("--once", action="store_true", help="gửi một lượt rồi dừng")

    def handle(self, *args, batch, threads, poll, reconcile_every, once, **options):
        if once:
            worker.reconcile()
            sent = worker.run_once(batch=batch)
            self.stdout.write(f"{sent}")
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        worker.run(stop=stop, batch=batch, threads=threads, poll=poll, reconcile_every=reconcile_every)
