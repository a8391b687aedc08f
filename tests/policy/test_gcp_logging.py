"""The audit trail and essential contacts: each policy blocks a stack that lacks what it asks for
and passes one that has it, whatever the shape (allServices, another order, an unknown value)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.policy.support import UNKNOWN, res, stack_names, stack_outcome

AUDIT = "gcp-logging-data-access-audit-logs"
TRAIL = "gcp-logging-audit-trail-retained"
CONTACTS = "gcp-essentialcontacts-security-and-technical"
AUDIT_CONFIG = "gcp:projects/iAMAuditConfig:IAMAuditConfig"
SINK = "gcp:logging/projectSink:ProjectSink"
BUCKET = "gcp:logging/projectBucketConfig:ProjectBucketConfig"
CONTACT = "gcp:essentialcontacts/contact:Contact"
SERVICES = (
    "cloudkms.googleapis.com",
    "cloudsql.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
)
LOG_TYPES = ("ADMIN_READ", "DATA_READ", "DATA_WRITE")


def audit_config(service: str, types: tuple[str, ...] = LOG_TYPES, **extra: Any) -> Any:
    entries = [{"logType": t, **extra} for t in types]
    return res(
        AUDIT_CONFIG,
        f"audit-{service.split('.', maxsplit=1)[0]}",
        {"service": service, "auditLogConfigs": entries},
    )


def trail(retention: int = 365, locked: bool = True, query: Any = None) -> list[Any]:
    bucket = res(
        BUCKET,
        "trail",
        {
            "bucketId": "prod-audit-trail",
            "location": "global",
            "retentionDays": retention,
            "locked": locked,
        },
    )
    sink_props: dict[str, Any] = {
        "destination": "logging.googleapis.com/projects/p/locations/global/buckets/"
        "prod-audit-trail",
        "filter": 'logName:"/logs/cloudaudit.googleapis.com%2F"' if query is None else query,
    }
    return [bucket, res(SINK, "sink", sink_props)]


def contacts(*categories: tuple[str, ...]) -> list[Any]:
    return [
        res(
            CONTACT,
            f"contact-{i}",
            {"email": f"c{i}@example.test", "notificationCategorySubscriptions": list(c)},
        )
        for i, c in enumerate(categories)
    ]


def compliant() -> list[Any]:
    return [
        *(audit_config(s) for s in SERVICES),
        *trail(),
        *contacts(("SECURITY",), ("TECHNICAL",)),
    ]


def policies_failing(resources: list[Any], stack: str = "production") -> set[str]:
    return stack_names(resources, stack=stack) & {AUDIT, TRAIL, CONTACTS}


def test_the_compliant_stack_passes() -> None:
    assert policies_failing(compliant()) == set()


@pytest.mark.parametrize(
    "resources",
    [
        [audit_config(s) for s in SERVICES if s != "secretmanager.googleapis.com"],
        [*(audit_config(s) for s in SERVICES[:3]), audit_config(SERVICES[3], ("ADMIN_READ",))],
        # A member exempted from DATA_READ: their reads of secrets go unrecorded.
        [
            *(audit_config(s) for s in SERVICES[:3]),
            audit_config(SERVICES[3], exemptedMembers=["user:someone@example.test"]),
        ],
    ],
    ids=["a service left out", "data reads off", "a member exempted"],
)
def test_data_access_logs_missing_for_a_service_are_blocked(resources: list[Any]) -> None:
    assert policies_failing([*resources, *trail(), *contacts(("ALL",))]) == {AUDIT}


def test_all_services_counts_for_every_service() -> None:
    assert policies_failing([audit_config("allServices"), *trail(), *contacts(("ALL",))]) == set()


@pytest.mark.parametrize(
    ("resources", "stack"),
    [
        (trail(retention=30), "production"),
        (trail(locked=False), "production"),
        (trail(query='logName:"/logs/run.googleapis.com%2Frequests"'), "production"),
        # The right words, the wrong meaning: audit logs excluded, or only some of them.
        (trail(query='NOT logName:"cloudaudit.googleapis.com"'), "production"),
        (trail(query='logName:"cloudaudit.googleapis.com%2Factivity"'), "production"),
        ([], "production"),
        (trail()[:1], "production"),  # a bucket nothing writes to
    ],
    ids=[
        "kept too briefly",
        "not locked",
        "no audit logs in the filter",
        "audit logs negated",
        "admin activity only",
        "no sink",
        "a bucket nothing writes to",
    ],
)
def test_a_trail_that_does_not_keep_the_audit_logs_is_blocked(
    resources: list[Any], stack: str
) -> None:
    others = [*(audit_config(s) for s in SERVICES), *contacts(("ALL",))]
    assert policies_failing([*others, *resources], stack) == {TRAIL}


def test_staging_keeps_a_shorter_unlocked_trail() -> None:
    others = [*(audit_config(s) for s in SERVICES), *contacts(("ALL",))]
    assert policies_failing([*others, *trail(retention=30, locked=False)], "staging") == set()
    # An empty filter copies everything, audit logs included.
    assert policies_failing([*others, *trail(query="")]) == set()


def test_an_unknown_sink_filter_cannot_be_judged() -> None:
    others = [*(audit_config(s) for s in SERVICES), *contacts(("ALL",))]
    outcome = stack_outcome([*others, *trail(query=UNKNOWN)], only=TRAIL)
    assert outcome.violations == []
    assert TRAIL in outcome.declined


@pytest.mark.parametrize(
    ("categories", "failing"),
    [
        ((("SECURITY",),), {CONTACTS}),
        ((("TECHNICAL", "BILLING"),), {CONTACTS}),
        ((), {CONTACTS}),
        ((("SECURITY", "TECHNICAL"),), set()),
        ((("ALL",),), set()),
    ],
)
def test_contacts_for_security_and_technical_notices(
    categories: tuple[tuple[str, ...], ...], failing: set[str]
) -> None:
    others = [*(audit_config(s) for s in SERVICES), *trail()]
    assert policies_failing([*others, *contacts(*categories)]) == failing
