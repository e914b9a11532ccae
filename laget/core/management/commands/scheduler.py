"""`manage.py scheduler`: enqueue periodic tasks on time; safe to run on several servers at once."""

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laget.core import scheduler


class Command(BaseCommand):
    help = "Enqueue Laget's periodic tasks when they are due (run beside db_worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One tick, then exit.")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="Seconds between ticks (default 10)."
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        if interval <= 0:
            self.stderr.write("scheduler: --interval must be positive")
            raise SystemExit(2)
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        while True:
            names = scheduler.tick()
            if names and options["verbosity"] >= 1:
                self.stdout.write("enqueued: " + ", ".join(names))
            if once or stop.wait(interval):
                return
