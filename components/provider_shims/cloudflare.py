"""`pulumi_cloudflare`'s DnsRecord, Ruleset and ZoneSetting, and the rule shapes a Ruleset takes.

The rule shapes are the generated `...ArgsDict` TypedDicts, limited to the fields the edge sets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict, Unpack

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


class _DnsRecordInputs(TypedDict):
    zone_id: pulumi.Input[str]
    name: pulumi.Input[str]
    type: pulumi.Input[str]
    ttl: pulumi.Input[float]
    content: NotRequired[pulumi.Input[str]]
    proxied: NotRequired[pulumi.Input[bool]]
    comment: NotRequired[pulumi.Input[str]]


class DnsRecord(ProviderResource):
    """`cloudflare.DnsRecord`: one DNS record in a zone."""

    type_token = "cloudflare:index/dnsRecord:DnsRecord"
    package = GENERATED_MODULE
    # The generated class keeps the alias of the type this one replaced.
    renamed_from = ("cloudflare:index/record:Record",)

    comment: pulumi.Output[str | None]
    content: pulumi.Output[str]
    name: pulumi.Output[str]
    proxied: pulumi.Output[bool]
    ttl: pulumi.Output[float]
    type: pulumi.Output[str]
    zone_id: pulumi.Output[str]
    # Computed by the provider.
    comment_modified_on: pulumi.Output[str]
    created_on: pulumi.Output[str]
    meta: pulumi.Output[str]
    modified_on: pulumi.Output[str]
    proxiable: pulumi.Output[bool]
    tags_modified_on: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_DnsRecordInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)


class _RulesetInputs(TypedDict):
    name: pulumi.Input[str]
    kind: pulumi.Input[str]
    phase: pulumi.Input[str]
    zone_id: NotRequired[pulumi.Input[str]]
    rules: NotRequired[pulumi.Input[Sequence[pulumi.Input[RulesetRuleArgsDict]]]]
    description: NotRequired[pulumi.Input[str]]


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

    description: pulumi.Output[str]
    kind: pulumi.Output[str]
    name: pulumi.Output[str]
    phase: pulumi.Output[str]
    rules: pulumi.Output[Sequence[Mapping[str, Any]]]
    zone_id: pulumi.Output[str | None]
    # Computed by the provider.
    last_updated: pulumi.Output[str]
    version: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_RulesetInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)


class _ZoneSettingInputs(TypedDict):
    zone_id: pulumi.Input[str]
    setting_id: pulumi.Input[str]
    value: Any


class ZoneSetting(ProviderResource):
    """`cloudflare.ZoneSetting`: one zone setting, `value` in the Cloudflare API's own shape."""

    type_token = "cloudflare:index/zoneSetting:ZoneSetting"
    package = GENERATED_MODULE

    setting_id: pulumi.Output[str]
    value: pulumi.Output[Any]
    zone_id: pulumi.Output[str]
    # Computed by the provider.
    editable: pulumi.Output[bool]
    modified_on: pulumi.Output[str]
    time_remaining: pulumi.Output[float]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_ZoneSettingInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)
