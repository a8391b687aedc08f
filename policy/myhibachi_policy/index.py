"""The pack's index: every policy, in checklist order, and the pack's identity."""

from __future__ import annotations

from typing import Final

from pulumi_policy import Policy

from . import (
    cloudflare,
    feature_flags,
    gcp_api_keys,
    gcp_cloudrun,
    gcp_iam,
    gcp_monitoring,
    gcp_redis,
    gcp_secrets,
    gcp_sql,
    gcp_storage,
    hygiene,
    vercel,
)

PACK_NAME: Final = "myhibachi-security"
PACK_DESCRIPTION: Final = (
    "The My Hibachi security checklist: Cloud SQL, Redis, secrets, API keys, buckets, Cloud Run, "
    "IAM, monitoring, Cloudflare, Vercel, feature flags and labels."
)

MODULES: Final = (
    gcp_sql,
    gcp_redis,
    gcp_secrets,
    gcp_api_keys,
    gcp_storage,
    gcp_cloudrun,
    gcp_iam,
    cloudflare,
    vercel,
    feature_flags,
    gcp_monitoring,
    hygiene,
)


def all_policies() -> list[Policy]:
    """Every policy of the pack; names are unique (checked here and by the tests)."""
    policies: list[Policy] = [policy for module in MODULES for policy in module.POLICIES]
    names = [policy.name for policy in policies]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"duplicate policy names: {', '.join(duplicates)}")
    return policies


def policies_by_name() -> dict[str, Policy]:
    return {policy.name: policy for policy in all_policies()}
