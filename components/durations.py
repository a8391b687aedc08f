"""Days as the Google Cloud APIs take them: seconds, in a string."""

from __future__ import annotations

SECONDS_PER_DAY = 86_400


def seconds(days: int) -> str:
    """`days` as a count of seconds (a bucket's retention period)."""
    return str(days * SECONDS_PER_DAY)


def duration(days: int) -> str:
    """`days` as a protobuf Duration, seconds with an `s` (rotation periods, message retention)."""
    return f"{seconds(days)}s"
