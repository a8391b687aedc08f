"""How Cloudflare applies a zone's entrypoint rulesets to one request, phase by phase.

Phases run in Cloudflare's order; what this simulation takes from the earlier ones:
- URL Rewrite Rules (`http_request_transform`) run before every phase simulated here. A
  rewrite of the probe's URI changes what later phases see, so their verdict for that probe is
  "could not evaluate" rather than a guess.
- Custom rules (`http_request_firewall_custom`) run before rate limiting and the managed WAF:
  a matching `skip` rule whose `actionParameters.phases` names a phase takes the probe out of
  it; a matching `skip` of the `current` ruleset or a terminating action ends custom rules.

Within a phase, rules run in order and disabled rules are ignored:
- cache rules (`set_cache_settings`) stack: each matching rule applies its settings in order,
  a later rule's value for a setting (`cache`, `edgeTtl`, ...) replacing an earlier one's;
  Cloudflare caches only GET responses, and without an eligibility rule only its default
  cacheable file extensions;
- every matching rate-limit rule counts the request independently;
- managed WAF rules run in order until a `skip` of the rest of the ruleset; an `execute` rule
  runs the managed ruleset it names unless an earlier matching `skip` listed that ruleset.

What is not simulated makes the phase "could not evaluate" instead of being ignored: an
account-level (`root`) entrypoint for the phase, a custom rule that executes another ruleset.
Workers, Page Rules and the legacy firewall are outside the rulesets and not considered (the
pack refuses the last two outright, and has no policy for Workers, so they are a finding). The
simulation assumes the request reaches Cloudflare, i.e. that its host is proxied.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from ..helpers import MISSING, as_bool, as_str, elements, entries, get, is_unknown
from .probes import Probe
from .verdicts import (
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
    CannotEvaluateError,
    Rule,
    Zone,
    parsed,
)

DEFAULT_CACHED_EXTENSIONS: Final = frozenset(
    ("7z", "avi", "avif", "apk", "bin", "bmp", "bz2", "class", "css", "csv", "doc", "docx",
     "dmg", "ejs", "eot", "eps", "exe", "flac", "gif", "gz", "ico", "iso", "jar", "jpeg", "jpg",
     "js", "mid", "midi", "mkv", "mp3", "mp4", "ogg", "otf", "pdf", "pict", "pls", "png", "ppt",
     "pptx", "ps", "rar", "svg", "svgz", "swf", "tar", "tif", "tiff", "ttf", "webm", "webp",
     "woff", "woff2", "xls", "xlsx", "zip", "zst")
)  # fmt: skip
"""Extensions Cloudflare caches without a cache rule (its "default cached file extensions")."""

_TERMINATING: Final = frozenset({"block", "challenge", "js_challenge", "managed_challenge"})


class EdgeSimulation:
    """The entrypoint rulesets of one zone, ready to judge probes.

    `rulesets` are `cloudflare:index/ruleset:Ruleset` property maps (engine names: `phase`,
    `kind`, `zoneId`, `rules`); with `zone_id`, rulesets of other zones are ignored.
    """

    def __init__(self, rulesets: Iterable[Any], *, zone_id: str | None = None) -> None:
        self._zone = Zone(rulesets, zone_id=zone_id)

    # --- what earlier phases do to the probe ---------------------------------------------------

    def _reaches(self, probe: Probe, phase: str) -> str | None:
        """Why the probe never reaches `phase` unchanged (None when it does)."""
        for rule in self._zone.rules(URL_REWRITE_PHASE):
            if (
                rule.action == "rewrite"
                and rule.expression.matches(probe.fields())
                and rule.parameter("actionParameters.uri") is not MISSING
            ):
                raise CannotEvaluateError(f"{rule} rewrites this request's URI before {phase}")
        if phase == CACHE_PHASE:
            return None
        for rule in self._zone.rules(CUSTOM_RULES_PHASE):
            if not rule.expression.matches(probe.fields()):
                continue
            if rule.action == "skip":
                phases = rule.parameter("actionParameters.phases")
                if is_unknown(phases) or any(is_unknown(item) for item in elements(phases)):
                    raise CannotEvaluateError(f"{rule}: the phases it skips are unknown")
                if phase in elements(phases):
                    return f"{rule} skips the {phase} phase for this request"
                if as_str(rule.parameter("actionParameters.ruleset")) == "current":
                    return None
            elif rule.action in _TERMINATING:
                return None
            elif rule.action == "execute":
                raise CannotEvaluateError(f"{rule} runs another ruleset, which is not simulated")
        return None

    # --- cache rules ---------------------------------------------------------------------------

    def cache(self, probe: Probe) -> CacheVerdict:
        """Whether the edge may store the response to `probe`, and for how long."""
        try:
            return self._cache(probe)
        except CannotEvaluateError as reason:
            return CacheVerdict(probe, None, str(reason))

    def _cache(self, probe: Probe) -> CacheVerdict:
        self._reaches(probe, CACHE_PHASE)
        settings: dict[str, tuple[Rule, Any]] = {}
        matched: list[str] = []
        for rule in self._zone.rules(CACHE_PHASE):
            if rule.action != "set_cache_settings":
                raise CannotEvaluateError(
                    f"{rule}: the action {rule.action!r} is not a cache rule's"
                )
            if not rule.expression.matches(probe.fields()):
                continue
            matched.append(str(rule))
            parameters = rule.parameter("actionParameters")
            for key in entries(parameters):
                value = rule.parameter(f"actionParameters.{key}")
                if value is not MISSING:  # null: the rule leaves this setting alone
                    settings[key] = (rule, value)
        verdict = _CacheSettings(probe, settings, tuple(matched))
        return verdict.verdict()

    # --- rate limiting -------------------------------------------------------------------------

    def rate_limits(self, probe: Probe) -> RateLimitVerdict:
        """Every enabled `http_ratelimit` rule that matches `probe`, with its limit."""
        try:
            return self._rate_limits(probe)
        except CannotEvaluateError as reason:
            return RateLimitVerdict(probe, False, str(reason))

    def _rate_limits(self, probe: Probe) -> RateLimitVerdict:
        rules = self._zone.rules(RATELIMIT_PHASE)
        skipped = self._reaches(probe, RATELIMIT_PHASE)
        if skipped is not None:
            return RateLimitVerdict(probe, True, skipped)
        matches = tuple(
            _rate_limit(rule, probe) for rule in rules if rule.expression.matches(probe.fields())
        )
        if not matches:
            return RateLimitVerdict(probe, True, "no rate-limit rule matches this request")
        listed = "; ".join(str(match) for match in matches)
        return RateLimitVerdict(probe, True, f"matched by {listed}", matches)

    # --- managed WAF ---------------------------------------------------------------------------

    def managed_waf(self, probe: Probe, ruleset_id: str) -> ManagedWafVerdict:
        """Whether `probe` runs through the managed ruleset `ruleset_id` (e.g. Cloudflare's)."""
        try:
            return self._managed_waf(probe, ruleset_id)
        except CannotEvaluateError as reason:
            return ManagedWafVerdict(probe, False, str(reason))

    def _managed_waf(self, probe: Probe, ruleset_id: str) -> ManagedWafVerdict:
        rules = self._zone.rules(MANAGED_WAF_PHASE)
        skipped = self._reaches(probe, MANAGED_WAF_PHASE)
        if skipped is not None:
            return ManagedWafVerdict(probe, True, skipped)
        skipped_by: Rule | None = None
        partly_skipped: list[str] = []
        for rule in rules:
            if not rule.expression.matches(probe.fields()):
                continue
            if rule.action == "skip":
                if as_str(rule.parameter("actionParameters.ruleset")) == "current":
                    return ManagedWafVerdict(probe, True, f"{rule} skips the rest of the phase")
                listed = rule.parameter("actionParameters.rulesets")
                if is_unknown(listed) or any(is_unknown(item) for item in elements(listed)):
                    raise CannotEvaluateError(f"{rule}: the rulesets it skips are unknown")
                if ruleset_id in elements(listed):
                    skipped_by = rule
                if _skips_rules_of(rule, ruleset_id):
                    partly_skipped.append(f"{rule} skips some of its rules")
                continue
            if rule.action != "execute" or rule.parameter("actionParameters.id") != ruleset_id:
                continue
            if skipped_by is not None:
                return ManagedWafVerdict(probe, True, f"{skipped_by} skips the managed ruleset")
            return _executed(probe, rule, partly_skipped)
        return ManagedWafVerdict(probe, True, "no enabled rule executes the managed ruleset")


def _skips_rules_of(rule: Rule, ruleset_id: str) -> bool:
    """Whether a skip rule names rules of the ruleset (`actionParameters.rules`: ruleset id to
    rule ids)."""
    listed = rule.parameter("actionParameters.rules")
    if is_unknown(listed):
        raise CannotEvaluateError(f"{rule}: the rules it skips are unknown")
    return ruleset_id in entries(listed)


# The managed rules' own action is block (or their documented default); an override to anything
# else (log, skip, a challenge) lets matching attacks through.
_KEPT_OVERRIDE_ACTIONS: Final = frozenset({"block"})


def _override_weakens(rule: Rule, path: str, item: Any) -> str | None:
    """What one override (the whole ruleset's, a category's or a rule's) switches off or
    downgrades; None when it keeps it blocking. Unknown values cannot be evaluated."""
    for key in ("enabled", "action", "sensitivityLevel"):
        value = get(item, key)
        if is_unknown(value):
            raise CannotEvaluateError(f"{rule}: {path}.{key} is unknown until the update runs")
    enabled = get(item, "enabled")
    if enabled is not MISSING and enabled is not None:
        flag = as_bool(enabled)
        if flag is None:
            raise CannotEvaluateError(f"{rule}: {path}.enabled is not a boolean")
        if not flag:
            return f"{path} turns managed rules off"
    action = get(item, "action")
    if action is not MISSING and action is not None and action not in _KEPT_OVERRIDE_ACTIONS:
        return f"{path} sets managed rules' action to {action!r}"
    if get(item, "sensitivityLevel") == "eoff":
        return f"{path} sets the sensitivity to eoff (essentially off)"
    return None


def _executed(
    probe: Probe, rule: Rule, partly_skipped: list[str] | None = None
) -> ManagedWafVerdict:
    overrides_path = "actionParameters.overrides"
    overrides = rule.parameter(overrides_path)
    enabled = rule.parameter(f"{overrides_path}.enabled")
    if as_bool(enabled, True) is False:
        return ManagedWafVerdict(probe, True, f"{rule} disables every managed rule", rule=str(rule))
    action = as_str(rule.parameter(f"{overrides_path}.action"))
    if action == "log":
        return ManagedWafVerdict(
            probe, True, f"{rule} runs it in log-only mode", True, True, str(rule)
        )
    weakened = list(partly_skipped or [])
    if overrides is not MISSING and overrides is not None:
        found = _override_weakens(rule, overrides_path, overrides)
        if found:
            weakened.append(found)
    for key in ("categories", "rules"):
        listed = rule.parameter(f"{overrides_path}.{key}")
        for index, item in enumerate(elements(listed)):
            if is_unknown(item):
                raise CannotEvaluateError(f"{rule}: {overrides_path}.{key}[{index}] is unknown")
            found = _override_weakens(rule, f"{overrides_path}.{key}[{index}]", item)
            if found:
                weakened.append(found)
    if weakened:
        return ManagedWafVerdict(
            probe,
            True,
            f"{rule} executes it weakened: {'; '.join(weakened)}",
            True,
            False,
            str(rule),
            tuple(weakened),
        )
    return ManagedWafVerdict(probe, True, f"{rule} executes it", True, False, str(rule))


def _rate_limit(rule: Rule, probe: Probe) -> RateLimitRule:
    counting = rule.parameter("ratelimit.countingExpression")
    counts = True
    if isinstance(counting, str) and counting.strip():
        counts = parsed(counting, f"{rule} (counting expression)").matches(probe.fields())
    characteristics = rule.parameter("ratelimit.characteristics")
    if any(is_unknown(item) for item in elements(characteristics)):
        raise CannotEvaluateError(f"{rule}: ratelimit.characteristics is unknown")
    return RateLimitRule(
        rule=str(rule),
        action=rule.action or "",
        requests_per_period=rule.whole_number("ratelimit.requestsPerPeriod"),
        period_seconds=rule.whole_number("ratelimit.period"),
        mitigation_timeout_seconds=rule.whole_number("ratelimit.mitigationTimeout"),
        characteristics=tuple(str(item) for item in elements(characteristics)),
        counts_probe=counts,
    )


class _CacheSettings:
    """The merged settings of the matching cache rules, turned into a verdict."""

    def __init__(
        self, probe: Probe, settings: dict[str, tuple[Rule, Any]], matched: tuple[str, ...]
    ) -> None:
        self.probe = probe
        self.settings = settings
        self.matched = matched

    def verdict(self) -> CacheVerdict:
        probe = self.probe
        eligible: bool | None = None
        decided_by = ""
        if "cache" in self.settings:
            rule, value = self.settings["cache"]
            eligible = as_bool(value)
            if eligible is None:
                raise CannotEvaluateError(f"{rule}: actionParameters.cache is not a boolean")
            decided_by = str(rule)
        if eligible is False:
            return self._verdict(CacheOutcome.BYPASSED, f"{decided_by} turns caching off")
        if probe.method.upper() != "GET":
            return self._verdict(CacheOutcome.NOT_CACHED, "Cloudflare caches GET requests only")
        if eligible:
            mode, seconds = self._edge_ttl()
            ttl = f"edge TTL {seconds} s" if seconds is not None else "edge TTL from the origin"
            return self._verdict(
                CacheOutcome.CACHED,
                f"{decided_by} makes it eligible for cache ({ttl})",
                mode,
                seconds,
            )
        extension = str(probe.fields()["http.request.uri.path.extension"])
        if extension in DEFAULT_CACHED_EXTENSIONS:
            return self._verdict(
                CacheOutcome.CACHED_BY_DEFAULT,
                f"no cache rule decides, and Cloudflare caches .{extension} files by default",
            )
        return self._verdict(
            CacheOutcome.NOT_CACHED,
            "no cache rule makes it eligible, and Cloudflare does not cache it by default",
        )

    def _verdict(
        self,
        outcome: CacheOutcome,
        reason: str,
        mode: str | None = None,
        seconds: int | None = None,
    ) -> CacheVerdict:
        return CacheVerdict(self.probe, outcome, reason, mode, seconds, self.matched)

    def _edge_ttl(self) -> tuple[str | None, int | None]:
        if "edgeTtl" not in self.settings:
            return None, None
        rule, _ = self.settings["edgeTtl"]
        mode = as_str(rule.parameter("actionParameters.edgeTtl.mode"))
        if mode != "override_origin":
            return mode, None
        return mode, rule.whole_number("actionParameters.edgeTtl.default")
