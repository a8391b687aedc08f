"""`myhibachi:alerts`: alert thresholds (seed items 6 and 9) and who is notified."""

from __future__ import annotations

from settings.fields import integer, list_of, number, section, setting, text
from settings.patterns import EMAIL


@section
class AlertSettings:
    """Thresholds of the stack's alert policies and the addresses they notify."""

    emails: tuple[str, ...] = setting(
        "emails",
        list_of(text(EMAIL, "an email address"), non_empty="must name at least one address"),
    )
    error_rate_percent: float = setting("errorRatePercent", number(0, 100))
    latency_p95_ms: int = setting("latencyP95Ms", integer(1, 60_000))
    slow_query_ms: int = setting("slowQueryMs", integer(1, 600_000))
    # Cloud SQL's max_connections for the tier; the connections alert fires near it.
    database_max_connections: int = setting(
        "databaseMaxConnections", integer(10, 262_143), default=100
    )
    # CPU, memory and disk of Cloud SQL, memory of Redis.
    saturation_percent: int = setting("saturationPercent", integer(1, 99), default=80)
