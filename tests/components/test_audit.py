"""The audit trail: Data Access logs where data is, a sink to a (locked) log bucket, contacts."""

from __future__ import annotations

from components.audit import AuditArgs, AuditLogging
from preflight.capture import Capture
from preflight.values import unwrapped
from settings.audit import AuditSettings, EssentialContacts
from tests.components.fixtures import ENV, LABELS, PROJECT
from tests.components.inventory import Scenario, capture_fixture, inventory_test, run

BUCKET = "gcp:logging/projectBucketConfig:ProjectBucketConfig"
SETTINGS = AuditSettings(
    contacts=EssentialContacts(
        security=("sec@example.test", "oncall@example.test"), technical=("oncall@example.test",)
    ),
    retention_days=400,
)


def _audit(lock: bool) -> None:
    AuditLogging(
        "audit",
        AuditArgs(env=ENV, project=PROJECT, settings=SETTINGS, labels=LABELS, protect=lock),
    )


SCENARIOS = [
    Scenario("audit", "locked", lambda: _audit(lock=True)),
    Scenario("audit", "unlocked", lambda: _audit(lock=False)),
]


test_matches_its_inventory = inventory_test(SCENARIOS)


locked = capture_fixture(SCENARIOS[0])


def test_data_access_logs_for_the_services_that_hold_data(locked: Capture) -> None:
    configs = {
        c.inputs["service"]: sorted(x["logType"] for x in unwrapped(c.inputs)["auditLogConfigs"])
        for c in locked.by_type("gcp:projects/iAMAuditConfig:IAMAuditConfig")
    }
    assert configs == {
        service: ["ADMIN_READ", "DATA_READ", "DATA_WRITE"]
        for service in (
            "cloudkms.googleapis.com",
            "cloudsql.googleapis.com",
            "secretmanager.googleapis.com",
            "storage.googleapis.com",
        )
    }


def test_every_audit_log_goes_to_a_locked_bucket_kept_as_long_as_set(locked: Capture) -> None:
    bucket = locked.one(BUCKET)
    assert unwrapped(bucket.inputs)["retentionDays"] == 400
    assert unwrapped(bucket.inputs)["locked"] is True
    assert bucket.protect is True
    sink = unwrapped(locked.one("gcp:logging/projectSink:ProjectSink").inputs)
    assert sink["destination"] == f"logging.googleapis.com/{bucket.outputs['name']}"
    assert sink["filter"] == 'logName:"/logs/cloudaudit.googleapis.com%2F"'


def test_an_unlocked_trail_stays_destroyable() -> None:
    bucket = run(SCENARIOS[1]).one(BUCKET)
    assert unwrapped(bucket.inputs)["locked"] is False
    assert bucket.protect is False


def test_one_contact_per_address_for_each_category_it_is_named_for(locked: Capture) -> None:
    contacts = {
        c.inputs["email"]: sorted(c.inputs["notificationCategorySubscriptions"])
        for c in locked.by_type("gcp:essentialcontacts/contact:Contact")
    }
    assert contacts == {
        "oncall@example.test": ["SECURITY", "TECHNICAL"],
        "sec@example.test": ["SECURITY"],
    }
