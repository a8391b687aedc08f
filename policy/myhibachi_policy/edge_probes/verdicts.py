"""What the simulation answers for one probe and one phase.

Every verdict has `evaluated` and `reason`. When `evaluated` is false the phase could not be
simulated (an unknown value during preview, an expression outside the supported subset, two
entrypoints for one phase...) and `reason` says which rule and why: a policy reports that as
"could not verify", never as a pass. When it is true, `reason` explains the outcome in one line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .probes import Probe

LIMITING_ACTIONS: Final = frozenset({"block", "challenge", "js_challenge", "managed_challenge"})
"""Rate-limit actions that stop a client over its limit (`log` only records it)."""
BLOCKING_ACTIONS: Final = frozenset({"block"})
"""Rate-limit actions that stop a client over its limit whatever it is: a challenge stops a
browser-less script, but a person (or a solving service) guessing passwords passes it."""

PER_CLIENT: Final = frozenset({"cf.colo.id", "ip.src"})
"""Counting characteristics a client cannot vary at will: a rule that also counts by a header,
a cookie or a query value gives each value its own budget, so a client rotating it is never
limited."""


class CacheOutcome(StrEnum):
    """How the edge treats the probe's response."""

    CACHED = "cached"
    """A cache rule makes the response eligible for cache (stored per the edge TTL)."""
    CACHED_BY_DEFAULT = "cached by default"
    """No rule decides; Cloudflare caches this file extension by default when the origin's
    headers allow it."""
    BYPASSED = "bypassed"
    """A cache rule turns caching off: never stored at the edge."""
    NOT_CACHED = "not cached"
    """No rule makes it eligible and Cloudflare does not cache it by default (no default
    cacheable extension, or a method other than GET)."""


@dataclass(frozen=True)
class CacheVerdict:
    """`http_request_cache_settings` for one probe."""

    probe: Probe
    outcome: CacheOutcome | None
    reason: str
    edge_ttl_mode: str | None = None
    edge_ttl_seconds: int | None = None
    matched_rules: tuple[str, ...] = ()

    @property
    def evaluated(self) -> bool:
        return self.outcome is not None

    @property
    def may_be_cached(self) -> bool:
        """The edge may store the response (a rule made it eligible, or the default applies)."""
        return self.outcome in (CacheOutcome.CACHED, CacheOutcome.CACHED_BY_DEFAULT)

    @property
    def never_cached(self) -> bool:
        """Evaluated, and the edge never stores the response, whatever the origin sends."""
        return self.outcome in (CacheOutcome.BYPASSED, CacheOutcome.NOT_CACHED)

    @property
    def cached_by_rule(self) -> bool:
        return self.outcome is CacheOutcome.CACHED


@dataclass(frozen=True)
class RateLimitRule:
    """One `http_ratelimit` rule that matches the probe."""

    rule: str
    action: str
    requests_per_period: int | None
    period_seconds: int | None
    mitigation_timeout_seconds: int | None
    characteristics: tuple[str, ...]
    counts_probe: bool
    """False when the rule's counting expression leaves the probe uncounted."""

    def limits(
        self,
        max_requests: int,
        per_seconds: int,
        *,
        counted_per: frozenset[str] = PER_CLIENT,
        actions: frozenset[str] = LIMITING_ACTIONS,
    ) -> bool:
        """Whether this rule stops a client after at most `max_requests` in any `per_seconds`.

        A rule allowing R requests per P seconds lets through at most R * ceil(per_seconds / P)
        requests in `per_seconds`; it must also act (one of `actions`), count this probe, and
        count by characteristics the client cannot vary (`counted_per`).
        """
        if self.action not in actions or not self.counts_probe:
            return False
        if self.requests_per_period is None or not self.period_seconds:
            return False
        if not set(self.characteristics) <= counted_per:
            return False
        windows = math.ceil(per_seconds / self.period_seconds)
        return self.requests_per_period * windows <= max_requests

    def __str__(self) -> str:
        return (
            f"{self.rule}: {self.action} after {self.requests_per_period} requests per "
            f"{self.period_seconds} s"
        )


@dataclass(frozen=True)
class RateLimitVerdict:
    """`http_ratelimit` for one probe: every enabled rule that matches it, in order."""

    probe: Probe
    evaluated: bool
    reason: str
    matches: tuple[RateLimitRule, ...] = ()

    def limited_to(
        self,
        max_requests: int,
        per_seconds: int,
        *,
        counted_per: frozenset[str] = PER_CLIENT,
        actions: frozenset[str] = LIMITING_ACTIONS,
    ) -> bool:
        """Evaluated, and some matching rule limits the probe to at most `max_requests` per
        `per_seconds` with one of `actions` (see `RateLimitRule.limits`)."""
        return self.evaluated and any(
            match.limits(max_requests, per_seconds, counted_per=counted_per, actions=actions)
            for match in self.matches
        )


@dataclass(frozen=True)
class ManagedWafVerdict:
    """`http_request_firewall_managed` for one probe and one managed ruleset id."""

    probe: Probe
    evaluated: bool
    reason: str
    executed: bool = False
    """The probe reaches an enabled `execute` rule for the ruleset and nothing skips it."""
    log_only: bool = False
    """The execute rule overrides every managed rule's action to `log`."""
    rule: str | None = None
    weakened: tuple[str, ...] = ()
    """What disables or downgrades part of the managed ruleset (a category or a rule turned off
    or to another action than block, some of its rules skipped)."""

    @property
    def enforced(self) -> bool:
        return self.executed and not self.log_only and not self.weakened
