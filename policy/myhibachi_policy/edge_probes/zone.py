"""A zone's entrypoint rulesets by phase, read from `cloudflare:index/ruleset:Ruleset` props.

Only `kind: "zone"` rulesets are a zone's entrypoints (one per phase). Everything a verdict
needs is checked here, so a phase is either a list of enabled rules with parsed expressions,
or a reason it cannot be evaluated: an unknown value (preview), two entrypoints for one phase,
an expression outside the supported subset. A disabled rule (`enabled: false`) is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..helpers import MISSING, UNKNOWN, as_bool, as_str, elements, get, is_unknown
from ..rules_language import Expression, UnsupportedExpressionError, parse

CACHE_PHASE = "http_request_cache_settings"
RATELIMIT_PHASE = "http_ratelimit"
MANAGED_WAF_PHASE = "http_request_firewall_managed"
CUSTOM_RULES_PHASE = "http_request_firewall_custom"
URL_REWRITE_PHASE = "http_request_transform"


class CannotEvaluateError(Exception):
    """A phase (or a rule's parameters) cannot be simulated; the message says why."""


@dataclass(frozen=True)
class Rule:
    """An enabled rule of an entrypoint ruleset, with its expression parsed."""

    phase: str
    index: int
    ref: str | None
    action: str | None
    expression: Expression
    props: Any

    def __str__(self) -> str:
        ref = f" ({self.ref})" if self.ref else ""
        return f"rules[{self.index}]{ref} of the {self.phase} ruleset"

    def parameter(self, path: str) -> Any:
        """A rule property (`actionParameters.cache`); `CannotEvaluateError` when unknown."""
        value = get(self.props, path)
        if value is UNKNOWN:
            raise CannotEvaluateError(f"{self}: {path} is unknown until the update runs")
        return value

    def whole_number(self, path: str) -> int | None:
        """A numeric parameter as an int (engine numbers arrive as floats); None if absent."""
        value = self.parameter(path)
        if value is MISSING:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
            return int(value)
        raise CannotEvaluateError(f"{self}: {path} is not a whole number")


def parsed(text: Any, where: str) -> Expression:
    """A rule expression, or `CannotEvaluateError` naming the rule and the unsupported construct."""
    if is_unknown(text):
        raise CannotEvaluateError(f"{where}: the expression is unknown until the update runs")
    if not isinstance(text, str):
        raise CannotEvaluateError(f"{where}: the expression is missing")
    try:
        return parse(text)
    except UnsupportedExpressionError as error:
        raise CannotEvaluateError(f"{where}: {error}") from None


class Zone:
    """The entrypoint rulesets of one zone, by phase."""

    def __init__(self, rulesets: Iterable[Any], *, zone_id: str | None = None) -> None:
        self._by_phase: dict[str, list[Any]] = {}
        self._undecidable: dict[str, str] = {}
        self._everywhere: str | None = None
        for number, props in enumerate(rulesets):
            phase, kind, zone = get(props, "phase"), get(props, "kind"), get(props, "zoneId")
            if is_unknown(phase) or not isinstance(phase, str):
                self._everywhere = f"ruleset #{number + 1}'s phase is unknown"
            elif kind == "root":
                # Account-level entrypoints run before the zone's, on every zone of the account.
                self._undecidable[phase] = f"an account-level {phase} ruleset is not simulated"
            elif is_unknown(kind) or kind is MISSING:
                self._undecidable[phase] = f"a {phase} ruleset's kind is unknown"
            elif kind != "zone":
                continue  # custom and managed rulesets run only where a rule executes them
            elif zone_id is not None and is_unknown(zone):
                self._undecidable[phase] = f"a {phase} ruleset's zone is unknown"
            elif zone_id is None or zone == zone_id:
                self._by_phase.setdefault(phase, []).append(props)

    def rules(self, phase: str) -> list[Rule]:
        """The phase's enabled rules in order ([] without an entrypoint).

        Raises `CannotEvaluateError` when the phase cannot be simulated.
        """
        if self._everywhere is not None:
            raise CannotEvaluateError(self._everywhere)
        if phase in self._undecidable:
            raise CannotEvaluateError(self._undecidable[phase])
        entrypoints = self._by_phase.get(phase, [])
        if len(entrypoints) > 1:
            raise CannotEvaluateError(
                f"{len(entrypoints)} rulesets declare the zone's {phase} entrypoint, "
                "which Cloudflare allows once per zone"
            )
        if not entrypoints:
            return []
        [props] = entrypoints
        raw_rules = get(props, "rules")
        if is_unknown(raw_rules):
            raise CannotEvaluateError(
                f"the {phase} ruleset's rules are unknown until the update runs"
            )
        return [rule for rule in _rules(phase, elements(raw_rules)) if rule is not None]


def _rules(phase: str, raw_rules: Sequence[Any]) -> Iterable[Rule | None]:
    for index, raw in enumerate(raw_rules):
        where = f"rules[{index}] of the {phase} ruleset"
        if is_unknown(raw):
            raise CannotEvaluateError(f"{where} is unknown until the update runs")
        enabled = as_bool(get(raw, "enabled"), True)
        if enabled is None:
            raise CannotEvaluateError(f"{where}: enabled is unknown until the update runs")
        if not enabled:
            yield None
            continue
        ref = as_str(get(raw, "ref"))
        if ref:
            where = f"rules[{index}] ({ref}) of the {phase} ruleset"
        action = get(raw, "action")
        if is_unknown(action):
            raise CannotEvaluateError(f"{where}: the action is unknown until the update runs")
        expression = parsed(get(raw, "expression"), where)
        yield Rule(phase, index, ref, as_str(action), expression, raw)
