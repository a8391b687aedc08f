"""Backups: a locked-down, versioned, retained bucket and a daily export by a narrow identity."""

from __future__ import annotations

import pytest

from preflight.capture import Capture
from preflight.values import unwrapped
from tests.conftest import captured

BUCKET = "gcp:storage/bucket:Bucket"
BUCKET_IAM = "gcp:storage/bucketIAMMember:BucketIAMMember"
PROJECT_IAM = "gcp:projects/iAMMember:IAMMember"


def test_bucket_is_private_versioned_and_retained_for_30_days(any_stack: Capture) -> None:
    bucket = unwrapped(any_stack.one(BUCKET).inputs)
    assert bucket["uniformBucketLevelAccess"] is True
    assert bucket["publicAccessPrevention"] == "enforced"
    assert bucket["versioning"] == {"enabled": True}
    # The provider types the period as a string of seconds.
    assert int(bucket["retentionPolicy"]["retentionPeriod"]) >= 30 * 86_400
    assert bucket["forceDestroy"] is False
    assert bucket["labels"]["purpose"] == "backup"
    assert {"app", "env", "owner"} <= set(bucket["labels"])


def test_bucket_moves_to_colder_storage(any_stack: Capture) -> None:
    rules = unwrapped(any_stack.one(BUCKET).inputs)["lifecycleRules"]
    moves = {r["action"]["storageClass"]: r["condition"]["age"] for r in rules}
    assert moves == {"NEARLINE": 30, "COLDLINE": 90}


@pytest.mark.parametrize(("stack", "protected"), [("staging", False), ("production", True)])
def test_bucket_protected_in_production_only(stack: str, protected: bool) -> None:
    assert captured(stack).one(BUCKET).protect is protected


def test_only_the_sql_instance_writes_to_the_bucket(any_stack: Capture) -> None:
    instance = any_stack.one("gcp:sql/databaseInstance:DatabaseInstance")
    grants = [unwrapped(g.inputs) for g in any_stack.by_type(BUCKET_IAM)]
    assert grants == [
        {
            "bucket": any_stack.one(BUCKET).outputs["name"],
            "role": "roles/storage.objectCreator",
            "member": f"serviceAccount:{instance.outputs['serviceAccountEmailAddress']}",
        }
    ]


def test_exporter_has_only_export_rights_and_workflow_invocation(any_stack: Capture) -> None:
    exporter = any_stack.one("gcp:serviceaccount/account:Account", "backups-exporter")
    member = f"serviceAccount:{exporter.outputs['email']}"
    role = any_stack.one("gcp:projects/iAMCustomRole:IAMCustomRole")
    assert sorted(role.inputs["permissions"]) == [
        "cloudsql.instances.export",
        "cloudsql.instances.get",
    ]
    roles = sorted(
        unwrapped(g.inputs)["role"]
        for g in any_stack.by_type(PROJECT_IAM)
        if unwrapped(g.inputs)["member"] == member
    )
    assert roles == sorted([role.outputs["name"], "roles/workflows.invoker"])


def test_daily_export_writes_a_new_object_each_run(any_stack: Capture) -> None:
    workflow = unwrapped(any_stack.one("gcp:workflows/workflow:Workflow").inputs)
    bucket = any_stack.one(BUCKET).outputs["name"]
    source = workflow["sourceContents"]
    assert "googleapis.sqladmin.v1.instances.export" in source
    assert f"gs://{bucket}/cloudsql/" in source
    assert "sys.now()" in source  # the retention policy forbids overwriting an export
    job = unwrapped(any_stack.one("gcp:cloudscheduler/job:Job").inputs)
    assert job["schedule"] == "0 10 * * *"
    assert job["httpTarget"]["uri"].endswith(f"/workflows/{workflow['name']}/executions")
    exporter = any_stack.one("gcp:serviceaccount/account:Account", "backups-exporter")
    assert job["httpTarget"]["oauthToken"]["serviceAccountEmail"] == exporter.outputs["email"]
    assert workflow["serviceAccount"] == exporter.outputs["email"]


def test_bucket_name_is_a_stack_output(any_stack: Capture) -> None:
    assert any_stack.stack_outputs["backupBucket"] == any_stack.one(BUCKET).outputs["name"]
