"""A closed world: the pack knows every resource type it can judge, and says so of any other.

`COVERED_TYPES` maps each type token the pack covers to the policies that judge it, or to an
explicit "nothing to judge" entry with its one-line reason (a type with no security-relevant
setting). Tokens are the installed providers' own (the first argument of the resource class's
`super().__init__`); the tests check that each exists, that each entry names only policies that
exist and really look at that type, and that every type the program declares on both stacks is
here. There is no "covered later" entry: a type is judged, has nothing to judge, or is a finding.
`COVERED_PREFIXES` covers whole families that carry no cloud settings: Pulumi's providers
and the program's own components (the engine analyzes both; their children are judged one by one).

A resource of any other type is a finding of `pack-resource-type-covered`, naming the type:
adding a kind of resource means adding its policies (or its reason) here. The policies that look
at every type (`ALL_TYPES`) are not listed per type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from pulumi_policy import ResourceValidationArgs

from .helpers import Report, label, resource_policy

TYPE_COVERED: Final = "pack-resource-type-covered"
NO_CREDENTIALS: Final = "pack-resource-inputs-no-credentials"
ALL_TYPES: Final = (TYPE_COVERED, NO_CREDENTIALS)
"""Policies that look at every resource, whatever its type."""


@dataclass(frozen=True)
class Coverage:
    """The policies that judge a type, or why there is nothing to judge."""

    policies: tuple[str, ...] = ()
    nothing_to_judge: str | None = None


def judged(*policies: str) -> Coverage:
    return Coverage(policies=tuple(sorted(set(policies))))


def nothing_to_judge(reason: str) -> Coverage:
    return Coverage(nothing_to_judge=reason)


# --- Policy families, by the names the area modules give them ----------------------------------

_IAM: Final = ("gcp-iam-no-basic-roles", "gcp-iam-member-allowed-principals")
_DECRYPT: Final = "gcp-kms-decrypt-groups-only"
_HIERARCHY_IAM: Final = (
    *_IAM,
    _DECRYPT,
    "gcp-projects-iam-no-service-account-impersonation",
    "gcp-projects-iam-no-privileged-roles",
    "gcp-projects-iam-custom-role-grants-not-privileged",
)
_LABELS: Final = "gcp-resource-labels-required"
_PROTECTED: Final = "gcp-stateful-resource-protected"
_INVOKER_CHECK: Final = "gcp-cloudrun-service-invoker-iam-checked"
_PRIVATE_INGRESS: Final = "gcp-cloudrun-service-ingress-load-balancer-only"
_CLOUD_RUN: Final = (
    "gcp-cloudrun-workload-dedicated-service-account",
    "gcp-cloudrun-workload-secret-env-from-secret-manager",
    "gcp-cloudrun-workload-log-level",
    "feature-flag-postponed-off",
    "feature-flag-required-on",
    "feature-flag-gradual-rollout",
    _LABELS,
)
_SQL_INSTANCE: Final = (
    "gcp-sql-instance-backups-enabled",
    "gcp-sql-instance-point-in-time-recovery-enabled",
    "gcp-sql-instance-backup-retention",
    "gcp-sql-instance-no-public-ip",
    "gcp-sql-instance-no-open-authorized-network",
    "gcp-sql-instance-tls-required",
    "gcp-sql-instance-deletion-protection-enabled",
    "gcp-sql-instance-regional-availability",
    "gcp-sql-instance-postgres-audit-flags",
    "gcp-sql-instance-engine-hardening-flags",
    "gcp-sql-instance-no-statement-duration-logging",
    "gcp-sql-instance-protected",
    "gcp-sql-instance-postgres-version-supported",
    _PROTECTED,
    _LABELS,
)
_MEMORYSTORE: Final = (
    "gcp-redis-instance-auth-enabled",
    "gcp-redis-instance-transit-encryption",
    "gcp-redis-instance-standard-ha-tier",
    _PROTECTED,
)
_SECRET: Final = (
    "gcp-secretmanager-secret-naming",
    "gcp-secretmanager-secret-rotation",
    _PROTECTED,
)
_VERCEL_ENV: Final = (
    "vercel-env-secret-sensitive",
    "vercel-env-next-public-no-secrets",
    "vercel-env-secret-production-only",
    "vercel-env-public-urls-match-stack",
    "feature-flag-postponed-off",
    "feature-flag-required-on",
    "feature-flag-gradual-rollout",
)
_FUNCTION: Final = (
    "gcp-cloudfunctions-function-dedicated-service-account",
    "gcp-cloudfunctions-function-secret-env-from-secret-manager",
)
# The API's alerts must watch the stack's own Cloud Run service: they read its name.
_API_ALERTS: Final = ("gcp-monitoring-alert-api-latency", "gcp-monitoring-alert-error-rate")
_MONITORING_ALERTS: Final = (
    "gcp-monitoring-critical-alerts-page",
    "gcp-monitoring-alert-api-latency",
    "gcp-monitoring-alert-error-rate",
    "gcp-monitoring-alert-slow-queries",
    "gcp-monitoring-uptime-public-hosts",
)
_LOG_METRICS: Final = (
    "gcp-logging-metric-project-ownership-changes",
    "gcp-logging-metric-audit-config-changes",
    "gcp-logging-metric-custom-role-changes",
    "gcp-logging-metric-firewall-rule-changes",
    "gcp-logging-metric-route-changes",
    "gcp-logging-metric-network-changes",
    "gcp-logging-metric-bucket-iam-changes",
    "gcp-logging-metric-sql-config-changes",
)


def _iam_family(base: str, *extra: str, shapes: tuple[str, str, str]) -> dict[str, Coverage]:
    """The member, binding and policy types of one IAM family (`base` + Member/Binding/Policy)."""
    module, stem = base.split(":", 1)[1].split("/")
    tokens = {}
    for shape in shapes:
        resource = f"{stem[0].upper()}{stem[1:]}{shape}"
        tokens[f"gcp:{module}/{stem}{shape}:{resource}"] = judged(*_IAM, *extra)
    return tokens


_IAM_SHAPES: Final = ("IAMMember", "IAMBinding", "IAMPolicy")
_CAMEL_IAM_SHAPES: Final = ("IamMember", "IamBinding", "IamPolicy")

_IAM_TYPES: Final[dict[str, Coverage]] = {
    **{
        f"gcp:{module}/i{shape[1:]}:{shape}": judged(*_HIERARCHY_IAM)
        for module in ("projects", "folder", "organizations")
        for shape in _IAM_SHAPES
    },
    **{f"gcp:serviceaccount/i{shape[1:]}:{shape}": judged(*_IAM) for shape in _IAM_SHAPES},
    **_iam_family(
        "gcp:secretmanager/secret",
        "gcp-secretmanager-iam-no-public-principals",
        shapes=_CAMEL_IAM_SHAPES,
    ),
    **_iam_family(
        "gcp:secretmanager/regionalSecret",
        "gcp-secretmanager-iam-no-public-principals",
        shapes=_CAMEL_IAM_SHAPES,
    ),
    **_iam_family(
        "gcp:storage/bucket", "gcp-storage-bucket-iam-no-public-principals", shapes=_IAM_SHAPES
    ),
    **_iam_family(
        "gcp:storage/managedFolder",
        "gcp-storage-bucket-iam-no-public-principals",
        shapes=_CAMEL_IAM_SHAPES,
    ),
    **_iam_family("gcp:pubsub/topic", shapes=_IAM_SHAPES),
    **_iam_family("gcp:pubsub/subscription", shapes=_IAM_SHAPES),
    **{f"gcp:cloudrun/i{shape[1:]}:{shape}": judged(*_IAM) for shape in _CAMEL_IAM_SHAPES},
    **_iam_family("gcp:cloudrunv2/service", shapes=_CAMEL_IAM_SHAPES),
    **_iam_family("gcp:cloudrunv2/job", shapes=_CAMEL_IAM_SHAPES),
    **_iam_family("gcp:artifactregistry/repository", shapes=_CAMEL_IAM_SHAPES),
    **_iam_family("gcp:kms/keyRing", _DECRYPT, shapes=_IAM_SHAPES),
    **_iam_family("gcp:kms/cryptoKey", _DECRYPT, shapes=_IAM_SHAPES),
    **_iam_family("gcp:cloudfunctions/function", shapes=_CAMEL_IAM_SHAPES),
    **_iam_family("gcp:cloudfunctionsv2/function", shapes=_CAMEL_IAM_SHAPES),
}

COVERED_TYPES: Final[Mapping[str, Coverage]] = {
    **_IAM_TYPES,
    # Identities, keys and roles.
    "gcp:organizations/iAMCustomRole:IAMCustomRole": judged(
        "gcp-iam-custom-role-no-privileged-permissions",
        "gcp-projects-iam-custom-role-grants-not-privileged",
    ),
    "gcp:projects/iAMCustomRole:IAMCustomRole": judged(
        "gcp-iam-custom-role-no-privileged-permissions",
        "gcp-projects-iam-custom-role-grants-not-privileged",
    ),
    "gcp:serviceaccount/key:Key": judged("gcp-serviceaccount-key-not-allowed"),
    "gcp:storage/hmacKey:HmacKey": judged("gcp-serviceaccount-key-not-allowed"),
    "gcp:serviceaccount/account:Account": nothing_to_judge(
        "an identity: what it may do is judged on its grants and keys"
    ),
    "gcp:projects/serviceIdentity:ServiceIdentity": nothing_to_judge(
        "creates a Google service agent; what it may do is judged on its grants"
    ),
    "gcp:projects/apiKey:ApiKey": judged(
        "gcp-projects-apikey-api-targets-restricted",
        "gcp-projects-apikey-application-restricted",
    ),
    # Secrets, and the key that seals their backups.
    "gcp:secretmanager/secret:Secret": judged(*_SECRET, _LABELS),
    "gcp:kms/keyRing:KeyRing": judged(_PROTECTED),
    "gcp:kms/cryptoKey:CryptoKey": judged("gcp-kms-cryptokey-rotation", _PROTECTED, _LABELS),
    "gcp:kms/cryptoKeyVersion:CryptoKeyVersion": judged(_PROTECTED),
    "gcp:secretmanager/regionalSecret:RegionalSecret": judged(*_SECRET, _LABELS),
    # A version holds the value; access to it is judged on the secret's IAM.
    "gcp:secretmanager/secretVersion:SecretVersion": judged(_PROTECTED),
    "gcp:secretmanager/regionalSecretVersion:RegionalSecretVersion": judged(_PROTECTED),
    # Data.
    "gcp:sql/databaseInstance:DatabaseInstance": judged(*_SQL_INSTANCE),
    "gcp:sql/database:Database": judged(_PROTECTED),
    # A database login: its password is kept secret in state; the login itself is protected.
    "gcp:sql/user:User": judged(_PROTECTED),
    "gcp:alloydb/cluster:Cluster": judged(
        "gcp-alloydb-cluster-backups-enabled", _PROTECTED, _LABELS
    ),
    "gcp:alloydb/instance:Instance": judged(
        "gcp-alloydb-instance-no-public-access",
        "gcp-alloydb-instance-tls-required",
        _PROTECTED,
        _LABELS,
    ),
    "gcp:redis/instance:Instance": judged(
        *_MEMORYSTORE, "gcp-redis-instance-private-service-access", _LABELS
    ),
    "gcp:redis/cluster:Cluster": judged(*_MEMORYSTORE, _LABELS),
    "gcp:memorystore/instance:Instance": judged(*_MEMORYSTORE, _LABELS),
    "gcp:storage/bucket:Bucket": judged(
        "gcp-storage-bucket-uniform-access",
        "gcp-storage-bucket-public-access-prevention",
        "gcp-storage-bucket-versioning-enabled",
        "gcp-storage-bucket-backup-retention",
        _PROTECTED,
        _LABELS,
    ),
    "gcp:storage/bucketAccessControl:BucketAccessControl": judged(
        "gcp-storage-bucket-acl-no-public-entities"
    ),
    "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl": judged(
        "gcp-storage-bucket-acl-no-public-entities"
    ),
    "gcp:storage/objectAccessControl:ObjectAccessControl": judged(
        "gcp-storage-bucket-acl-no-public-entities"
    ),
    # Workloads.
    "gcp:cloudrunv2/service:Service": judged(
        *_CLOUD_RUN, *_API_ALERTS, _INVOKER_CHECK, _PRIVATE_INGRESS, _PROTECTED
    ),
    "gcp:cloudrunv2/job:Job": judged(*_CLOUD_RUN, _PROTECTED),
    "gcp:cloudrun/service:Service": judged(
        *_CLOUD_RUN, *_API_ALERTS, _INVOKER_CHECK, _PRIVATE_INGRESS
    ),
    "gcp:cloudrun/domainMapping:DomainMapping": nothing_to_judge(
        "routes a host to a service; its certificate is Google-managed, with no setting"
    ),
    "gcp:cloudfunctions/function:Function": judged(*_FUNCTION, _LABELS),
    "gcp:cloudfunctionsv2/function:Function": judged(*_FUNCTION, _LABELS),
    # The daily export's schedule: not paused, starting a workflow that exports the database.
    "gcp:cloudscheduler/job:Job": judged("gcp-sql-backup-export-scheduled"),
    "gcp:workflows/workflow:Workflow": judged("gcp-sql-backup-export-scheduled", _LABELS),
    "gcp:artifactregistry/repository:Repository": judged(_PROTECTED, _LABELS),
    "gcp:pubsub/topic:Topic": judged(_LABELS),
    "gcp:pubsub/subscription:Subscription": judged(_LABELS),
    # Network.
    "gcp:compute/firewall:Firewall": judged("gcp-compute-firewall-no-internet-ingress"),
    "gcp:compute/subnetwork:Subnetwork": judged("gcp-compute-subnetwork-flow-logs"),
    "gcp:compute/network:Network": nothing_to_judge(
        "a VPC: what reaches it is decided by firewall rules and subnets, judged on their own"
    ),
    "gcp:compute/globalAddress:GlobalAddress": judged(_LABELS),
    # The API's load balancer.
    "gcp:compute/securityPolicy:SecurityPolicy": judged(
        "gcp-compute-security-policy-cloudflare-only"
    ),
    "gcp:compute/backendService:BackendService": judged(
        "gcp-compute-backend-service-armored-and-logged"
    ),
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": judged(
        "gcp-compute-forwarding-rule-https-only"
    ),
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy": judged("gcp-compute-https-proxy-ssl-policy"),
    "gcp:compute/sSLPolicy:SSLPolicy": judged("gcp-compute-ssl-policy-strong"),
    "gcp:compute/uRLMap:URLMap": nothing_to_judge(
        "routes paths to backend services; what they admit is judged on the backends"
    ),
    "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup": nothing_to_judge(
        "names the Cloud Run service a backend reaches; the service is judged on its own"
    ),
    "gcp:certificatemanager/dnsAuthorization:DnsAuthorization": nothing_to_judge(
        "names the DNS record that proves control of a host; no setting"
    ),
    "gcp:certificatemanager/certificate:Certificate": nothing_to_judge(
        "a Google-managed certificate; the TLS it is served with is the SSL policy's"
    ),
    "gcp:certificatemanager/certificateMap:CertificateMap": nothing_to_judge(
        "holds certificate entries; no setting"
    ),
    "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": nothing_to_judge(
        "serves a certificate for a host name; no setting"
    ),
    # The audit trail.
    "gcp:projects/iAMAuditConfig:IAMAuditConfig": judged("gcp-logging-data-access-audit-logs"),
    "gcp:logging/projectSink:ProjectSink": judged("gcp-logging-audit-trail-retained"),
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": judged(
        "gcp-logging-audit-trail-retained", _PROTECTED
    ),
    "gcp:essentialcontacts/contact:Contact": judged("gcp-essentialcontacts-security-and-technical"),
    "gcp:servicenetworking/connection:Connection": nothing_to_judge(
        "peers the VPC with Google's private services over a reserved range; no setting"
    ),
    "gcp:projects/service:Service": nothing_to_judge(
        "turns on a Google API in the project; what uses it is judged on its own"
    ),
    # Monitoring.
    "gcp:monitoring/alertPolicy:AlertPolicy": judged(
        *_MONITORING_ALERTS,
        "gcp-monitoring-alertpolicy-notification-channels",
        "gcp-monitoring-alertpolicy-severity",
        _LABELS,
    ),
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": judged(
        "gcp-monitoring-uptime-public-hosts", "gcp-monitoring-uptimecheck-validates-tls", _LABELS
    ),
    # What a channel is (its type) is judged on the alerts that notify it.
    "gcp:monitoring/notificationChannel:NotificationChannel": judged(_LABELS),
    "gcp:monitoring/dashboard:Dashboard": nothing_to_judge("a view of metrics; no setting"),
    "gcp:monitoring/customService:CustomService": nothing_to_judge(
        "names a service for its objectives; no setting"
    ),
    "gcp:monitoring/slo:Slo": nothing_to_judge(
        "an objective; the thresholds that page are the alert policies', judged on their own"
    ),
    "gcp:logging/metric:Metric": judged(*_LOG_METRICS),
    # Cloudflare.
    "cloudflare:index/zoneSetting:ZoneSetting": judged(
        "cloudflare-zone-setting-always-use-https",
        "cloudflare-zone-setting-min-tls-version",
        "cloudflare-zone-setting-ssl-strict",
        "cloudflare-zone-setting-hsts",
        "cloudflare-zone-setting-automatic-https-rewrites",
        "cloudflare-zone-settings-present",
    ),
    "cloudflare:index/ruleset:Ruleset": judged(
        "cloudflare-ruleset-cache-private-never-cached",
        "cloudflare-ruleset-static-assets-cached",
        "cloudflare-ruleset-rate-limits",
        "cloudflare-ruleset-managed-waf",
        "cloudflare-ruleset-expressions-supported",
    ),
    # Deprecated by Cloudflare in favour of rulesets, and outside what the edge policies
    # simulate: refused outright.
    "cloudflare:index/pageRule:PageRule": judged("cloudflare-legacy-rules-not-allowed"),
    "cloudflare:index/firewallRule:FirewallRule": judged("cloudflare-legacy-rules-not-allowed"),
    "cloudflare:index/dnsRecord:DnsRecord": judged("cloudflare-dns-record-api-proxied"),
    # Vercel.
    "vercel:index/project:Project": judged(
        *_VERCEL_ENV,
        "vercel-project-deployment-protection",
        "vercel-project-admin-all-deployments-protected",
    ),
    "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable": judged(*_VERCEL_ENV),
    "vercel:index/projectEnvironmentVariables:ProjectEnvironmentVariables": judged(*_VERCEL_ENV),
    "vercel:index/sharedEnvironmentVariable:SharedEnvironmentVariable": judged(*_VERCEL_ENV),
    "vercel:index/deployment:Deployment": judged(*_VERCEL_ENV),
    "vercel:index/projectDomain:ProjectDomain": judged("vercel-project-domain-production-only"),
    # Pulumi.
    "pulumi:pulumi:Stack": nothing_to_judge("the stack itself: it holds outputs, no settings"),
    "random:index/randomPassword:RandomPassword": nothing_to_judge(
        "generates a value inside Pulumi; where the value goes is judged there"
    ),
}

COVERED_PREFIXES: Final[Mapping[str, Coverage]] = {
    "pulumi:providers:": nothing_to_judge(
        "a provider's configuration: credentials come from the environment, and its inputs are "
        "in the credential scan"
    ),
    "myhibachi:": nothing_to_judge(
        "a component of this program: it holds no cloud settings; its children are judged one by "
        "one"
    ),
}


def coverage_of(resource_type: str) -> Coverage | None:
    """The type's entry, or its family's; None when no policy of the pack judges it."""
    entry = COVERED_TYPES.get(resource_type)
    if entry is not None:
        return entry
    return next(
        (c for prefix, c in COVERED_PREFIXES.items() if resource_type.startswith(prefix)), None
    )


def _check_covered(args: ResourceValidationArgs, report: Report) -> None:
    if coverage_of(args.resource_type) is None:
        report(
            f"{label(args)}: no policy of this pack judges the type {args.resource_type}; add "
            "its policies and list them for it in the pack's coverage registry (coverage.py), "
            "or a nothing-to-judge entry with its reason."
        )


POLICIES: Final = [
    resource_policy(
        name=TYPE_COVERED,
        resource_types=lambda resource_type: True,
        check=_check_covered,
    ),
]
