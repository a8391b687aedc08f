"""The pack's index: every policy, in checklist order, and the pack's identity."""

from __future__ import annotations

from typing import Final

from pulumi_policy import Policy

from . import (
    cloudflare,
    coverage,
    credentials,
    feature_flags,
    gcp_alloydb,
    gcp_api_keys,
    gcp_cloudrun,
    gcp_functions,
    gcp_iam,
    gcp_kms,
    gcp_load_balancing,
    gcp_logging,
    gcp_monitoring,
    gcp_network,
    gcp_redis,
    gcp_secrets,
    gcp_sql,
    gcp_storage,
    hygiene,
    protection,
    vercel,
)
from .helpers.catalogue import check_complete

PACK_NAME: Final = "myhibachi-security"
PACK_DESCRIPTION: Final = (
    "The My Hibachi security checklist: Cloud SQL, AlloyDB, Memorystore, secrets, credentials in "
    "any input, API keys, buckets, deletion protection, Cloud Run, Cloud Functions, IAM, KMS "
    "keys, firewalls, the API's load balancer, audit logging, monitoring and paging, Cloudflare, "
    "Vercel, feature flags, labels, and every type covered."
)

MODULES: Final = (
    gcp_sql,
    gcp_alloydb,
    gcp_redis,
    gcp_secrets,
    credentials,
    gcp_api_keys,
    gcp_storage,
    protection,
    gcp_cloudrun,
    gcp_functions,
    gcp_iam,
    gcp_kms,
    gcp_network,
    gcp_load_balancing,
    gcp_logging,
    cloudflare,
    vercel,
    feature_flags,
    gcp_monitoring,
    hygiene,
    coverage,
)


def all_policies() -> list[Policy]:
    """Every policy of the pack; names are unique and every catalogue entry describes one of them
    (checked here and by the tests)."""
    policies: list[Policy] = [policy for module in MODULES for policy in module.POLICIES]
    names = [policy.name for policy in policies]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"duplicate policy names: {', '.join(duplicates)}")
    check_complete(names)
    return policies


def policies_by_name() -> dict[str, Policy]:
    return {policy.name: policy for policy in all_policies()}
