"""A one-line progress report on the terminal while checks run: students wait on ``autograder check``."""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from autograder.results import CheckResult


class ProgressLine:
    """Rewrites one line of ``stream`` as checks end (``12/25 checks done, 2 failed, now a1_init 3.2``).

    Only on a terminal: a log file or a pipe gets the final table alone, not 25 carriage returns.
    """

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.shown = stream.isatty()
        self.done = self.failed = self.width = 0
        self._lock = threading.Lock()

    def start(self, what: str) -> None:
        """Before the first check: the sandbox starts (a couple of seconds of ``import torch``)."""
        self._show(f"checking {what}: starting the sandbox ...")

    def __call__(self, result: CheckResult, total: int) -> None:
        with self._lock:
            self.done += 1
            self.failed += result.score < result.max_score
            failed = f", {self.failed} failed" if self.failed else ""
            self._show(f"{self.done}/{total} checks done{failed} (last: {result.assignment} {result.number})")

    def close(self) -> None:
        """Clear the line, so the table that follows starts clean."""
        self._show("")

    def _show(self, text: str) -> None:
        if not self.shown:
            return
        self.stream.write("\r" + text.ljust(self.width) + ("\r" if not text else ""))
        self.stream.flush()
        self.width = len(text)
