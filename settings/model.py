"""The stack settings as typed, immutable values. Components receive these, never raw config."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Availability = Literal["ZONAL", "REGIONAL"]
CacheTier = Literal["BASIC", "STANDARD_HA"]
SecretGenerator = Literal["database", "cache", "mapsKey"]

# The flags the applications read. Frontend flags render as NEXT_PUBLIC_FEATURE_<NAME>,
# backend flags as FEATURE_FLAG_<NAME>; a name outside these sets is a typo, not a new flag.
FRONTEND_FLAGS: tuple[str, ...] = (
    "2FA_VERIFICATION",
    "AI_BOOKING_V3",
    "MATH_CAPTCHA",
    "SMS_CONSENT",
)
BACKEND_FLAGS: tuple[str, ...] = ("AI_BOOKING_V3", "AUDIT_LOGGING", "TRAVEL_FEE_V2")

# Scopes a secret id may carry: `{env}-{scope}-{NAME}`.
SECRET_SCOPES: tuple[str, ...] = ("global", "backend", "frontend-web", "frontend-admin")

# Identities the project itself creates and that a secret may name as accessor.
PROJECT_IDENTITIES: tuple[str, ...] = ("api",)


@dataclass(frozen=True)
class DomainSettings:
    """The Cloudflare zone and the stack's three public hosts."""

    admin: str
    api: str
    site: str
    zone: str

    @property
    def hosts(self) -> dict[str, str]:
        """Every public host keyed by role."""
        return {"admin": self.admin, "api": self.api, "site": self.site}


@dataclass(frozen=True)
class MaintenanceWindow:
    """Weekly window (day 1 = Monday ... 7 = Sunday, hour in UTC)."""

    day: int
    hour: int


@dataclass(frozen=True)
class DatabaseSettings:
    """Cloud SQL for PostgreSQL sizing, availability and backups."""

    availability: Availability
    backup_start_time: str
    disk_size_gb: int
    maintenance_window: MaintenanceWindow
    name: str
    retained_backups: int
    tier: str
    transaction_log_retention_days: int
    user: str
    version: str
    slow_statement_log_ms: int | None = None


@dataclass(frozen=True)
class CacheSettings:
    """Memorystore Redis tier, size and persistence."""

    memory_size_gb: int
    tier: CacheTier
    version: str
    rdb_snapshot_period: str | None = None


@dataclass(frozen=True)
class SecretSpec:
    """One Secret Manager secret. Its value never passes through config."""

    name: str
    accessors: tuple[str, ...] = ()
    generated_by: SecretGenerator | None = None

    @property
    def scope(self) -> str:
        """The `{scope}` part of `{env}-{scope}-{NAME}`."""
        for scope in SECRET_SCOPES:
            if f"-{scope}-" in self.name:
                return scope
        raise ValueError(self.name)

    @property
    def key(self) -> str:
        """The `{NAME}` part: what the application calls the value."""
        return self.name.split(f"-{self.scope}-", 1)[1]


@dataclass(frozen=True)
class SecretSettings:
    """The secret catalog and its rotation schedule."""

    catalog: tuple[SecretSpec, ...]
    first_rotation: str
    rotation_days: int

    def generated(self, generator: SecretGenerator) -> SecretSpec:
        """The secret whose value the given component writes."""
        return next(spec for spec in self.catalog if spec.generated_by == generator)


@dataclass(frozen=True)
class FeatureFlags:
    """Feature flags per application, every known flag set explicitly."""

    backend: dict[str, bool]
    frontend: dict[str, bool]

    def backend_env(self) -> dict[str, str]:
        """Backend flags as the API reads them (`FEATURE_FLAG_<NAME>`)."""
        return {f"FEATURE_FLAG_{k}": _flag(v) for k, v in sorted(self.backend.items())}

    def frontend_env(self) -> dict[str, str]:
        """Frontend flags as Next.js reads them (`NEXT_PUBLIC_FEATURE_<NAME>`)."""
        return {f"NEXT_PUBLIC_FEATURE_{k}": _flag(v) for k, v in sorted(self.frontend.items())}


