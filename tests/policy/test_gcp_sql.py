"""Cloud SQL policies: the compliant instance passes; changing one property fails exactly it. The
daily export's schedule is judged by what the job starts."""

from __future__ import annotations

from typing import Any

import pytest

from policy.myhibachi_policy import gcp_sql
from preflight.values import unwrapped
from tests.conftest import captured
from tests.policy import baselines as b
from tests.policy.one_change import DELETE, Case, changed, one_change_test
from tests.policy.support import STACKS, UNKNOWN, names, res, resource_outcome, stack_outcome

BACKUPS = "gcp-sql-instance-backups-enabled"
VERSION = "gcp-sql-instance-postgres-version-supported"
EXPORT = "gcp-sql-backup-export-scheduled"

PROTECTED = "gcp-stateful-resource-protected"
PITR = "gcp-sql-instance-point-in-time-recovery-enabled"
ENGINE_FLAGS = "gcp-sql-instance-engine-hardening-flags"

CASES: list[Case] = [
    ("settings.backupConfiguration.enabled", False, {"gcp-sql-instance-backups-enabled"}),
    ("settings.backupConfiguration.enabled", DELETE, {"gcp-sql-instance-backups-enabled"}),
    ("settings.backupConfiguration.startTime", DELETE, {BACKUPS}),
    ("settings.backupConfiguration.startTime", "25:00", {BACKUPS}),
    ("settings.backupConfiguration.startTime", "23:30", set()),
    ("databaseVersion", "POSTGRES_12", {VERSION}),
    ("databaseVersion", "POSTGRES_9_6", {VERSION}),
    ("databaseVersion", "postgres_16", {VERSION}),
    ("databaseVersion", "POSTGRES_17", set()),
    ("databaseVersion", "POSTGRES_14", set()),
    # Another engine: outside the PostgreSQL version rule, judged by MySQL's own recovery
    # setting (binaryLogEnabled) and hardening flags, which a PostgreSQL instance lacks.
    ("databaseVersion", "MYSQL_5_7", {PITR, ENGINE_FLAGS}),
    (
        "settings.backupConfiguration.pointInTimeRecoveryEnabled",
        DELETE,
        {"gcp-sql-instance-point-in-time-recovery-enabled"},
    ),
    (
        "settings.backupConfiguration.backupRetentionSettings.retainedBackups",
        7,
        {"gcp-sql-instance-backup-retention"},
    ),
    (
        "settings.backupConfiguration.backupRetentionSettings",
        DELETE,
        {"gcp-sql-instance-backup-retention"},
    ),
    ("settings.ipConfiguration.ipv4Enabled", DELETE, {"gcp-sql-instance-no-public-ip"}),
    ("settings.ipConfiguration.ipv4Enabled", True, {"gcp-sql-instance-no-public-ip"}),
    (
        "settings.ipConfiguration.authorizedNetworks",
        [{"name": "any", "value": "0.0.0.0/0"}],
        {"gcp-sql-instance-no-open-authorized-network"},
    ),
    ("settings.ipConfiguration.sslMode", DELETE, {"gcp-sql-instance-tls-required"}),
    (
        "settings.ipConfiguration.sslMode",
        "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
        {"gcp-sql-instance-tls-required"},
    ),
    ("deletionProtection", False, {"gcp-sql-instance-deletion-protection-enabled", PROTECTED}),
    (
        "settings.deletionProtectionEnabled",
        DELETE,
        {"gcp-sql-instance-deletion-protection-enabled", PROTECTED},
    ),
    ("settings.availabilityType", DELETE, {"gcp-sql-instance-regional-availability"}),
    (
        "settings.databaseFlags.0",
        {"name": "log_connections", "value": "off"},
        {"gcp-sql-instance-postgres-audit-flags"},
    ),
    ("settings.databaseFlags", DELETE, {"gcp-sql-instance-postgres-audit-flags"}),
    (
        "settings.databaseFlags.7",
        {"name": "log_min_duration_statement", "value": "0"},
        {"gcp-sql-instance-postgres-audit-flags", "gcp-sql-instance-no-statement-duration-logging"},
    ),
    # Compliant variants.
    (
        "settings.ipConfiguration.authorizedNetworks",
        [{"name": "office", "value": "203.0.113.0/24"}],
        set(),
    ),
    ("settings.ipConfiguration.sslMode", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED", set()),
]


test_baseline_passes_and_one_change_fails_exactly = one_change_test((b.SQL, b.sql, CASES))


def test_statement_duration_logging_switched_off_passes() -> None:
    flags = [*b.AUDIT_FLAGS, {"name": "log_min_duration_statement", "value": "-1"}]
    assert names(b.SQL, changed(b.sql(), "settings.databaseFlags", flags)) == set()


def test_protect_option_required() -> None:
    assert names(b.SQL, b.sql(), protect=False) == {"gcp-sql-instance-protected", PROTECTED}


def test_unknown_backup_settings_and_versions_are_not_applicable() -> None:
    start = changed(b.sql(), "settings.backupConfiguration.startTime", UNKNOWN)
    outcome = resource_outcome(b.SQL, start)
    assert outcome.only_declined() == {
        BACKUPS: "could not verify the automated backups: DatabaseInstance 'subject': "
        "settings.backupConfiguration.startTime is unknown until the update runs"
    }
    # A known violation is reported whatever else is unknown.
    off = changed(start, "settings.backupConfiguration.enabled", False)
    assert BACKUPS in names(b.SQL, off)
    version = resource_outcome(b.SQL, changed(b.sql(), "databaseVersion", UNKNOWN))
    assert version.skipped[VERSION] == (
        "DatabaseInstance 'subject': databaseVersion is unknown until the update runs"
    )


@pytest.mark.parametrize(
    ("path", "policy"),
    [
        ("settings.ipConfiguration.sslMode", "gcp-sql-instance-tls-required"),
        (
            "settings.backupConfiguration.backupRetentionSettings.retainedBackups",
            "gcp-sql-instance-backup-retention",
        ),
        (
            "settings.backupConfiguration.backupRetentionSettings.retentionUnit",
            "gcp-sql-instance-backup-retention",
        ),
        (
            "settings.ipConfiguration.authorizedNetworks",
            "gcp-sql-instance-no-open-authorized-network",
        ),
    ],
)
def test_other_unknown_settings_are_not_verified(path: str, policy: str) -> None:
    outcome = resource_outcome(b.SQL, changed(b.sql(), path, UNKNOWN))
    assert f"DatabaseInstance 'subject': {path} is unknown" in outcome.only_declined()[policy]


def test_an_unknown_network_is_not_verified_but_an_open_one_is_reported() -> None:
    path = "settings.ipConfiguration.authorizedNetworks"
    unknown_value = changed(b.sql(), path, [{"name": "x", "value": UNKNOWN}])
    outcome = resource_outcome(b.SQL, unknown_value)
    assert (
        f"{path}[0].value is unknown"
        in outcome.only_declined()["gcp-sql-instance-no-open-authorized-network"]
    )
    both = changed(b.sql(), path, [{"value": UNKNOWN}, {"value": "0.0.0.0/0"}])
    assert "gcp-sql-instance-no-open-authorized-network" in names(b.SQL, both)


# --- The daily export ---------------------------------------------------------------------------


WANTED = ("gcp:workflows/workflow:Workflow", "gcp:cloudscheduler/job:Job")


def declared(stack: str = "production") -> dict[str, tuple[str, dict[str, Any]]]:
    """The program's backup workflow and schedule by name: (type, inputs as the engine has them)."""
    return {
        r.name: (r.type, unwrapped(r.inputs)) for r in captured(stack).resources if r.type in WANTED
    }


def backups(stack: str = "production") -> list[Any]:
    return [res(kind, name, props) for name, (kind, props) in declared(stack).items()]


def edited(name: str, path: str, value: Any) -> list[Any]:
    kind, props = declared()[name]
    return [*b.without(backups(), name), res(kind, name, changed(props, path, value))]


def export_outcome(resources: list[Any]) -> Any:
    return stack_outcome(resources, only=EXPORT)


@pytest.mark.parametrize("stack", STACKS)
def test_the_program_schedules_the_export(stack: str) -> None:
    outcome = stack_outcome(backups(stack), stack=stack, only=EXPORT)
    assert (outcome.violations, outcome.skipped) == ([], {})


def test_a_paused_schedule_is_blocked() -> None:
    found = export_outcome(edited("backups-schedule", "paused", True)).violations
    assert [message for _, message, _ in found] == [
        "Job 'backups-schedule': paused must be false: it starts the daily database export."
    ]
    assert export_outcome(edited("backups-schedule", "paused", "false")).violations == []


@pytest.mark.parametrize(
    ("name", "path", "value"),
    [
        # The workflow no longer exports: the words are still there, in a comment.
        (
            "backups-export",
            "sourceContents",
            "# googleapis.sqladmin.v1.instances.export\nmain:\n  steps:\n    - done:\n"
            "        return: 1\n",
        ),
        # The job starts another workflow.
        (
            "backups-schedule",
            "httpTarget.uri",
            "https://workflowexecutions.googleapis.com/v1/projects/p/locations/r/workflows/"
            "other/executions",
        ),
    ],
)
def test_a_schedule_that_starts_no_export_is_blocked(name: str, path: str, value: Any) -> None:
    found = export_outcome(edited(name, path, value)).violations
    assert [n for n, _, _ in found] == [EXPORT]
    assert export_outcome(b.without(backups(), "backups-schedule")).violations != []


def test_the_same_export_written_otherwise_passes() -> None:
    # JSON instead of YAML, the call inside a subworkflow; or the Admin API's endpoint directly.
    source = (
        '{"main": {"steps": [{"run": {"call": "dump"}}]}, "dump": {"steps": [{"export": '
        '{"call": "googleapis.sqladmin.v1.instances.export", "args": {}}}]}}'
    )
    assert export_outcome(edited("backups-export", "sourceContents", source)).violations == []
    direct = "https://sqladmin.googleapis.com/v1/projects/p/instances/db/export"
    outcome = export_outcome(edited("backups-schedule", "httpTarget.uri", direct))
    assert (outcome.violations, outcome.skipped) == ([], {})


@pytest.mark.parametrize(
    ("name", "path", "reason"),
    [
        ("backups-schedule", "paused", "Job 'backups-schedule': paused is unknown"),
        ("backups-schedule", "httpTarget.uri", "Job 'backups-schedule': httpTarget.uri is unknown"),
        (
            "backups-export",
            "sourceContents",
            "Workflow 'backups-export': sourceContents is unknown",
        ),
        ("backups-schedule", "schedule", "Job 'backups-schedule': schedule is unknown"),
    ],
)
def test_an_unknown_schedule_is_not_applicable(name: str, path: str, reason: str) -> None:
    outcome = export_outcome(edited(name, path, UNKNOWN))
    assert outcome.violations == []
    assert reason in outcome.skipped[EXPORT]


RARE = (
    "Job 'backups-schedule': schedule must fire at least once a day: it starts the database "
    "export, which keeps a copy outside the instance for the checklist's recovery point."
)


@pytest.mark.parametrize(
    "schedule",
    [
        "0 10 1 1 *",  # yearly
        "0 10 1 * *",  # monthly
        "0 10 * * 1-5",  # weekdays only
        "0 10 */2 * *",  # every other day of the month
        "0 10 1-30 * 1",  # every day but the 31st (unless a Monday)
        "0 0 * 1-11 *",  # every day but December's
        "*/5 * 29 2 *",  # often, on one day every four years
        DELETE,  # no schedule: runs only when started by hand
    ],
)
def test_a_schedule_firing_less_than_daily_is_blocked(schedule: Any) -> None:
    found = export_outcome(edited("backups-schedule", "schedule", schedule)).violations
    assert [message for _, message, _ in found] == [RARE]


@pytest.mark.parametrize(
    "schedule",
    [
        "0 10 * * *",
        "*/15 * * * *",
        "0 10 1-31 * *",  # every day of the month is every day
        "0 10 * * 0-6",
        "0 10 1-15 * 0-6",  # restricted day of month OR every weekday: every day
        "30 3,15 * JAN-DEC *",
    ],
)
def test_a_schedule_firing_at_least_daily_passes(schedule: str) -> None:
    outcome = export_outcome(edited("backups-schedule", "schedule", schedule))
    assert (outcome.violations, outcome.skipped) == ([], {})


@pytest.mark.parametrize("schedule", ["every 24 hours", "61 10 * * *", ["0 10 * * *"]])
def test_a_schedule_the_policy_cannot_read_is_not_verified(schedule: Any) -> None:
    outcome = export_outcome(edited("backups-schedule", "schedule", schedule))
    assert outcome.violations == []
    assert "Job 'backups-schedule': schedule is not a unix-cron schedule" in outcome.skipped[EXPORT]


def test_one_daily_schedule_of_two_is_enough() -> None:
    kind, props = declared()["backups-schedule"]
    yearly = res(kind, "backups-yearly", changed(props, "schedule", "0 10 1 1 *"))
    outcome = export_outcome([*backups(), yearly])
    assert (outcome.violations, outcome.skipped) == ([], {})


# --- MySQL and SQL Server: the same instance type, their own recovery setting and flags -----------


def mysql() -> dict[str, Any]:
    props = changed(b.sql(), "databaseVersion", "MYSQL_8_0")
    backups = props["settings"]["backupConfiguration"]
    del backups["pointInTimeRecoveryEnabled"]
    backups["binaryLogEnabled"] = True
    props["settings"]["databaseFlags"] = [
        {"name": "local_infile", "value": "off"},
        {"name": "skip_show_database", "value": "on"},
    ]
    return props


def sqlserver() -> dict[str, Any]:
    props = changed(b.sql(), "databaseVersion", "SQLSERVER_2022_STANDARD")
    props["settings"]["databaseFlags"] = [
        {"name": "3625", "value": "on"},
        {"name": "contained database authentication", "value": "off"},
        {"name": "cross db ownership chaining", "value": "off"},
        {"name": "external scripts enabled", "value": "off"},
        {"name": "remote access", "value": "off"},
    ]
    return props


MYSQL_CASES: list[Case] = [
    ("settings.backupConfiguration.binaryLogEnabled", DELETE, {PITR}),
    ("settings.backupConfiguration.binaryLogEnabled", False, {PITR}),
    ("settings.databaseFlags.0", {"name": "local_infile", "value": "ON"}, {ENGINE_FLAGS}),
    ("settings.databaseFlags", DELETE, {ENGINE_FLAGS}),
    ("settings.ipConfiguration.ipv4Enabled", True, {"gcp-sql-instance-no-public-ip"}),
    ("deletionProtection", False, {"gcp-sql-instance-deletion-protection-enabled", PROTECTED}),
]
SQLSERVER_CASES: list[Case] = [
    ("settings.backupConfiguration.pointInTimeRecoveryEnabled", DELETE, {PITR}),
    ("settings.databaseFlags.4", {"name": "remote access", "value": "on"}, {ENGINE_FLAGS}),
    ("settings.databaseFlags", DELETE, {ENGINE_FLAGS}),
    ("settings.ipConfiguration.sslMode", DELETE, {"gcp-sql-instance-tls-required"}),
]

test_other_engines_are_judged_by_their_own_settings = one_change_test(
    ("gcp:sql/databaseInstance:DatabaseInstance", mysql, MYSQL_CASES),
    ("gcp:sql/databaseInstance:DatabaseInstance", sqlserver, SQLSERVER_CASES),
)


def test_engine_flags_with_an_unknown_version_are_not_applicable() -> None:
    outcome = resource_outcome(b.SQL, changed(mysql(), "databaseVersion", UNKNOWN))
    assert outcome.violations == []
    assert outcome.skipped[ENGINE_FLAGS] == "databaseVersion is unknown until the update runs"
    assert outcome.skipped[PITR] == (
        "databaseVersion is unknown, so is which recovery setting applies"
    )


def test_no_recovery_setting_fails_whatever_the_engine() -> None:
    props = changed(sqlserver(), "databaseVersion", UNKNOWN)
    del props["settings"]["backupConfiguration"]["pointInTimeRecoveryEnabled"]
    assert PITR in names(b.SQL, props)


def test_an_unknown_binary_log_is_not_verified() -> None:
    path = "settings.backupConfiguration.binaryLogEnabled"
    outcome = resource_outcome(b.SQL, changed(mysql(), path, UNKNOWN))
    assert outcome.only_declined()[PITR] == (
        f"DatabaseInstance 'subject': {path} is unknown until the update runs"
    )


_SCHEDULES = [
    "0 10 * * *",
    "*/30 * * * *",
    "0 10 1 1 *",
    "0 10 * * 1-5",
    "0 10 */2 * *",
    "0 10 1-31 * 1",
    "0 10 1-30 * 0-6",
    "0 10 * 1-11 *",
    "0 10 * * 0-7",
    "0 10 1-15,16-31 * 2",
    "0 10 1-28 * *",
    "0 10 29-31,1-28 * *",
    "30 2 * * 0,1,2,3,4,5,6",
    "0 10 * * 1-6",
    "0 10 2-31 * 0",
    "0 10 * * 7,1-6",
    "0 10 L * *",
    "0 10 * * 1#2",
    "0 10 1-31 * 1#2",
]


@pytest.mark.parametrize("schedule", _SCHEDULES)
def test_the_day_field_shortcut_agrees_with_walking_the_days(
    schedule: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shortcut = gcp_sql.fires_daily(schedule)
    monkeypatch.setattr(gcp_sql, "_plain_days_fire_daily", lambda parsed: None)
    assert gcp_sql.fires_daily(schedule) == shortcut
