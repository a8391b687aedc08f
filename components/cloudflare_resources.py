"""The three pulumi-cloudflare 6.23.1 resources the edge uses, without importing pulumi_cloudflare.

Why: `import pulumi_cloudflare` executes its package `__init__`, which imports every one of its
~780 modules and a 4.6 MB `_inputs.py` (about 3.5 s here), and `pulumi_cloudflare.ruleset`
cannot be imported without that `__init__`. The offline preview and every test run would pay
that for three resource types.

What the real CLI sees is identical to the generated classes, because a Python resource class
is only a front end to the same `RegisterResource` request:
- the type tokens `cloudflare:index/dnsRecord:DnsRecord`, `cloudflare:index/ruleset:Ruleset`
  and `cloudflare:index/zoneSetting:ZoneSetting` select the provider (`cloudflare`) and the
  resource, exactly as the generated classes pass them to `CustomResource.__init__`;
- `version` is the package's version (6.23.1, as `pulumi_cloudflare._utilities.get_version()`
  returns) and no plugin download URL, as the generated `get_resource_opts_defaults()` sets,
  so the engine loads the same provider plugin;
- properties are sent under their engine (camelCase) names, which the generated input types
  produce from snake_case; dynamic values (a zone setting's `value`) pass through untranslated
  in both, so they use the Cloudflare API's own (snake_case) field names;
- DnsRecord keeps the generated class's alias to `cloudflare:index/record:Record`; none of the
  three declares additional secret outputs or replace-on-changes.
`tests/components/test_edge.py` registers each class next to the generated one under the mock
runtime and compares the requests field by field, so an upgrade that changes any of this fails.
Upgrading pulumi-cloudflare means bumping `PACKAGE_VERSION` (the test compares it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

PACKAGE_VERSION = "6.23.1"

Json = Mapping[str, Any]


def _options(opts: pulumi.ResourceOptions | None, **extra: Any) -> pulumi.ResourceOptions:
    defaults = pulumi.ResourceOptions(version=PACKAGE_VERSION, plugin_download_url=None)
    merged = pulumi.ResourceOptions.merge(defaults, opts)
    if extra:
        merged = pulumi.ResourceOptions.merge(merged, pulumi.ResourceOptions(**extra))
    return merged


class DnsRecord(pulumi.CustomResource):
    """`cloudflare.DnsRecord`: one DNS record in a zone."""

    def __init__(
        self,
        resource_name: str,
        *,
        zone_id: pulumi.Input[str],
        name: pulumi.Input[str],
        type: pulumi.Input[str],
        content: pulumi.Input[str],
        ttl: pulumi.Input[float],
        proxied: pulumi.Input[bool],
        comment: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "comment": comment,
            "content": content,
            "data": None,
            "includeShadowMetadata": None,
            "name": name,
            "priority": None,
            "privateRouting": None,
            "proxied": proxied,
            "settings": None,
            "tags": None,
            "ttl": ttl,
            "type": type,
            "zoneId": zone_id,
            # Provider-computed outputs, declared as the generated class declares them.
            "commentModifiedOn": None,
            "createdOn": None,
            "meta": None,
            "modifiedOn": None,
            "proxiable": None,
            "tagsModifiedOn": None,
        }
        super().__init__(
            "cloudflare:index/dnsRecord:DnsRecord",
            resource_name,
            props,
            _options(opts, aliases=[pulumi.Alias(type_="cloudflare:index/record:Record")]),
        )


class Ruleset(pulumi.CustomResource):
    """`cloudflare.Ruleset`: a zone's entrypoint ruleset for one phase.

    `rules` are engine-shaped dicts (camelCase keys, as `rule()` builds them).
    """

    def __init__(
        self,
        resource_name: str,
        *,
        zone_id: pulumi.Input[str],
        name: pulumi.Input[str],
        kind: pulumi.Input[str],
        phase: pulumi.Input[str],
        rules: Sequence[Json],
        description: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "accountId": None,
            "description": description,
            "kind": kind,
            "name": name,
            "phase": phase,
            "rules": [dict(r) for r in rules],
            "zoneId": zone_id,
            "lastUpdated": None,
            "version": None,
        }
        super().__init__("cloudflare:index/ruleset:Ruleset", resource_name, props, _options(opts))


class ZoneSetting(pulumi.CustomResource):
    """`cloudflare.ZoneSetting`: one zone setting (`value` in the Cloudflare API's shape)."""

    def __init__(
        self,
        resource_name: str,
        *,
        zone_id: pulumi.Input[str],
        setting_id: pulumi.Input[str],
        value: Any,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "enabled": None,
            "settingId": setting_id,
            "value": value,
            "zoneId": zone_id,
            "editable": None,
            "modifiedOn": None,
            "timeRemaining": None,
        }
        super().__init__(
            "cloudflare:index/zoneSetting:ZoneSetting", resource_name, props, _options(opts)
        )


def rule(
    *,
    ref: str,
    description: str,
    expression: str,
    action: str,
    action_parameters: Json | None = None,
    ratelimit: Json | None = None,
) -> dict[str, Any]:
    """One ruleset rule in engine shape. `ref` keeps the rule's identity stable across edits."""
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
