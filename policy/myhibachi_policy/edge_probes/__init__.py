"""Simulated requests ("probes") through a zone's Cloudflare rulesets, and what happens to them.

`EdgeSimulation(ruleset_props, zone_id=...)` takes the zone's `Ruleset` property maps.
`standard_probes(...)` builds the probes a policy judges from the hosts and paths it is given.
Then, per probe: `cache(probe)` -> `CacheVerdict` (`never_cached`, `cached_by_rule`,
`edge_ttl_seconds`), `rate_limits(probe)` -> `RateLimitVerdict` (`limited_to(10, 60)`),
`managed_waf(probe, ruleset_id)` -> `ManagedWafVerdict` (`enforced`). Every verdict has
`evaluated` and `reason`: a phase that cannot be simulated is never a pass.
"""

from __future__ import annotations

from .probes import Probe, StandardProbes, standard_probes
from .simulation import DEFAULT_CACHED_EXTENSIONS, EdgeSimulation
from .verdicts import (
    BLOCKING_ACTIONS,
    LIMITING_ACTIONS,
    PER_CLIENT,
    CacheOutcome,
    CacheVerdict,
    ManagedWafVerdict,
    RateLimitRule,
    RateLimitVerdict,
)
from .zone import (
    CACHE_PHASE,
    CUSTOM_RULES_PHASE,
    MANAGED_WAF_PHASE,
    RATELIMIT_PHASE,
    URL_REWRITE_PHASE,
)

__all__ = [
    "BLOCKING_ACTIONS",
    "CACHE_PHASE",
    "CUSTOM_RULES_PHASE",
    "DEFAULT_CACHED_EXTENSIONS",
    "LIMITING_ACTIONS",
    "MANAGED_WAF_PHASE",
    "PER_CLIENT",
    "RATELIMIT_PHASE",
    "URL_REWRITE_PHASE",
    "CacheOutcome",
    "CacheVerdict",
    "EdgeSimulation",
    "ManagedWafVerdict",
    "Probe",
    "RateLimitRule",
    "RateLimitVerdict",
    "StandardProbes",
    "standard_probes",
]
