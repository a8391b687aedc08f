"""`myhibachi:cache`: Memorystore Redis tier, size and persistence."""

from __future__ import annotations

from typing import Literal

from settings.fields import integer, one_of, section, setting, text

CacheTier = Literal["BASIC", "STANDARD_HA"]
SnapshotPeriod = Literal["ONE_HOUR", "SIX_HOURS", "TWELVE_HOURS", "TWENTY_FOUR_HOURS"]


@section
class CacheSettings:
    """The Redis instance; RDB snapshots only where the cache is worth restoring."""

    memory_size_gb: int = setting("memorySizeGb", integer(1, 300))
    tier: CacheTier = setting("tier", one_of(CacheTier))
    version: str = setting(
        "version", text(r"REDIS_\d+(?:_\d+)?", "a Redis version such as REDIS_7_2")
    )
    rdb_snapshot_period: SnapshotPeriod | None = setting(
        "rdbSnapshotPeriod", one_of(SnapshotPeriod), default=None
    )
