"""Durations as the Google APIs write them: seconds with an `s` ("7776000s")."""

from __future__ import annotations

import re
from typing import Final

SECONDS_PER_DAY: Final = 86_400
# Seconds, a fraction allowed, then "s"; spaces around are tolerated.
_DURATION: Final = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")


def duration_seconds(text: str | None) -> float | None:
    """The seconds a duration such as "7776000s" stands for; None when the text is not one."""
    match = _DURATION.match(text) if text else None
    return float(match.group(1)) if match else None
