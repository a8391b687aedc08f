"""Backups: a locked-down, versioned, retained bucket and a daily export by a narrow identity."""

from __future__ import annotations

from components.backups import Backups, BackupsArgs
from preflight.capture import Capture
from preflight.values import unwrapped
from settings.backups import BackupSettings
from tests.components.backup_bucket import BUCKET, assert_backup_bucket
from tests.components.fixtures import ENV, LABELS, PROJECT, REGION
from tests.components.inventory import capture_fixture, inventory_test, protection_scenarios, run

PROJECT_IAM = "gcp:projects/iAMMember:IAMMember"
INSTANCE_ACCOUNT = "fixture-sql@gcp-sa-cloud-sql.iam.gserviceaccount.com"
SETTINGS = BackupSettings(
    coldline_after_days=120,
    export_schedule="15 4 * * 1-5",
    location="EU",
    nearline_after_days=45,
    retention_days=60,
    time_zone="Europe/Paris",
)


def _backups(protect: bool) -> None:
    Backups(
        "backups",
        BackupsArgs(
            database_name="fixture_db",
            env=ENV,
            instance_name="fixture-instance",
            instance_service_account=INSTANCE_ACCOUNT,
            project=PROJECT,
            region=REGION,
            settings=SETTINGS,
            labels=LABELS,
            protect=protect,
        ),
    )


SCENARIOS = protection_scenarios("backups", _backups)


test_matches_its_inventory = inventory_test(SCENARIOS)


backups = capture_fixture(SCENARIOS[0])


def test_bucket_is_private_and_retained_with_one_protection_scheme(backups: Capture) -> None:
    assert_backup_bucket(backups, retention_days=60, location="EU")


def test_bucket_moves_to_colder_storage_on_schedule(backups: Capture) -> None:
    rules = unwrapped(backups.one(BUCKET).inputs)["lifecycleRules"]
    assert {r["action"]["storageClass"]: r["condition"]["age"] for r in rules} == {
        "NEARLINE": 45,
        "COLDLINE": 120,
    }


def test_protect_follows_the_args(backups: Capture) -> None:
    assert backups.one(BUCKET).protect is True
    assert run(SCENARIOS[1]).one(BUCKET).protect is False


def test_only_the_sql_instance_writes_to_the_bucket(backups: Capture) -> None:
    grants = [
        unwrapped(g.inputs) for g in backups.by_type("gcp:storage/bucketIAMMember:BucketIAMMember")
    ]
    assert grants == [
        {
            "bucket": backups.one(BUCKET).outputs["name"],
            "role": "roles/storage.objectCreator",
            "member": f"serviceAccount:{INSTANCE_ACCOUNT}",
        }
    ]


def test_exporter_has_only_export_rights_and_workflow_invocation(backups: Capture) -> None:
    exporter = backups.one("gcp:serviceaccount/account:Account")
    member = f"serviceAccount:{exporter.outputs['email']}"
    role = backups.one("gcp:projects/iAMCustomRole:IAMCustomRole")
    assert sorted(role.inputs["permissions"]) == [
        "cloudsql.instances.export",
        "cloudsql.instances.get",
    ]
    granted = sorted(
        unwrapped(g.inputs)["role"]
        for g in backups.by_type(PROJECT_IAM)
        if unwrapped(g.inputs)["member"] == member
    )
    assert granted == sorted([role.outputs["name"], "roles/workflows.invoker"])
    assert len(backups.by_type(PROJECT_IAM)) == 2


def test_scheduled_export_writes_a_new_object_each_run(backups: Capture) -> None:
    workflow = unwrapped(backups.one("gcp:workflows/workflow:Workflow").inputs)
    source = workflow["sourceContents"]
    assert "googleapis.sqladmin.v1.instances.export" in source
    assert f"gs://{backups.one(BUCKET).outputs['name']}/cloudsql/" in source
    assert "instance: fixture-instance" in source
    assert "sys.now()" in source  # the retention policy forbids overwriting an export
    job = unwrapped(backups.one("gcp:cloudscheduler/job:Job").inputs)
    assert (job["schedule"], job["timeZone"]) == ("15 4 * * 1-5", "Europe/Paris")
    assert job["httpTarget"]["uri"].endswith(f"/workflows/{workflow['name']}/executions")
    exporter = backups.one("gcp:serviceaccount/account:Account").outputs["email"]
    assert job["httpTarget"]["oauthToken"]["serviceAccountEmail"] == exporter
    assert workflow["serviceAccount"] == exporter
