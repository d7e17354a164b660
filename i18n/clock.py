"""The clock, at the edge: jobs take a ``Clock`` so tests can fix the time."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


Ticks = Callable[[], float]  # seconds on a clock that only moves forward (for intervals)


def ticks() -> float:
    return time.monotonic()
