"""Progress of a long management command, for the operator watching it.

Lines go to the command's stderr, so its stdout stays its result (a report, CSV, the summary
line) for scripts and pipes: the first when the work starts, then at most one per `interval`
seconds, and the last when it ends, with the time taken.
"""

import time
from collections.abc import Callable

from django.core.management.base import OutputWrapper

ProgressCallback = Callable[[int, int], None]


def _plain(text: str) -> str:
    # A command's stderr styles everything as an error on a terminal; progress is not one.
    return text


class Progress:
    """`update(done, total)` as work advances (a service can take it as its callback), then
    `finish()`."""

    def __init__(self, stream: OutputWrapper, label: str, *, interval: float = 1.0):
        self.stream = stream
        self.label = label
        self.interval = interval
        self.done = 0
        self.total = 0
        self._started = time.monotonic()
        self._written_at: float | None = None

    def update(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if self._written_at is None or now - self._written_at >= self.interval:
            self._write(now)

    def advance(self, count: int = 1) -> None:
        self.update(self.done + count, max(self.total, self.done + count))

    def finish(self) -> None:
        elapsed = time.monotonic() - self._started
        self.stream.write(f"{self._position()} in {elapsed:.1f} s", style_func=_plain)

    def _write(self, now: float) -> None:
        self._written_at = now
        self.stream.write(self._position(), style_func=_plain)

    def _position(self) -> str:
        percent = 100 if self.total == 0 else 100 * self.done // self.total
        return f"{self.label}: {self.done}/{self.total} ({percent}%)"
