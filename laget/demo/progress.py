"""A progress bar on stderr for the long seed phases (`seed_scale`): one line per phase, redrawn
in place at most a few times a second, with the count, the rate and the time left. Quiet when
asked, or when stderr is not a terminal (CI logs, redirected output): then nothing is written.

Small enough not to need a dependency (tqdm would do the same)."""

import sys
import time
from typing import TextIO

WIDTH = 28
#: seconds between redraws
EVERY = 0.25


class Progress:
    """`phase(name, total)` starts a bar, `advance(n)` moves it, `done()` ends its line."""

    def __init__(self, *, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self.name, self.total, self.count = "", 0, 0
        self.started = self.drawn = 0.0

    def phase(self, name: str, total: int) -> "Progress":
        self.done()
        self.name, self.total, self.count = name, max(0, total), 0
        self.started = time.monotonic()
        self.drawn = 0.0
        self._draw(force=True)
        return self

    def advance(self, count: int = 1) -> None:
        self.count += count
        self._draw()

    def done(self) -> None:
        if not self.name:
            return
        self._draw(force=True)
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
        self.name = ""

    def _draw(self, *, force: bool = False) -> None:
        if not self.enabled or not self.name:
            return
        now = time.monotonic()
        if not force and now - self.drawn < EVERY:
            return
        self.drawn = now
        elapsed = now - self.started
        share = min(1.0, self.count / self.total) if self.total else 1.0
        filled = round(share * WIDTH)
        rate = self.count / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.count) / rate if rate > 0 and self.total else 0.0
        self.stream.write(
            f"\r{self.name:<10} [{'#' * filled}{'.' * (WIDTH - filled)}] "
            f"{self.count:>11,}/{self.total:,} {rate:>9,.0f}/s "
            f"{_clock(elapsed)} elapsed, {_clock(left)} left ")
        self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


#: a bar that writes nothing (the default for library calls)
SILENT = Progress(enabled=False)
