"""A stack's whole config, validated: `Pulumi.<stack>.yaml` in, `StackSettings` out.

The real CLI hands config to the program as strings (objects JSON-encoded); the offline preview
does the same, so both paths go through `load_settings`. Each section is declared once, in the
settings module of the area it feeds; this module only composes them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from settings.api_keys import MapsKeySettings
from settings.api_runtime import ApiSettings
from settings.audit import AuditSettings
from settings.backups import BackupSettings
from settings.cache import CacheSettings
from settings.code_backups import CodeBackupSettings
from settings.database import DatabaseSettings
from settings.domain import DomainSettings
from settings.edge import EdgeSettings
from settings.feature_flags import FeatureFlags
from settings.fields import (
    StackContext,
    boolean,
    keys_of,
    nested,
    read_fields,
    read_one,
    removed,
    section,
    setting,
    text,
)
from settings.frontends import FrontendSettings
from settings.monitoring import AlertSettings
from settings.patterns import GCP_PROJECT, GCP_REGION, LABEL_VALUE
from settings.reader import Fields, Node
from settings.secret_backups import SecretBackupSettings
from settings.secrets import SecretSettings

NAMESPACE = "myhibachi"
# The zone id the stack files once shipped with, before the zone was looked up by its name. No
# deploy can use it: production refuses it whenever the settings load (preview included), other
# stacks warn at `pulumi up`; the offline gate reports it too (preflight.change_findings).
PLACEHOLDER_ZONE_ID = "0123456789abcdef0123456789abcdef"
PLACEHOLDER_ZONE_PROBLEM = (
    "is the placeholder zone id; leave zoneId out to look the zone up by its name "
    "(myhibachi:domain.zone), or set the zone's real id "
    "(Cloudflare dashboard > Overview > Zone ID)"
)
PRODUCTION_STACK = "production"


@section
class ResourceLabels:
    """Labels every resource that takes labels carries (plus `env`)."""

    app: str = setting("app", text(LABEL_VALUE, "a GCP label value"))
    owner: str = setting("owner", text(LABEL_VALUE, "a GCP label value"))


@section
class StackSettings:
    """Everything one stack declares, validated. Keys are `myhibachi:<key>` in the stack file."""

    alerts: AlertSettings = setting("alerts", nested(AlertSettings))
    audit_logs: AuditSettings = setting("auditLogs", nested(AuditSettings))
    api: ApiSettings = setting("api", nested(ApiSettings))
    backups: BackupSettings = setting("backups", nested(BackupSettings))
    cache: CacheSettings = setting("cache", nested(CacheSettings))
    code_backups: CodeBackupSettings = setting("codeBackups", nested(CodeBackupSettings))
    database: DatabaseSettings = setting("database", nested(DatabaseSettings))
    domain: DomainSettings = setting("domain", nested(DomainSettings))
    edge: EdgeSettings = setting("edge", nested(EdgeSettings))
    env: str = setting(
        "env", text(r"[a-z][a-z0-9]{1,9}", "a short lowercase name such as prod or staging")
    )
    feature_flags: FeatureFlags = setting("featureFlags", nested(FeatureFlags))
    frontends: FrontendSettings = setting("frontends", nested(FrontendSettings))
    maps_keys: MapsKeySettings = setting("mapsKeys", nested(MapsKeySettings))
    # Moved: one key per use since the server key cannot carry referrer restrictions.
    maps_key: None = setting(
        "mapsKey", removed("moved to myhibachi:mapsKeys (browser and server)"), default=None
    )
    protect_stateful_resources: bool = setting("protectStatefulResources", boolean())
    resource_labels: ResourceLabels = setting("labels", nested(ResourceLabels))
    secret_backups: SecretBackupSettings = setting("secretBackups", nested(SecretBackupSettings))
    secrets: SecretSettings = setting("secrets", nested(SecretSettings))
    # Provider config (`gcp:project`, `gcp:region`, `vercel:team`) and the stack's name.
    project: str
    region: str
    stack: str
    vercel_team: str

    @property
    def labels(self) -> dict[str, str]:
        """The resource labels, `env` included."""
        return {
            "app": self.resource_labels.app,
            "owner": self.resource_labels.owner,
            "env": self.env,
        }

    @property
    def stack_file(self) -> str:
        """The file these settings came from."""
        return f"Pulumi.{self.stack}.yaml"

    @property
    def secret_backup_key(self) -> str:
        """The full name of the key that seals this stack's secret backups."""
        return self.secret_backups.key_name(self.project, self.env)

    def validate(self, fields: Fields, context: StackContext) -> None:
        """Production never runs with the placeholder zone id. A webhook channel's URL lives in
        a secret of this stack's catalog that no workload reads: the program reads it at deploy
        time, and nothing else needs it."""
        if self.stack == PRODUCTION_STACK and self.edge.zone_id == PLACEHOLDER_ZONE_ID:
            raise fields["edge"].at("zoneId").fail(PLACEHOLDER_ZONE_PROBLEM)
        channels = fields["alerts"].at("channels")
        for name, secret in self.alerts.url_secrets.items():
            node = channels.at(name, "urlSecret")
            spec = self.secrets.spec(secret)
            if spec is None:
                raise node.fail(f"no secret '{secret}' in the catalog (myhibachi:secrets)")
            if spec.accessors:
                raise node.fail(
                    f"'{secret}' is read by {', '.join(spec.accessors)}: a webhook's URL is "
                    "read only at deploy time; give it a secret of its own"
                )