def _flag(value: bool) -> str:
    return "true" if value else "false"


@dataclass(frozen=True)
class AlertSettings:
    """Alert thresholds and who gets paged."""

    emails: tuple[str, ...]
    error_rate_percent: float
    latency_p95_ms: int
    slow_query_ms: int
    # Cloud SQL's max_connections for the tier; the connections alert fires near it.
    database_max_connections: int = 100
    # CPU, memory and disk of Cloud SQL, memory of Redis.
    saturation_percent: int = 80


@dataclass(frozen=True)
class MapsKeySettings:
    """The Google Maps API key; bumping the generation rotates it."""

    generation: int


@dataclass(frozen=True)
class StackSettings:
    """Everything one stack declares, validated."""

    alerts: AlertSettings
    api: ApiSettings
    backups: BackupSettings
    cache: CacheSettings
    database: DatabaseSettings
    domain: DomainSettings
    edge: EdgeSettings
    env: str
    feature_flags: FeatureFlags
    frontends: FrontendSettings
    labels: dict[str, str]
    maps_key: MapsKeySettings
    project: str
    protect_stateful_resources: bool
    region: str
    secrets: SecretSettings
    stack: str

    @property
    def stack_file(self) -> str:
        """The file these settings came from."""
        return f"Pulumi.{self.stack}.yaml"


# --- Platform settings: the API runtime, frontends, edge and backups -------------------------

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
CloudflarePlan = Literal["free", "pro", "business", "enterprise"]


@dataclass(frozen=True)
class ApiSettings:
    """The backend API on Cloud Run and its migration job."""

    health_path: str
    image: str
    log_level: LogLevel
    max_instances: int
    min_instances: int
    cpu: str = "1"
    memory: str = "512Mi"


@dataclass(frozen=True)
class FrontendApp:
    """One Next.js application: its Vercel project and its directory in the repository."""

    project_name: str
    root_directory: str


@dataclass(frozen=True)
class FrontendSettings:
    """The Vercel projects: where their code lives and which branch deploys as this stack."""

    admin: FrontendApp
    customer: FrontendApp
    production_branch: str
    repository: str
    # False only for a stack's first `pulumi up`, before the key's first secret version exists:
    # the program reads that version at deploy time (docs/runbooks/bootstrap.md).
    stripe_publishable_key_ready: bool = True


@dataclass(frozen=True)
class RateLimit:
    """Requests per client IP and period before Cloudflare blocks for `timeout_seconds`."""

    period_seconds: int
    requests: int
    timeout_seconds: int
    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class ZonePolicy:
    """Zone-wide Cloudflare settings and rulesets. Exactly one stack declares these.

    A zone has one entrypoint ruleset per phase and one value per zone setting, so two stacks
    declaring them would overwrite each other on every `pulumi up`. The owning stack's rules
    cover its own hosts plus `other_hosts` (the other stacks' hosts, by role).
    """

    api_rate_limit: RateLimit
    auth_rate_limit: RateLimit
    hsts_preload: bool
    managed_waf: bool
    other_hosts: dict[str, tuple[str, ...]]
    plan: CloudflarePlan
    session_cookie: str
    static_edge_ttl_seconds: int


@dataclass(frozen=True)
class EdgeSettings:
    """Cloudflare: the zone's id, and the zone-wide policy if this stack owns it."""

    zone_id: str
    # False until Cloud Run's domain mapping has its certificate (Google must see its own DNS).
    proxy_api: bool = True
    zone_policy: ZonePolicy | None = None


@dataclass(frozen=True)
class BackupSettings:
    """The backup bucket and the daily database export."""

    coldline_after_days: int
    export_schedule: str
    location: str
    nearline_after_days: int
    retention_days: int
    time_zone: str
