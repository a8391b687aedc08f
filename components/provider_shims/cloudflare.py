"""`pulumi_cloudflare`'s DnsRecord, Ruleset and ZoneSetting, the rule shapes a Ruleset takes, and
the `getZone` invoke that finds a zone by its name.

The rule shapes and the zone filter are the generated `...ArgsDict` TypedDicts, and the zone
lookup's result the generated `GetZoneResult`, limited to the fields the edge uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict, Unpack

import pulumi

from components.provider_shims.resource import ProviderResource, plugin_of

GENERATED_MODULE = "pulumi_cloudflare"
# The provider's token for `get_zone` / `get_zone_output` (Terraform's `data "cloudflare_zone"`).
GET_ZONE_TOKEN = "cloudflare:index/getZone:getZone"


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


class GetZoneFilterArgsDict(TypedDict):
    """How `getZone` finds one zone: `match` is `all` (every given field must match) or `any`."""

    match: str
    name: NotRequired[str]


@pulumi.output_type
class GetZoneResult:
    """The zone `getZone` found (it fails unless exactly one matches): its id under both names
    the provider returns it by, its name and status."""

    id: str = pulumi.property("id")
    name: str = pulumi.property("name")
    status: str = pulumi.property("status")
    zone_id: str = pulumi.property("zoneId")


def get_zone_output(
    filter: pulumi.Input[GetZoneFilterArgsDict] | None = None,
    zone_id: pulumi.Input[str] | None = None,
    opts: pulumi.InvokeOptions | pulumi.InvokeOutputOptions | None = None,
) -> pulumi.Output[GetZoneResult]:
    """`cloudflare.get_zone_output`: one zone, by id or by a filter (its name), at preview and
    deploy time alike. The provider lists zones with `GET /zones?name=...` (Zone:Read).

    Sends the request the generated function sends: the same token and engine argument names,
    and the provider's version and plugin download URL as invoke defaults under the caller's
    options.
    """
    version, download_url = plugin_of(GENERATED_MODULE)
    defaults = pulumi.InvokeOptions(version=version, plugin_download_url=download_url)
    merged = pulumi.InvokeOutputOptions.merge(defaults, opts)
    args = {"filter": filter, "zoneId": zone_id}
    found: pulumi.Output[GetZoneResult] = pulumi.runtime.invoke_output(
        GET_ZONE_TOKEN, args, opts=merged, typ=GetZoneResult
    )
    return found
