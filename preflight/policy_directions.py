"""Which way each policy config property loosens the policy: how preflight knows "laxer".

A policy config property is a floor, a ceiling, a list, a switch or a name. Its name alone says
which (the pack uses each name with one meaning across policies), so the table is by name; a
test fails when a policy's schema has a property this table does not list.

| direction       | laxer when                                   | examples                       |
| --------------- | -------------------------------------------- | ------------------------------ |
| `floor`         | lowered, or removed                          | minRetainedBackups, minMaxAge  |
| `ceiling`       | raised, or removed                           | maxRotationDays, latencyP95Ms  |
| `allow_list`    | an element added                             | approvedServices, waivers      |
| `required_list` | an element removed                           | requiredOnFlags, loginPaths    |
| `required_map`  | an entry removed or changed                  | requiredTerms                  |
| `switch`        | turned from true to false                    | managedWafRequired             |
| `ordered`       | moved down its scale (`ORDERED_SCALES`)      | minLogLevel                    |
| `name`          | never judged: a changed name is listed only  | sessionCookie                  |

Rate limits read "at most maxRequests per periodSeconds": a longer period with the same count
is stricter, so `periodSeconds` is a floor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, Literal

Direction = Literal[
    "floor", "ceiling", "allow_list", "required_list", "required_map", "switch", "ordered", "name"
]
Verdict = Literal["weaker", "stricter", "changed"]

DIRECTIONS: Final[dict[str, Direction]] = {
    # Numbers
    "minRetainedBackups": "floor",
    "minRetentionDays": "floor",
    "minMaxAge": "floor",
    "periodSeconds": "floor",
    "apiPeriodSeconds": "floor",
    "maxRotationDays": "ceiling",
    "maxRequests": "ceiling",
    "apiMaxRequests": "ceiling",
    "latencyP95Ms": "ceiling",
    "maxDurationSeconds": "ceiling",
    "maxErrorRatePercent": "ceiling",
    "slowQueryMs": "ceiling",
    # What a policy accepts
    "supportedVersions": "allow_list",
    "scopes": "allow_list",
    "approvedServices": "allow_list",
    "allowedPublicNames": "allow_list",
    "metricTypes": "allow_list",
    "serverOnlyServices": "allow_list",
    "allowedGroups": "allow_list",
    "allowedDomains": "allow_list",
    "projectNumbers": "allow_list",
    "allowedPublicGrants": "allow_list",
    "pagingChannelTypes": "allow_list",
    "waivers": "allow_list",
    # What a policy requires or probes
    "requiredOnFlags": "required_list",
    "postponedFlags": "required_list",
    "gradualRolloutFlags": "required_list",
    "requiredLabels": "required_list",
    "loginPaths": "required_list",
    "twoFactorPaths": "required_list",
    "staticPathPrefixes": "required_list",
    "requiredServices": "required_list",
    "criticalMetricTypes": "required_list",
    "requiredTerms": "required_map",
    # Switches that make a policy judge at all
    "ownsZoneSettings": "switch",
    "ownsZoneRulesets": "switch",
    "managedWafRequired": "switch",
    "requireLocked": "switch",
    # Scales
    "minLogLevel": "ordered",
    # Names: which cookie, which ruleset
    "sessionCookie": "name",
    "managedRulesetId": "name",
}

ORDERED_SCALES: Final[dict[str, tuple[str, ...]]] = {
    "minLogLevel": ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
}

LEVEL_RANK: Final[dict[str, int]] = {"disabled": 0, "advisory": 1, "remediate": 2, "mandatory": 3}


def judge_level(old: str, new: str) -> tuple[Verdict, str]:
    """A level change: lower is weaker (disabled < advisory < remediate < mandatory)."""
    if LEVEL_RANK.get(new, 0) < LEVEL_RANK.get(old, 0):
        return "weaker", "a lower enforcement level"
    if LEVEL_RANK.get(new, 0) > LEVEL_RANK.get(old, 0):
        return "stricter", "a higher enforcement level"
    return "changed", "another enforcement level"


def judge_property(name: str, old: Any, new: Any) -> tuple[Verdict, str]:
    """Whether `old` -> `new` loosens the property `name` (None: absent), and why, briefly."""
    direction = DIRECTIONS.get(name)
    if direction is None:
        return "changed", "not judged (no direction in preflight/policy_directions.py)"
    if new is None:
        if direction in ("floor", "ceiling", "required_list", "required_map", "switch"):
            return "weaker", "removed: nothing is required in its place"
        return "changed", "removed"
    if old is None:
        return "changed", "added"
    match direction:
        case "floor":
            return _numbers(old, new, laxer_when_lower=True)
        case "ceiling":
            return _numbers(old, new, laxer_when_lower=False)
        case "allow_list":
            return _lists(old, new, laxer_when="added", noun="accepts")
        case "required_list":
            return _lists(old, new, laxer_when="removed", noun="requires")
        case "required_map":
            return _maps(old, new)
        case "switch":
            if old is True and new is False:
                return "weaker", "turned off"
            if old is False and new is True:
                return "stricter", "turned on"
            return "changed", "changed"
        case "ordered":
            scale = ORDERED_SCALES[name]
            if old in scale and new in scale:
                if scale.index(new) < scale.index(old):
                    return "weaker", f"lower on {' < '.join(scale)}"
                return "stricter", f"higher on {' < '.join(scale)}"
            return "changed", "not on its scale"
        case "name":
            return "changed", "another name (not judged)"
    return "changed", "changed"  # pragma: no cover (every direction is matched above)


def _numbers(old: Any, new: Any, *, laxer_when_lower: bool) -> tuple[Verdict, str]:
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (old, new)):
        return "changed", "changed"
    lowered = new < old
    if lowered == laxer_when_lower:
        return "weaker", "a lower floor" if laxer_when_lower else "a higher ceiling"
    return "stricter", "a higher floor" if laxer_when_lower else "a lower ceiling"


def _lists(old: Any, new: Any, *, laxer_when: str, noun: str) -> tuple[Verdict, str]:
    if not isinstance(old, Sequence) or not isinstance(new, Sequence):
        return "changed", "changed"
    added = [item for item in new if item not in old]
    removed = [item for item in old if item not in new]
    laxer = added if laxer_when == "added" else removed
    if laxer:
        return "weaker", f"{noun} {'more' if laxer_when == 'added' else 'less'}"
    if added or removed:
        return "stricter", f"{noun} {'less' if laxer_when == 'added' else 'more'}"
    return "changed", "reordered"


def _maps(old: Any, new: Any) -> tuple[Verdict, str]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return "changed", "changed"
    dropped = [key for key in old if key not in new or new[key] != old[key]]
    if dropped:
        return "weaker", "no longer requires " + ", ".join(f"{k}={old[k]}" for k in dropped)
    return "stricter", "requires more"
