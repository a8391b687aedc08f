"""IAM policies: no basic roles, no service account keys, no hierarchy-wide impersonation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.policy.support import names

BASIC = "gcp-iam-no-basic-roles"
IMPERSONATION = "gcp-projects-iam-no-service-account-impersonation"
KEY = "gcp-serviceaccount-key-not-allowed"


@pytest.mark.parametrize(
    ("resource_type", "props", "expected"),
    [
        (
            "gcp:projects/iAMMember:IAMMember",
            {"project": "p", "role": "roles/editor", "member": "user:a@example.com"},
            {BASIC},
        ),
        (
            "gcp:secretmanager/secretIamMember:SecretIamMember",
            {
                "secretId": "s",
                "member": "serviceAccount:api@p.iam.gserviceaccount.com",
                "role": "roles/owner",
            },
            {BASIC},
        ),
        (
            "gcp:projects/iAMBinding:IAMBinding",
            {
                "project": "p",
                "role": "roles/iam.serviceAccountUser",
                "members": ["user:a@example.com"],
            },
            {IMPERSONATION},
        ),
        (
            "gcp:projects/iAMPolicy:IAMPolicy",
            {
                "project": "p",
                "policyData": json.dumps(
                    {
                        "bindings": [
                            {
                                "role": "roles/iam.serviceAccountTokenCreator",
                                "members": ["user:a@example.com"],
                            }
                        ]
                    }
                ),
            },
            {IMPERSONATION},
        ),
        (
            "gcp:serviceaccount/iAMMember:IAMMember",
            {
                "serviceAccountId": "sa",
                "role": "roles/iam.serviceAccountUser",
                "member": "user:a@example.com",
            },
            set(),
        ),
        (
            "gcp:projects/iAMMember:IAMMember",
            {"project": "p", "role": "roles/logging.logWriter", "member": "serviceAccount:x"},
            set(),
        ),
        ("gcp:serviceaccount/key:Key", {"serviceAccountId": "sa"}, {KEY}),
        # The alternative to a key: the deployer may impersonate the one service account.
        (
            "gcp:serviceaccount/iAMMember:IAMMember",
            {
                "serviceAccountId": "sa",
                "role": "roles/iam.serviceAccountTokenCreator",
                "member": "serviceAccount:deployer@p.iam.gserviceaccount.com",
            },
            set(),
        ),
    ],
)
def test_iam_resources(resource_type: str, props: dict[str, Any], expected: set[str]) -> None:
    assert names(resource_type, props) == expected