def load_settings(stack: str, raw_config: Mapping[str, str]) -> StackSettings:
    """Validate a stack's config (full keys such as `myhibachi:database`) into settings.

    Raises SettingsError naming the stack file, the key and the problem.
    """
    stack_file = f"Pulumi.{stack}.yaml"
    ours = {
        key.split(":", 1)[1]: _decode(value)
        for key, value in raw_config.items()
        if key.startswith(f"{NAMESPACE}:")
    }
    required, optional = keys_of(StackSettings)
    unknown = sorted(set(ours) - required - optional)
    if unknown:
        allowed = ", ".join(f"{NAMESPACE}:{key}" for key in sorted(required | optional))
        raise Node(stack_file, f"{NAMESPACE}:{unknown[0]}", None).fail(
            f"unknown key (allowed: {allowed})"
        )
    fields = Node(stack_file, NAMESPACE, ours, separator=":").fields(set(required), optional)
    project = _provider_key(stack_file, raw_config, "gcp:project").text(
        GCP_PROJECT, "a GCP project id such as my-hibachi-crm"
    )
    region = _provider_key(stack_file, raw_config, "gcp:region").text(
        GCP_REGION, "a GCP region such as us-central1"
    )
    # The admin panel's protection and the projects live in a Vercel team (a paid plan).
    vercel_team = _provider_key(stack_file, raw_config, "vercel:team").text(
        r"team_[A-Za-z0-9]{8,}|[a-z0-9][a-z0-9-]{0,47}", "a Vercel team id (team_...) or slug"
    )
    # The env and hosts come first: secret names and other hosts are checked against them.
    unchecked = StackContext(env="", zone="", own_hosts=())
    env: str = read_one(StackSettings, "env", fields, unchecked)
    domain: DomainSettings = read_one(StackSettings, "domain", fields, unchecked)
    context = StackContext(env=env, zone=domain.zone, own_hosts=tuple(domain.hosts.values()))
    return read_fields(
        StackSettings,
        fields,
        context,
        project=project,
        region=region,
        stack=stack,
        vercel_team=vercel_team,
    )


def settings_from_runtime() -> StackSettings:
    """Settings for the stack the Pulumi runtime is running (real CLI or mocks)."""
    import pulumi
    from pulumi.runtime.config import CONFIG, get_config_env

    raw: dict[str, str] = {**get_config_env(), **CONFIG.get()}
    settings = load_settings(pulumi.get_stack(), raw)
    if not pulumi.runtime.is_dry_run():
        warn_before_deploy(settings, pulumi.log.warn)
    return settings


def warn_before_deploy(settings: StackSettings, warn: Callable[[str], object]) -> None:
    """What a deploy outside production warns about: the placeholder zone id (production's
    settings refuse it)."""
    if settings.edge.zone_id != PLACEHOLDER_ZONE_ID:
        return
    node = Node(settings.stack_file, f"{NAMESPACE}:edge.zoneId", settings.edge.zone_id)
    warn(str(node.fail(PLACEHOLDER_ZONE_PROBLEM)))


def _decode(value: str) -> Any:
    # Objects, lists, numbers and booleans arrive JSON-encoded; anything else is a plain string.
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def _provider_key(stack_file: str, raw: Mapping[str, str], key: str) -> Node:
    if key not in raw:
        raise Node(stack_file, key, None).fail("is required")
    return Node(stack_file, key, raw[key])
