"""Code backups: a retained, private bucket and a writer that can only add to it."""

from __future__ import annotations

from components.code_backups import CodeBackups
from preflight.capture import Capture
from preflight.values import unwrapped
from settings.code_backups import CodeBackupSettings
from tests.components.backup_bucket import BUCKET, assert_backup_bucket
from tests.components.fixtures import ENV, section_args
from tests.components.inventory import capture_fixture, inventory_test, protection_scenarios, run

ACCOUNT = "gcp:serviceaccount/account:Account"
SETTINGS = CodeBackupSettings(delete_after_days=400, location="EU", retention_days=45)


SCENARIOS = protection_scenarios(
    "code_backups", lambda protect: CodeBackups("code-backups", section_args(SETTINGS, protect))
)


test_matches_its_inventory = inventory_test(SCENARIOS)


protected = capture_fixture(SCENARIOS[0])


def test_bucket_is_private_and_keeps_each_bundle(protected: Capture) -> None:
    bucket = assert_backup_bucket(protected, retention_days=45, location="EU")
    [rule] = bucket["lifecycleRules"]
    assert (rule["action"]["type"], rule["condition"]["age"]) == ("Delete", 400)


def test_protect_follows_the_args(protected: Capture) -> None:
    assert protected.one(BUCKET).protect is True
    assert run(SCENARIOS[1]).one(BUCKET).protect is False


def test_the_writer_may_only_create_objects_in_the_bucket(protected: Capture) -> None:
    writer = protected.one(ACCOUNT)
    assert writer.inputs["accountId"] == f"{ENV}-code-backup"
    member = f"serviceAccount:{writer.outputs['email']}"
    iam = [r for r in protected.resources if "IAM" in r.type or "Iam" in r.type]
    assert [(r.type, unwrapped(r.inputs)) for r in iam] == [
        (
            "gcp:storage/bucketIAMMember:BucketIAMMember",
            {
                "bucket": protected.one(BUCKET).outputs["name"],
                "role": "roles/storage.objectCreator",
                "member": member,
            },
        )
    ]
