"""Compliant baselines (production values): one per resource type, and the stack-level
resources a compliant stack declares. Cases change one property."""

from __future__ import annotations

import copy
import json
from typing import Any

from pulumi_policy import PolicyResource

from preflight.capture import mock_zone_id
from tests.policy.support import res, stack_values

LABELS = {"env": "production", "app": "myhibachi", "owner": "platform"}

SQL = "gcp:sql/databaseInstance:DatabaseInstance"
REDIS = "gcp:redis/instance:Instance"
SECRET = "gcp:secretmanager/secret:Secret"
API_KEY = "gcp:projects/apiKey:ApiKey"
BUCKET = "gcp:storage/bucket:Bucket"
RUN_SERVICE = "gcp:cloudrunv2/service:Service"
RUN_JOB = "gcp:cloudrunv2/job:Job"
ZONE_SETTING = "cloudflare:index/zoneSetting:ZoneSetting"
RULESET = "cloudflare:index/ruleset:Ruleset"
DNS_RECORD = "cloudflare:index/dnsRecord:DnsRecord"
VERCEL_PROJECT = "vercel:index/project:Project"
VERCEL_VAR = "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable"
VERCEL_VARS = "vercel:index/projectEnvironmentVariables:ProjectEnvironmentVariables"
ALERT = "gcp:monitoring/alertPolicy:AlertPolicy"
UPTIME = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"
LOG_METRIC = "gcp:logging/metric:Metric"

PRODUCTION_HOSTS = ("myhibachichef.com", "admin.myhibachichef.com", "api.myhibachichef.com")
STAGING_HOSTS = (
    "staging.myhibachichef.com",
    "admin-staging.myhibachichef.com",
    "api-staging.myhibachichef.com",
)

AUDIT_FLAGS = [
    {"name": "log_connections", "value": "on"},
    {"name": "log_disconnections", "value": "on"},
    {"name": "log_checkpoints", "value": "on"},
    {"name": "log_lock_waits", "value": "on"},
    {"name": "log_min_messages", "value": "warning"},
    {"name": "log_min_error_statement", "value": "error"},
    {"name": "log_temp_files", "value": "0"},
    {"name": "cloudsql.enable_pgaudit", "value": "on"},
]


def sql() -> dict[str, Any]:
    return {
        "databaseVersion": "POSTGRES_16",
        "deletionProtection": True,
        "region": "us-central1",
        "settings": {
            "tier": "db-custom-2-7680",
            "availabilityType": "REGIONAL",
            "deletionProtectionEnabled": True,
            "userLabels": dict(LABELS),
            "backupConfiguration": {
                "enabled": True,
                "pointInTimeRecoveryEnabled": True,
                "startTime": "03:00",
                "backupRetentionSettings": {"retainedBackups": 30, "retentionUnit": "COUNT"},
            },
            "ipConfiguration": {
                "ipv4Enabled": False,
                "privateNetwork": "projects/p/global/networks/vpc",
                "sslMode": "ENCRYPTED_ONLY",
            },
            "databaseFlags": [dict(flag) for flag in AUDIT_FLAGS],
        },
    }


def redis() -> dict[str, Any]:
    return {
        "memorySizeGb": 1,
        "tier": "STANDARD_HA",
        "authEnabled": True,
        "transitEncryptionMode": "SERVER_AUTHENTICATION",
        "connectMode": "PRIVATE_SERVICE_ACCESS",
        "labels": dict(LABELS),
    }


def secret(secret_id: str = "prod-global-STRIPE_SECRET_KEY") -> dict[str, Any]:
    return {
        "secretId": secret_id,
        "replication": {"auto": {}},
        "rotation": {"rotationPeriod": "7776000s", "nextRotationTime": "2030-01-01T00:00:00Z"},
        "topics": [{"name": "projects/p/topics/secret-rotation"}],
        "labels": dict(LABELS),
        "deletionProtection": True,
    }


def api_key() -> dict[str, Any]:
    return {
        "displayName": "maps",
        "restrictions": {
            "apiTargets": [
                {"service": "geocoding-backend.googleapis.com"},
                {"service": "maps-backend.googleapis.com"},
            ],
            "browserKeyRestrictions": {
                "allowedReferrers": [
                    "https://myhibachichef.com/*",
                    "https://admin.myhibachichef.com/*",
                ]
            },
        },
    }


