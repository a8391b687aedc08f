"""Wall-clock seconds per phase, for `--timings` and the benchmark script."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class PhaseTimer:
    """Accumulates the seconds spent in named phases."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the enclosed block under `name`."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def summary(self) -> str:
        """One line: `timings: capture=1.234 render=0.010` (seconds)."""
        parts = " ".join(f"{name}={seconds:.3f}" for name, seconds in self.seconds.items())
        return f"timings: {parts}"
