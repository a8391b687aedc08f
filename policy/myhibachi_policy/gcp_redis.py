"""Memorystore for Redis: AUTH, in-transit TLS, HA tier, private service access."""

from __future__ import annotations

from typing import Final

from pulumi_policy import ResourceValidationArgs, Severity

from .helpers import Report, as_bool, as_str, label, prop, resource_policy

REDIS_INSTANCE: Final = "gcp:redis/instance:Instance"
_TAGS: Final = ("gcp", "redis")


def _check_auth(args: ResourceValidationArgs, report: Report) -> None:
    if as_bool(prop(args.props, REDIS_INSTANCE, "authEnabled")) is False:
        report(f"{label(args)}: authEnabled must be true (absent means false).")


def _check_transit(args: ResourceValidationArgs, report: Report) -> None:
    mode = as_str(prop(args.props, REDIS_INSTANCE, "transitEncryptionMode"))
    if mode is not None and mode != "SERVER_AUTHENTICATION":
        report(
            f"{label(args)}: transitEncryptionMode must be SERVER_AUTHENTICATION "
            "(absent means DISABLED)."
        )


def _check_tier(args: ResourceValidationArgs, report: Report) -> None:
    tier = as_str(prop(args.props, REDIS_INSTANCE, "tier"))
    if tier is not None and tier != "STANDARD_HA":
        report(f"{label(args)}: tier must be STANDARD_HA (absent means BASIC).")


def _check_connect_mode(args: ResourceValidationArgs, report: Report) -> None:
    mode = as_str(prop(args.props, REDIS_INSTANCE, "connectMode"))
    if mode is not None and mode != "PRIVATE_SERVICE_ACCESS":
        report(
            f"{label(args)}: connectMode must be PRIVATE_SERVICE_ACCESS "
            "(absent means DIRECT_PEERING)."
        )


POLICIES: Final = [
    resource_policy(
        name="gcp-redis-instance-auth-enabled",
        description="Memorystore Redis instances require AUTH (CKV_GCP_95).",
        resource_types=[REDIS_INSTANCE],
        check=_check_auth,
        severity=Severity.HIGH,
        remediation="Set authEnabled = true and read the AUTH string from Secret Manager.",
        tags=[*_TAGS, "CKV_GCP_95"],
    ),
    resource_policy(
        name="gcp-redis-instance-transit-encryption",
        description="Memorystore Redis instances encrypt traffic in transit with "
        "SERVER_AUTHENTICATION (CKV_GCP_97).",
        resource_types=[REDIS_INSTANCE],
        check=_check_transit,
        severity=Severity.HIGH,
        remediation="Set transitEncryptionMode = SERVER_AUTHENTICATION (replaces the instance).",
        tags=[*_TAGS, "CKV_GCP_97", "encryption"],
    ),
    resource_policy(
        name="gcp-redis-instance-standard-ha-tier",
        description="Memorystore Redis instances use the STANDARD_HA tier with a replica "
        "(seed item 4: HA in production).",
        resource_types=[REDIS_INSTANCE],
        check=_check_tier,
        severity=Severity.MEDIUM,
        remediation="Set tier = STANDARD_HA (replaces the instance).",
        tags=[*_TAGS, "resilience"],
    ),
    resource_policy(
        name="gcp-redis-instance-private-service-access",
        description="Memorystore Redis instances connect through private service access "
        "(connectMode PRIVATE_SERVICE_ACCESS), the VPC's one private range; DIRECT_PEERING is "
        "not accepted (seed item 4).",
        resource_types=[REDIS_INSTANCE],
        check=_check_connect_mode,
        severity=Severity.MEDIUM,
        remediation="Set connectMode = PRIVATE_SERVICE_ACCESS with authorizedNetwork set to the "
        "VPC that has the private service access connection.",
        tags=[*_TAGS, "network"],
    ),
]