def bucket(purpose: str = "backup") -> dict[str, Any]:
    return {
        "location": "US",
        "uniformBucketLevelAccess": True,
        "publicAccessPrevention": "enforced",
        # One object-protection scheme: a retention policy (not also versioning).
        "retentionPolicy": {"retentionPeriod": "2592000"},
        "labels": {**LABELS, "purpose": purpose},
    }


API_SERVICE_NAME = "myhibachi-api"
API_SERVICE = f'resource.labels.service_name="{API_SERVICE_NAME}"'


def run_service() -> dict[str, Any]:
    return {
        "name": API_SERVICE_NAME,
        "location": "us-central1",
        "labels": dict(LABELS),
        "ingress": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
        "defaultUriDisabled": True,
        "template": {
            "serviceAccount": "api@p.iam.gserviceaccount.com",
            "containers": [
                {
                    "image": "gcr.io/p/api:1",
                    "envs": [
                        {"name": "LOG_LEVEL", "value": "info"},
                        {"name": "FEATURE_FLAG_AUDIT_LOGGING", "value": "true"},
                        {"name": "FEATURE_FLAG_SMS_CONSENT", "value": "true"},
                        {"name": "FEATURE_FLAG_MATH_CAPTCHA", "value": "true"},
                        {"name": "FEATURE_FLAG_TRAVEL_FEE_V2", "value": "false"},
                        {"name": "FEATURE_FLAG_AI_BOOKING_V3", "value": "true"},
                        {
                            "name": "DATABASE_URL",
                            "valueSource": {
                                "secretKeyRef": {
                                    "secret": "prod-backend-DATABASE_URL",
                                    "version": "latest",
                                }
                            },
                        },
                    ],
                }
            ],
        },
    }


def run_job() -> dict[str, Any]:
    service = run_service()
    return {
        "location": "us-central1",
        "labels": dict(LABELS),
        "template": {"template": service["template"]},
    }


def zone_settings() -> dict[str, dict[str, Any]]:
    return {
        "always_use_https": {"zoneId": "z", "settingId": "always_use_https", "value": "on"},
        "automatic_https_rewrites": {
            "zoneId": "z",
            "settingId": "automatic_https_rewrites",
            "value": "on",
        },
        "min_tls_version": {"zoneId": "z", "settingId": "min_tls_version", "value": "1.2"},
        "ssl": {"zoneId": "z", "settingId": "ssl", "value": "strict"},
        "security_header": {
            "zoneId": "z",
            "settingId": "security_header",
            "value": {
                "strictTransportSecurity": {
                    "enabled": True,
                    "maxAge": 31536000,
                    "includeSubdomains": True,
                    "nosniff": True,
                    "preload": False,
                }
            },
        },
    }


def _hosts(role: int) -> str:
    """Both stacks' hosts of one role as a Rules language set: production owns the zone, and
    its rules cover staging's hosts too (`myhibachi:edge.zonePolicy.otherHosts`)."""
    return "{" + " ".join(f'"{hosts[role]}"' for hosts in (PRODUCTION_HOSTS, STAGING_HOSTS)) + "}"


SITE_HOSTS, ADMIN_HOSTS, API_HOSTS = (_hosts(role) for role in range(3))
# The zone's id as the program's lookup by name (`myhibachi:domain.zone`) gives it offline: the
# stack file pins no `myhibachi:edge.zoneId`, so every ruleset of the stack counts.
ZONE_ID = mock_zone_id(json.loads(stack_values("production")["myhibachi:domain"])["zone"])
BYPASS = (
    f'http.host in {ADMIN_HOSTS} or http.host in {API_HOSTS} or http.cookie contains "mh_session"'
)
STATIC = (
    f"http.host in {SITE_HOSTS} and (starts_with(http.request.uri.path, "
    '"/_next/static/") or http.request.uri.path.extension in {"js" "css" "woff2"})'
)
AUTH_PATHS = (
    'starts_with(http.request.uri.path, "/api/v1/auth/login") or '
    'starts_with(http.request.uri.path, "/api/v1/auth/2fa")'
)
# Cloudflare's public id of the "Cloudflare Managed Ruleset", the same for every account.
MANAGED_RULESET = "efb7b8c949ac4650a09736fc376e9aee"


