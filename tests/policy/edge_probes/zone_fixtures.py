"""The zone the program declares (captured from the production stack), its hosts and probes,
and edits of it for the bypass cases."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, Final

import pytest

from policy.myhibachi_policy.edge_probes import StandardProbes, standard_probes
from preflight.values import unwrapped
from tests.conftest import captured, stack_document

RULESET = "cloudflare:index/ruleset:Ruleset"
# Cloudflare's public id of the "Cloudflare Managed Ruleset", the same for every account.
CLOUDFLARE_MANAGED_RULESET = "efb7b8c949ac4650a09736fc376e9aee"


def zone_policy() -> dict[str, Any]:
    """`myhibachi:edge.zonePolicy` as the production stack file sets it."""
    policy: dict[str, Any] = stack_document("production")["config"]["myhibachi:edge"]["zonePolicy"]
    return policy


def declared_rulesets() -> list[dict[str, Any]]:
    """The program's rulesets for the zone, as the engine receives them."""
    return [unwrapped(r.inputs) for r in captured("production").by_type(RULESET)]


def probes_for(stack: str) -> StandardProbes:
    """The standard probes for a stack's hosts and the zone policy's paths and cookie."""
    domain = stack_document(stack)["config"]["myhibachi:domain"]
    login, two_factor = zone_policy()["rateLimits"]["auth"]["paths"]
    return standard_probes(
        site_host=domain["site"],
        admin_host=domain["admin"],
        api_host=domain["api"],
        session_cookie=zone_policy()["sessionCookie"],
        login_path=login,
        two_factor_path=two_factor,
    )


def declared_rules(phase: str) -> list[dict[str, Any]]:
    [ruleset] = [r for r in declared_rulesets() if r["phase"] == phase]
    return copy.deepcopy(ruleset["rules"])


def with_rules(phase: str, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The declared rulesets with one phase's rules replaced."""
    rulesets = declared_rulesets()
    for ruleset in rulesets:
        if ruleset["phase"] == phase:
            ruleset["rules"] = rules
    return rulesets


def ruleset(phase: str, rules: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """An entrypoint ruleset of the zone as the engine hands it to policies (camelCase keys),
    from rules in either the engine's shape or the program's snake_case argument shape."""
    return {"kind": "zone", "phase": phase, "rules": engine_shape(list(rules)), "zoneId": "zone"}


def engine_shape(value: Any) -> Any:
    """Keys renamed as the SDK renames argument keys for the engine (`action_parameters` ->
    `actionParameters`); values as they are."""
    if isinstance(value, Mapping):
        return {_camel(str(key)): engine_shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [engine_shape(item) for item in value]
    return value


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def rule(
    *,
    ref: str,
    description: str,
    expression: str,
    action: str,
    action_parameters: Mapping[str, Any] | None = None,
    ratelimit: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One enabled rule in the engine's shape, as a hand-edited ruleset would declare it."""
    built: dict[str, Any] = {
        "action": action,
        "description": description,
        "enabled": True,
        "expression": expression,
        "ref": ref,
    }
    if action_parameters is not None:
        built["actionParameters"] = dict(action_parameters)
    if ratelimit is not None:
        built["ratelimit"] = dict(ratelimit)
    return built


def admin_and_api_hosts() -> str:
    """The admin and API hosts of both stacks, as a Rules language set."""
    hosts = [
        stack_document(stack)["config"]["myhibachi:domain"][role]
        for role in ("admin", "api")
        for stack in ("production", "staging")
    ]
    return "{" + " ".join(f'"{host}"' for host in hosts) + "}"


RATE_LIMIT_EDITS: Final = [
    pytest.param({"action": "log"}, id="log-only"),
    pytest.param({"ratelimit.requestsPerPeriod": 1_000_000}, id="a-million-per-period"),
    pytest.param({"ratelimit.period": 10}, id="ten-per-ten-seconds"),
    pytest.param(
        {"ratelimit.characteristics": ["cf.colo.id", "ip.src", 'http.request.headers["x-id"]']},
        id="per-header",
    ),
    pytest.param(
        {"ratelimit.countingExpression": 'http.request.method eq "GET"'}, id="counts-gets"
    ),
    pytest.param({"enabled": False}, id="disabled"),
]
"""Edits of the login and 2FA rate-limit rule (paths into the rule) that keep its words but let
brute force through: tried on the simulation and on the policy alike."""
