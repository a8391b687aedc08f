"""`pulumi_cloudflare`'s DnsRecord, Ruleset and ZoneSetting, and the rule shapes a Ruleset takes.

The rule shapes are the generated `...ArgsDict` TypedDicts, limited to the fields the edge sets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict

import pulumi

from components.provider_shims.resource import ProviderResource

GENERATED_MODULE = "pulumi_cloudflare"


class RulesetRuleActionParametersEdgeTtlArgsDict(TypedDict):
    mode: pulumi.Input[str]
    default: NotRequired[pulumi.Input[int]]


class RulesetRuleActionParametersBrowserTtlArgsDict(TypedDict):
    mode: pulumi.Input[str]
    default: NotRequired[pulumi.Input[int]]


class RulesetRuleActionParametersArgsDict(TypedDict, total=False):
    browser_ttl: pulumi.Input[RulesetRuleActionParametersBrowserTtlArgsDict]
    cache: pulumi.Input[bool]
    edge_ttl: pulumi.Input[RulesetRuleActionParametersEdgeTtlArgsDict]
    id: pulumi.Input[str]


class RulesetRuleRatelimitArgsDict(TypedDict):
    characteristics: pulumi.Input[Sequence[pulumi.Input[str]]]
    period: pulumi.Input[int]
    mitigation_timeout: NotRequired[pulumi.Input[int]]
    requests_per_period: NotRequired[pulumi.Input[int]]


class RulesetRuleArgsDict(TypedDict):
    action: pulumi.Input[str]
    expression: pulumi.Input[str]
    action_parameters: NotRequired[pulumi.Input[RulesetRuleActionParametersArgsDict]]
    description: NotRequired[pulumi.Input[str]]
    enabled: NotRequired[pulumi.Input[bool]]
    ratelimit: NotRequired[pulumi.Input[RulesetRuleRatelimitArgsDict]]
    ref: NotRequired[pulumi.Input[str]]


class DnsRecord(ProviderResource):
    """`cloudflare.DnsRecord`: one DNS record in a zone."""

    type_token = "cloudflare:index/dnsRecord:DnsRecord"
    package = GENERATED_MODULE

    comment: pulumi.Output[str | None]
    comment_modified_on: pulumi.Output[str]
    content: pulumi.Output[str]
    created_on: pulumi.Output[str]
    data: pulumi.Output[Mapping[str, Any] | None]
    include_shadow_metadata: pulumi.Output[bool]
    meta: pulumi.Output[str]
    modified_on: pulumi.Output[str]
    name: pulumi.Output[str]
    priority: pulumi.Output[float | None]
    private_routing: pulumi.Output[bool | None]
    proxiable: pulumi.Output[bool]
    proxied: pulumi.Output[bool]
    settings: pulumi.Output[Mapping[str, Any]]
    tags: pulumi.Output[Sequence[str]]
    tags_modified_on: pulumi.Output[str]
    ttl: pulumi.Output[float]
    type: pulumi.Output[str]
    zone_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        zone_id: pulumi.Input[str],
        name: pulumi.Input[str],
        type: pulumi.Input[str],
        ttl: pulumi.Input[float],
        content: pulumi.Input[str] | None = None,
        proxied: pulumi.Input[bool] | None = None,
        comment: pulumi.Input[str] | None = None,
    ) -> None:
        inputs = {
            "comment": comment,
            "content": content,
            "name": name,
            "proxied": proxied,
            "ttl": ttl,
            "type": type,
            "zone_id": zone_id,
        }
        # The generated class keeps the alias of the type this one replaced.
        renamed = [pulumi.Alias(type_="cloudflare:index/record:Record")]
        self._register(resource_name, opts, inputs, aliases=renamed)


class Ruleset(ProviderResource):
    """`cloudflare.Ruleset`: a zone's entrypoint ruleset for one phase."""

    type_token = "cloudflare:index/ruleset:Ruleset"
    package = GENERATED_MODULE
    nested_shapes = (
        RulesetRuleArgsDict,
        RulesetRuleActionParametersArgsDict,
        RulesetRuleActionParametersBrowserTtlArgsDict,
        RulesetRuleActionParametersEdgeTtlArgsDict,
        RulesetRuleRatelimitArgsDict,
    )

    account_id: pulumi.Output[str | None]
    description: pulumi.Output[str]
    kind: pulumi.Output[str]
    last_updated: pulumi.Output[str]
    name: pulumi.Output[str]
    phase: pulumi.Output[str]
    rules: pulumi.Output[Sequence[Mapping[str, Any]]]
    version: pulumi.Output[str]
    zone_id: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str],
        kind: pulumi.Input[str],
        phase: pulumi.Input[str],
        zone_id: pulumi.Input[str] | None = None,
        rules: pulumi.Input[Sequence[pulumi.Input[RulesetRuleArgsDict]]] | None = None,
        description: pulumi.Input[str] | None = None,
    ) -> None:
        inputs = {
            "description": description,
            "kind": kind,
            "name": name,
            "phase": phase,
            "rules": rules,
            "zone_id": zone_id,
        }
        self._register(resource_name, opts, inputs)


class ZoneSetting(ProviderResource):
    """`cloudflare.ZoneSetting`: one zone setting, `value` in the Cloudflare API's own shape."""

    type_token = "cloudflare:index/zoneSetting:ZoneSetting"
    package = GENERATED_MODULE

    editable: pulumi.Output[bool]
    enabled: pulumi.Output[bool]
    modified_on: pulumi.Output[str]
    setting_id: pulumi.Output[str]
    time_remaining: pulumi.Output[float]
    value: pulumi.Output[Any]
    zone_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        zone_id: pulumi.Input[str],
        setting_id: pulumi.Input[str],
        value: Any,
    ) -> None:
        inputs = {"setting_id": setting_id, "value": value, "zone_id": zone_id}
        self._register(resource_name, opts, inputs)