def _ruleset(name: str, phase: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {"zoneId": ZONE_ID, "kind": "zone", "name": name, "phase": phase, "rules": rules}


def cache_ruleset() -> dict[str, Any]:
    return _ruleset(
        "cache",
        "http_request_cache_settings",
        [
            {
                "expression": BYPASS,
                "action": "set_cache_settings",
                "actionParameters": {"cache": False},
            },
            {
                "expression": STATIC,
                "action": "set_cache_settings",
                "actionParameters": {"cache": True, "edgeTtl": {"mode": "override_origin"}},
            },
        ],
    )


def _limit(expression: str, requests: int) -> dict[str, Any]:
    return {
        "expression": expression,
        "action": "block",
        "ratelimit": {
            "characteristics": ["cf.colo.id", "ip.src"],
            "period": 60,
            "requestsPerPeriod": requests,
            "mitigationTimeout": 600,
        },
    }


def ratelimit_ruleset() -> dict[str, Any]:
    return _ruleset(
        "ratelimits",
        "http_ratelimit",
        [
            _limit(f"http.host in {API_HOSTS} and ({AUTH_PATHS})", 10),
            _limit(f"http.host in {API_HOSTS}", 600),
        ],
    )


def waf_ruleset() -> dict[str, Any]:
    execute = {
        "expression": "true",
        "action": "execute",
        "actionParameters": {"id": MANAGED_RULESET},
    }
    return _ruleset("waf", "http_request_firewall_managed", [execute])


def api_record(host: str = PRODUCTION_HOSTS[2], proxied: Any = True) -> dict[str, Any]:
    return {
        "zoneId": ZONE_ID,
        "name": host,
        "type": "CNAME",
        "content": "ghs.googlehosted.com",
        "proxied": proxied,
        "ttl": 1,
    }


def vercel_project(name: str = "myhibachi-admin") -> dict[str, Any]:
    return {"name": name, "vercelAuthentication": {"deploymentType": "all_deployments"}}


def vercel_var(key: str, value: str, sensitive: bool = False) -> dict[str, Any]:
    return {
        "projectId": "prj",
        "key": key,
        "value": value,
        "sensitive": sensitive,
        "targets": ["production"],
    }


# --- Stack-level resources ------------------------------------------------------------------------

CHANNEL_TYPE = "gcp:monitoring/notificationChannel:NotificationChannel"
CHANNELS = ["projects/p/notificationChannels/1"]
CHANNEL = res(
    CHANNEL_TYPE,
    "on-call",
    {"type": "email", "displayName": "on-call", "labels": {"email_address": "devops@example.com"}},
)
# The on-call tool's webhook: the paging channel production's critical alerts notify.
PAGER_NAME = "projects/p/notificationChannels/2"
PAGER = res(
    CHANNEL_TYPE,
    "pager",
    {"type": "webhook_tokenauth", "displayName": "pager", "labels": {"url": "[secret]"}},
)


def alert(
    name: str,
    filter_: str,
    threshold: float,
    denominator: str | None = None,
    *,
    channels: tuple[PolicyResource, ...] = (CHANNEL,),
    severity: str = "WARNING",
    aggregations: list[dict[str, Any]] | None = None,
    **props: Any,
) -> PolicyResource:
    """An alert policy with one threshold condition and a severity, notifying `channels` (the
    stack's email channel by default, and with the pager the pager's name: their known names
    and a dependency on each, as the engine reports them)."""
    alert_props = alert_inputs(
        name,
        filter_,
        threshold,
        denominator,
        paging=PAGER in channels,
        severity=severity,
        aggregations=aggregations,
        **props,
    )
    return res(ALERT, name, alert_props, dependencies=channels)


def alert_inputs(
    name: str,
    filter_: str,
    threshold: float,
    denominator: str | None = None,
    *,
    paging: bool = False,
    severity: str = "WARNING",
    aggregations: list[dict[str, Any]] | None = None,
    **props: Any,
) -> dict[str, Any]:
    """The inputs of `alert`, to edit before making the resource."""
    condition: dict[str, Any] = {
        "filter": filter_,
        "thresholdValue": threshold,
        "comparison": "COMPARISON_GT",
        "duration": "300s",
    }
    if denominator:
        condition["denominatorFilter"] = denominator
    if aggregations is not None:
        condition["aggregations"] = aggregations
        if denominator:
            condition["denominatorAggregations"] = copy.deepcopy(aggregations)
    return {
        "displayName": name,
        "combiner": "OR",
        "severity": severity,
        "notificationChannels": [*CHANNELS, *([PAGER_NAME] if paging else [])],
        "conditions": [{"displayName": name, "conditionThreshold": condition}],
        **props,
    }


SECURITY_METRICS = {
    "owner-changes": '(protoPayload.serviceName="cloudresourcemanager.googleapis.com") AND '
    '(ProjectOwnership OR projectOwnerInvitee) OR (protoPayload.methodName="SetIamPolicy" AND '
    'protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner")',
    "audit-config-changes": 'protoPayload.methodName="SetIamPolicy" AND '
    "protoPayload.serviceData.policyDelta.auditConfigDeltas:*",
    "custom-role-changes": 'resource.type="iam_role" AND (protoPayload.methodName="google.iam.admin.v1.CreateRole" '  # noqa: E501
    'OR protoPayload.methodName="google.iam.admin.v1.DeleteRole" OR '
    'protoPayload.methodName="google.iam.admin.v1.UpdateRole")',
    "sql-config-changes": 'protoPayload.methodName="cloudsql.instances.update"',
    "firewall-rule-changes": 'resource.type="gce_firewall_rule" AND ('
    'protoPayload.methodName:"compute.firewalls.patch" OR '
    'protoPayload.methodName:"compute.firewalls.insert" OR '
    'protoPayload.methodName:"compute.firewalls.delete")',
    "route-changes": 'resource.type="gce_route" AND ('
    'protoPayload.methodName:"compute.routes.delete" OR '
    'protoPayload.methodName:"compute.routes.insert")',
    "network-changes": 'resource.type="gce_network" AND ('
    'protoPayload.methodName:"compute.networks.insert" OR '
    'protoPayload.methodName:"compute.networks.patch" OR '
    'protoPayload.methodName:"compute.networks.delete" OR '
    'protoPayload.methodName:"compute.networks.removePeering" OR '
    'protoPayload.methodName:"compute.networks.addPeering")',
    "bucket-iam-changes": 'resource.type="gcs_bucket" AND '
    'protoPayload.methodName="storage.setIamPermissions"',
}
ERROR_RATE_FILTER = (
    'metric.type="run.googleapis.com/request_count" metric.labels.response_code_class="5xx" '
    + API_SERVICE
)
REQUESTS_FILTER = f'metric.type="run.googleapis.com/request_count" {API_SERVICE}'


def aggregation(aligner: str, reducer: str) -> list[dict[str, Any]]:
    return [{"alignmentPeriod": "60s", "perSeriesAligner": aligner, "crossSeriesReducer": reducer}]


# How the program aggregates each threshold alert, by the baseline alert's name.
AGGREGATIONS = {
    "latency": aggregation("ALIGN_PERCENTILE_95", "REDUCE_MAX"),
    "errors": aggregation("ALIGN_RATE", "REDUCE_SUM"),
    "slow-queries": aggregation("ALIGN_PERCENTILE_99", "REDUCE_MAX"),
}


def monitoring(
    latency_ms: float = 300, hosts: tuple[str, ...] = PRODUCTION_HOSTS
) -> list[PolicyResource]:
    resources = [
        CHANNEL,
        PAGER,
        alert(
            "latency",
            'metric.type="run.googleapis.com/request_latencies" resource.type="cloud_run_revision" '
            + API_SERVICE,
            latency_ms,
            aggregations=AGGREGATIONS["latency"],
        ),
        alert(
            "errors",
            ERROR_RATE_FILTER,
            0.001,
            denominator=REQUESTS_FILTER,
            aggregations=AGGREGATIONS["errors"],
        ),
        alert(
            "slow-queries",
            'metric.type="cloudsql.googleapis.com/database/postgresql/insights/aggregate/latencies"',
            500000,
            aggregations=AGGREGATIONS["slow-queries"],
        ),
        # Production down: it pages.
        alert(
            "uptime",
            'metric.type="monitoring.googleapis.com/uptime_check/check_passed"',
            1,
            channels=(CHANNEL, PAGER),
            severity="CRITICAL",
        ),
    ]
    for host in hosts:
        resources.append(
            res(
                UPTIME,
                f"uptime-{host}",
                {
                    "displayName": host,
                    "timeout": "10s",
                    "monitoredResource": {
                        "type": "uptime_url",
                        "labels": {"host": host, "project_id": "p"},
                    },
                    "httpCheck": {"path": "/", "port": 443, "useSsl": True, "validateSsl": True},
                },
            )
        )
    for name, filter_ in SECURITY_METRICS.items():
        resources.append(res(LOG_METRIC, name, {"name": name, "filter": filter_}))
        resources.append(
            alert(f"{name}-alert", f'metric.type="logging.googleapis.com/user/{name}"', 0)
        )
    return [*resources, *audit_trail()]


AUDITED_SERVICES = (
    "cloudkms.googleapis.com",
    "cloudsql.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
)


def audit_trail() -> list[PolicyResource]:
    """Data Access audit logs, the audit sink to a locked log bucket, the essential contacts."""
    configs = [
        res(
            "gcp:projects/iAMAuditConfig:IAMAuditConfig",
            f"audit-{service.split('.')[0]}",
            {
                "service": service,
                "auditLogConfigs": [
                    {"logType": t} for t in ("ADMIN_READ", "DATA_READ", "DATA_WRITE")
                ],
            },
        )
        for service in AUDITED_SERVICES
    ]
    bucket = res(
        "gcp:logging/projectBucketConfig:ProjectBucketConfig",
        "audit-bucket",
        {"bucketId": "audit-trail", "location": "global", "retentionDays": 365, "locked": True},
    )
    sink = res(
        "gcp:logging/projectSink:ProjectSink",
        "audit-sink",
        {
            "destination": "logging.googleapis.com/projects/p/locations/global/buckets/audit-trail",
            "filter": 'logName:"/logs/cloudaudit.googleapis.com%2F"',
        },
    )
    contact = res(
        "gcp:essentialcontacts/contact:Contact",
        "contact",
        {"email": "devops@example.test", "notificationCategorySubscriptions": ["ALL"]},
    )
    return [*configs, bucket, sink, contact]


def staging_monitoring() -> list[PolicyResource]:
    return monitoring(500, STAGING_HOSTS)


def edge() -> list[PolicyResource]:
    """The zone owner's edge: zone settings, rulesets covering both stacks, the API record."""
    resources = [res(ZONE_SETTING, key, props) for key, props in zone_settings().items()]
    resources.append(res(RULESET, "cache", cache_ruleset()))
    resources.append(res(RULESET, "ratelimits", ratelimit_ruleset()))
    resources.append(res(RULESET, "waf", waf_ruleset()))
    resources.append(res(DNS_RECORD, "api-record", api_record()))
    return resources


def staging_edge() -> list[PolicyResource]:
    """A stack that does not own the zone: its own proxied API record only."""
    return [res(DNS_RECORD, "api-record", api_record(STAGING_HOSTS[2]))]


EXPORT_WORKFLOW = """main:
  steps:
    - export:
        call: googleapis.sqladmin.v1.instances.export
        args:
          project: p
          instance: db
          body:
            exportContext: {fileType: SQL, databases: [app], uri: gs://p-backups/dump.sql.gz}
"""


def backups() -> list[PolicyResource]:
    """The daily export outside the instance: a workflow and the schedule that starts it."""
    workflow = {"name": "sql-export", "region": "us-central1", "sourceContents": EXPORT_WORKFLOW}
    executions = (
        "https://workflowexecutions.googleapis.com/v1/projects/p/locations/us-central1/"
        "workflows/sql-export/executions"
    )
    schedule = {
        "name": "sql-export",
        "schedule": "0 10 * * *",
        "httpTarget": {"uri": executions, "httpMethod": "POST"},
    }
    return [
        res("gcp:workflows/workflow:Workflow", "sql-export", workflow),
        res("gcp:cloudscheduler/job:Job", "sql-export-schedule", schedule),
    ]


def flags() -> list[PolicyResource]:
    return [res(RUN_SERVICE, "api", run_service())]


def without(resources: list[PolicyResource], *resource_names: str) -> list[PolicyResource]:
    """The resources but those named."""
    return [resource for resource in resources if resource.name not in resource_names]
