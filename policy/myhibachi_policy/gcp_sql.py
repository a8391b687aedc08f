"""Cloud SQL (PostgreSQL, MySQL, SQL Server): backups, recovery, network exposure, TLS,
protection, each engine's hardening flags, supported versions, and the daily export outside the
instance.

The engine comes from `databaseVersion`; an engine-specific check that cannot read it during
preview says so (`args.not_applicable`) rather than pass.

The export schedule is judged by what it starts: a Cloud Scheduler job, not paused, whose HTTP
target is the executions endpoint of a Workflow whose source calls the Cloud SQL Admin export
(`googleapis.sqladmin.v1.instances.export`, read from the Workflows YAML or JSON, not searched
for as text), or the export endpoint of the Cloud SQL Admin API itself. Its unix-cron `schedule`
must fire at least once a day (the export is the copy kept outside the instance, and the
checklist's recovery point is measured in hours); a schedule the policy cannot read (unknown during
preview, or App Engine's English-like syntax) is not verified rather than passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any, Final

import yaml
from cronsim import CronSim, CronSimError
from pulumi_policy import (
    PolicyConfigSchema,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
)

from .helpers import (
    MISSING,
    STRING_LIST,
    Report,
    ResourceCheck,
    StackReport,
    Undecided,
    admits_everyone,
    as_bool,
    as_number,
    as_str,
    elements,
    expect,
    fmt_number,
    get,
    is_unknown,
    label,
    of_type,
    param_number,
    param_strs,
    prop,
    resource_policy,
    schema,
    stack_policy,
    unknown,
)

SQL_INSTANCE: Final = "gcp:sql/databaseInstance:DatabaseInstance"


_BACKUPS: Final = "settings.backupConfiguration"
_START_TIME: Final = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _check_backups(args: ResourceValidationArgs, report: Report) -> None:
    undecided = Undecided()
    enabled = prop(args.props, SQL_INSTANCE, f"{_BACKUPS}.enabled")
    start = get(args.props, f"{_BACKUPS}.startTime")
    for path, value in ((f"{_BACKUPS}.enabled", enabled), (f"{_BACKUPS}.startTime", start)):
        if is_unknown(value):
            undecided.add(unknown(label(args), path))
    if as_bool(enabled) is False:
        report(f"{label(args)}: {_BACKUPS}.enabled must be true (automated backups).")
    if not is_unknown(start) and not _START_TIME.match(as_str(start) or ""):
        report(
            f"{label(args)}: {_BACKUPS}.startTime must be a daily start time HH:MM (absent "
            "leaves the time to Cloud SQL)."
        )
    undecided.settle(args, "the automated backups")


_PITR: Final = "settings.backupConfiguration.pointInTimeRecoveryEnabled"
_BINARY_LOG: Final = "settings.backupConfiguration.binaryLogEnabled"


def _check_pitr(args: ResourceValidationArgs, report: Report) -> None:
    # MySQL recovers to a point in time from its binary log; PostgreSQL and SQL Server from
    # transaction logs kept when pointInTimeRecoveryEnabled is set.
    engine = _engine(args)
    if engine == "MYSQL":
        if is_unknown(get(args.props, _BINARY_LOG)):
            args.not_applicable(unknown(label(args), _BINARY_LOG))
        if as_bool(get(args.props, _BINARY_LOG), False) is False:
            report(f"{label(args)}: {_BINARY_LOG} must be true (MySQL point-in-time recovery).")
        return
    if engine is not None:
        expect(args, report, _PITR, True, "point-in-time recovery")
        return
    settings = (get(args.props, _PITR), get(args.props, _BINARY_LOG))
    if any(is_unknown(value) or as_bool(value, False) for value in settings):
        args.not_applicable("databaseVersion is unknown, so is which recovery setting applies")
    report(
        f"{label(args)}: {_PITR} (or {_BINARY_LOG} for MySQL) must be true (point-in-time "
        "recovery)."
    )


def _check_retention(args: ResourceValidationArgs, report: Report) -> None:
    minimum = param_number(args.get_config(), "minRetainedBackups", 30) or 30
    path = "settings.backupConfiguration.backupRetentionSettings"
    unit = as_str(get(args.props, f"{path}.retentionUnit"), "COUNT")
    if unit is None:
        args.not_applicable(unknown(label(args), f"{path}.retentionUnit"))
        return
    if unit != "COUNT":
        report(f"{label(args)}: {path}.retentionUnit must be COUNT.")
        return
    retained = as_number(prop(args.props, SQL_INSTANCE, f"{path}.retainedBackups"))
    if retained is None:
        args.not_applicable(unknown(label(args), f"{path}.retainedBackups"))
        return
    if retained < minimum:
        report(
            f"{label(args)}: {path}.retainedBackups must be at least {fmt_number(minimum)} "
            "(absent means the API default of 7)."
        )


def _check_public_ip(args: ResourceValidationArgs, report: Report) -> None:
    expect(
        args,
        report,
        "settings.ipConfiguration.ipv4Enabled",
        False,
        "no public IP; absent means true",
    )


def _check_authorized_networks(args: ResourceValidationArgs, report: Report) -> None:
    path = "settings.ipConfiguration.authorizedNetworks"
    networks = get(args.props, path)
    undecided = Undecided()
    if is_unknown(networks):
        undecided.add(unknown(label(args), path))
    found = False
    for index, network in enumerate(elements(networks)):
        raw = get(network, "value")
        if is_unknown(raw):
            undecided.add(unknown(label(args), f"{path}[{index}].value"))
        if admits_everyone(as_str(raw)):
            found = True
            report(
                f"{label(args)}: {path}[{index}].value must not allow the whole internet "
                "(0.0.0.0/0)."
            )
    if not found:
        undecided.settle(args, "the authorized networks")


_TLS_MODES: Final = ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")


def _check_tls(args: ResourceValidationArgs, report: Report) -> None:
    mode = as_str(prop(args.props, SQL_INSTANCE, "settings.ipConfiguration.sslMode"))
    if mode is None:
        args.not_applicable(unknown(label(args), "settings.ipConfiguration.sslMode"))
        return
    if mode not in _TLS_MODES:
        report(
            f"{label(args)}: settings.ipConfiguration.sslMode must be ENCRYPTED_ONLY or "
            "TRUSTED_CLIENT_CERTIFICATE_REQUIRED (absent allows unencrypted connections)."
        )


def _check_deletion_protection(args: ResourceValidationArgs, report: Report) -> None:
    # Both are judged: a known violation of one is reported whatever the other's state.
    undecided = Undecided()
    pulumi_side = expect(
        args,
        report,
        "deletionProtection",
        True,
        "Pulumi-side deletion protection",
        undecided=undecided,
    )
    api_side = expect(
        args,
        report,
        "settings.deletionProtectionEnabled",
        True,
        "API-side deletion protection",
        undecided=undecided,
    )
    if not (pulumi_side or api_side):
        undecided.settle(args, "deletion protection")


def _check_regional(args: ResourceValidationArgs, report: Report) -> None:
    expect(args, report, "settings.availabilityType", "REGIONAL", "absent means ZONAL")


def _check_protect(args: ResourceValidationArgs, report: Report) -> None:
    if not bool(getattr(args.opts, "protect", False)):
        report(f"{label(args)}: the `protect` resource option must be set.")


# --- PostgreSQL database flags (CIS 6.2) ------------------------------------------------------


_ENGINES: Final = ("POSTGRES", "MYSQL", "SQLSERVER")


def _engine(args: ResourceValidationArgs) -> str | None:
    """POSTGRES, MYSQL or SQLSERVER from databaseVersion; None when unknown or unreadable."""
    version = as_str(get(args.props, "databaseVersion"))
    if version is None:
        return None
    return next((engine for engine in _ENGINES if version.upper().startswith(engine)), None)


def _is_postgres(args: ResourceValidationArgs) -> bool | None:
    engine = _engine(args)
    if engine is None:
        if is_unknown(get(args.props, "databaseVersion")):
            args.not_applicable("databaseVersion is unknown until the update runs")
        return None
    return engine == "POSTGRES"


def _flags(args: ResourceValidationArgs) -> dict[str, Any] | None:
    """The instance's database flags by name; None when the list is unknown."""
    raw = get(args.props, "settings.databaseFlags")
    if is_unknown(raw):
        return None
    result: dict[str, Any] = {}
    for flag in elements(raw):
        name = as_str(get(flag, "name"))
        if name is None:
            if get(flag, "name") is not MISSING:
                return None  # an unknown flag name could be any of ours
            continue
        result[name] = get(flag, "value")
    return result


AUDIT_FLAGS: Final[Mapping[str, str]] = {
    # flag: expected value (compared case-insensitively), per CIS GCP 6.2.x
    "cloudsql.enable_pgaudit": "on",
    "log_checkpoints": "on",
    "log_connections": "on",
    "log_disconnections": "on",
    "log_lock_waits": "on",
    "log_min_error_statement": "error",
    "log_min_messages": "warning",
    "log_temp_files": "0",
}


def _postgres_flags(args: ResourceValidationArgs) -> dict[str, Any] | None:
    """A PostgreSQL instance's database flags; None for another engine or an unknown list."""
    return _flags(args) if _is_postgres(args) else None


def _check_audit_flags(args: ResourceValidationArgs, report: Report) -> None:
    flags = _postgres_flags(args)
    if flags is not None:
        _report_flags_unlike(args, report, flags, AUDIT_FLAGS)


def _report_flags_unlike(
    args: ResourceValidationArgs,
    report: Report,
    flags: Mapping[str, Any],
    expected_flags: Mapping[str, str],
) -> None:
    """Report each expected flag that is absent or set otherwise (case-insensitive)."""
    for name, expected in expected_flags.items():
        value = flags.get(name, MISSING)
        if value is MISSING:
            report(f"{label(args)}: settings.databaseFlags must set {name} to {expected}.")
            continue
        text = as_str(value)
        if text is not None and text.strip().lower() != expected:
            report(f"{label(args)}: settings.databaseFlags {name} must be {expected}.")


ENGINE_FLAGS: Final[Mapping[str, Mapping[str, str]]] = {
    # engine: flag -> expected value (case-insensitive), CIS GCP 6.1 (MySQL) and 6.3 (SQL Server)
    "MYSQL": {"local_infile": "off", "skip_show_database": "on"},
    "SQLSERVER": {
        "3625": "on",
        "contained database authentication": "off",
        "cross db ownership chaining": "off",
        "external scripts enabled": "off",
        "remote access": "off",
    },
}


def _check_engine_flags(args: ResourceValidationArgs, report: Report) -> None:
    engine = _engine(args)
    if engine is None:
        if is_unknown(get(args.props, "databaseVersion")):
            args.not_applicable("databaseVersion is unknown until the update runs")
        return
    expected_flags = ENGINE_FLAGS.get(engine)
    if not expected_flags:
        return
    flags = _flags(args)
    if flags is None:
        args.not_applicable("settings.databaseFlags is unknown until the update runs")
        return
    _report_flags_unlike(args, report, flags, expected_flags)


def _check_no_duration_logging(args: ResourceValidationArgs, report: Report) -> None:
    flags = _postgres_flags(args)
    if flags is None:
        return
    value = flags.get("log_min_duration_statement", MISSING)
    if value is MISSING:
        return
    text = as_str(value)
    if text is not None and text.strip() != "-1":
        report(
            f"{label(args)}: settings.databaseFlags log_min_duration_statement must be absent "
            "or -1 (statement-duration logging writes query text, with its data, to the logs)."
        )


# --- Supported PostgreSQL versions ---------------------------------------------------------------

SUPPORTED_POSTGRES: Final = ("POSTGRES_14", "POSTGRES_15", "POSTGRES_16", "POSTGRES_17")


def _check_postgres_version(args: ResourceValidationArgs, report: Report) -> None:
    version = get(args.props, "databaseVersion")
    if is_unknown(version):
        args.not_applicable(unknown(label(args), "databaseVersion"))
    text = as_str(version)
    if text is None or not text.upper().startswith("POSTGRES"):
        return  # MySQL and SQL Server versions are judged elsewhere
    supported = param_strs(args.get_config(), "supportedVersions", SUPPORTED_POSTGRES)
    if text not in supported:
        report(f"{label(args)}: databaseVersion must be one of {', '.join(supported)}.")


# --- The daily export outside the instance --------------------------------------------------------

SCHEDULER_JOB: Final = "gcp:cloudscheduler/job:Job"
WORKFLOW: Final = "gcp:workflows/workflow:Workflow"
EXPORT_CALL: Final = "googleapis.sqladmin.v1.instances.export"
_EXECUTIONS: Final = re.compile(
    r"^https://workflowexecutions\.googleapis\.com/v1/projects/[^/]+/locations/[^/]+/"
    r"workflows/(?P<name>[^/]+)/executions/?$"
)
_ADMIN_EXPORT: Final = re.compile(
    r"^https://sqladmin\.googleapis\.com/(?:sql/)?v1(?:beta4)?/projects/[^/]+/instances/"
    r"[^/]+/export/?$"
)


def _steps(document: Any) -> Iterator[Mapping[Any, Any]]:
    """Every mapping of a Workflows definition (steps, subworkflows, branches, loops)."""
    if isinstance(document, Mapping):
        yield document
        for value in document.values():
            yield from _steps(value)
    elif isinstance(document, list):
        for item in document:
            yield from _steps(item)


def workflow_exports(source: str) -> bool | None:
    """Whether a Workflows definition calls the Cloud SQL export (None: not readable)."""
    try:
        document = yaml.safe_load(source)
    except yaml.YAMLError:
        return None
    return any(step.get("call") == EXPORT_CALL for step in _steps(document))


# Every calendar day over eight years (two leap days, every weekday on every date) must match the
# schedule's day fields: a cron fires at the same times on every day it matches, so a schedule
# that matches every day fires at least once in any 24 hours.
_FIRST_DAY: Final = date(2028, 1, 1)
_LAST_DAY: Final = date(2035, 12, 31)


_ALL_DAYS: Final = frozenset(range(1, 32))
_ALL_WEEKDAYS: Final = frozenset(range(7))


def _plain_days_fire_daily(parsed: CronSim) -> bool | None:
    """From the parsed day fields alone, when they hold plain numbers (None: `L`, `W`, `#`).

    Every (date, weekday) pair occurs over the years, so with both fields restricted (either
    matches) a day is missed unless one field is complete; otherwise both must be complete."""
    days = [day for day in parsed.days if isinstance(day, int) and 1 <= day <= 31]
    weekdays = [day for day in parsed.weekdays if isinstance(day, int)]
    if len(days) != len(parsed.days) or len(weekdays) != len(parsed.weekdays):
        return None
    if set(parsed.months) != set(range(1, 13)):
        return False
    days_complete = set(days) >= _ALL_DAYS
    weekdays_complete = {day % 7 for day in weekdays} >= _ALL_WEEKDAYS  # 7 is Sunday too
    if parsed.day_and:
        return days_complete and weekdays_complete
    return days_complete or weekdays_complete


def fires_daily(schedule: str) -> bool | None:
    """Whether a unix-cron schedule fires on every day (None: not a unix-cron schedule)."""
    fields = schedule.split()
    try:
        parsed = CronSim(schedule, datetime(2000, 1, 1))
        decided = _plain_days_fire_daily(parsed)
        if decided is not None:
            return decided
        # `L`, `W` or `#` days: midnight of each matching day, one fire per day keeps it short.
        days = CronSim(" ".join(["0", "0", *fields[2:]]), datetime(2027, 12, 31, 23, 59))
    except CronSimError:
        return None
    expected = _FIRST_DAY
    for fire in days:
        if fire.date() > _LAST_DAY:
            break
        if fire.date() != expected:
            return False
        expected += timedelta(days=1)
    return expected > _LAST_DAY


def _export_workflows(resources: list[PolicyResource], undecided: Undecided) -> dict[str, bool]:
    """Workflow names to whether each runs the export; unknown ones go to `undecided`."""
    result: dict[str, bool] = {}
    for workflow in of_type(resources, WORKFLOW):
        name, source = get(workflow.props, "name"), get(workflow.props, "sourceContents")
        if is_unknown(name) or is_unknown(source):
            undecided.add(
                unknown(label(workflow), "name" if is_unknown(name) else "sourceContents")
            )
            continue
        exports = workflow_exports(as_str(source) or "")
        if exports is None:
            undecided.add(f"{label(workflow)}: sourceContents cannot be read as YAML or JSON")
        elif isinstance(name, str):
            result[name] = exports
    return result


def _fires_daily(job: PolicyResource, undecided: Undecided) -> bool | None:
    """Whether a job's schedule fires every day; None (and undecided) when it cannot be read."""
    schedule = get(job.props, "schedule")
    if is_unknown(schedule):
        undecided.add(unknown(label(job), "schedule"))
        return None
    if schedule is MISSING:
        return False  # a job without a schedule runs only when started by hand
    text = as_str(schedule)
    daily = None if text is None else fires_daily(text)
    if daily is None:
        undecided.add(f"{label(job)}: schedule is not a unix-cron schedule this policy reads")
    return daily


def _check_export_scheduled(args: StackValidationArgs, report: StackReport) -> None:
    undecided = Undecided()
    exporting = _export_workflows(args.resources, undecided)
    paused: list[PolicyResource] = []
    rare: list[PolicyResource] = []
    for job in of_type(args.resources, SCHEDULER_JOB):
        uri = get(job.props, "httpTarget.uri")
        if is_unknown(uri):
            undecided.add(unknown(label(job), "httpTarget.uri"))
            continue
        text = (as_str(uri) or "").strip()
        workflow = _EXECUTIONS.match(text)
        if workflow is not None:
            starts_export = exporting.get(workflow.group("name"))
        else:
            starts_export = bool(_ADMIN_EXPORT.match(text))
        if not starts_export:
            continue  # another job (or a workflow left undecided above)
        state = as_bool(get(job.props, "paused"), False)
        if state is None:
            undecided.add(unknown(label(job), "paused"))
        elif state:
            paused.append(job)
        else:
            daily = _fires_daily(job, undecided)
            if daily:
                return  # a running schedule starts the export every day
            if daily is False:
                rare.append(job)
    for job in paused:
        report(f"{label(job)}: paused must be false: it starts the daily database export.", job.urn)
    for job in rare:
        report(
            f"{label(job)}: schedule must fire at least once a day: it starts the database "
            "export, which keeps a copy outside the instance for the checklist's recovery point.",
            job.urn,
        )
    if paused or rare:
        return
    undecided.settle(args, "the daily database export schedule")
    report(
        "The stack must declare a Cloud Scheduler job, not paused, that starts the daily Cloud "
        f"SQL export (a Workflow calling {EXPORT_CALL}, or the Cloud SQL Admin export endpoint).",
        None,
    )


def _sql_policy(
    name: str, check: ResourceCheck, *, config_schema: PolicyConfigSchema | None = None
) -> ResourceValidationPolicy:
    """A policy on Cloud SQL instances."""
    return resource_policy(
        name=name, resource_types=[SQL_INSTANCE], check=check, config_schema=config_schema
    )


POLICIES: Final = [
    _sql_policy(
        "gcp-sql-instance-backups-enabled",
        _check_backups,
    ),
    _sql_policy(
        "gcp-sql-instance-point-in-time-recovery-enabled",
        _check_pitr,
    ),
    _sql_policy(
        "gcp-sql-instance-backup-retention",
        _check_retention,
        config_schema=schema(
            {"minRetainedBackups": {"type": "integer", "minimum": 1, "default": 30}}
        ),
    ),
    _sql_policy(
        "gcp-sql-instance-no-public-ip",
        _check_public_ip,
    ),
    _sql_policy(
        "gcp-sql-instance-no-open-authorized-network",
        _check_authorized_networks,
    ),
    _sql_policy(
        "gcp-sql-instance-tls-required",
        _check_tls,
    ),
    _sql_policy(
        "gcp-sql-instance-deletion-protection-enabled",
        _check_deletion_protection,
    ),
    _sql_policy(
        "gcp-sql-instance-regional-availability",
        _check_regional,
    ),
    _sql_policy(
        "gcp-sql-instance-postgres-audit-flags",
        _check_audit_flags,
    ),
    _sql_policy(
        "gcp-sql-instance-engine-hardening-flags",
        _check_engine_flags,
    ),
    _sql_policy(
        "gcp-sql-instance-no-statement-duration-logging",
        _check_no_duration_logging,
    ),
    _sql_policy(
        "gcp-sql-instance-protected",
        _check_protect,
    ),
    _sql_policy(
        "gcp-sql-instance-postgres-version-supported",
        _check_postgres_version,
        config_schema=schema(
            {
                "supportedVersions": {
                    **STRING_LIST,
                    "minItems": 1,
                    "default": list(SUPPORTED_POSTGRES),
                }
            }
        ),
    ),
    stack_policy(
        name="gcp-sql-backup-export-scheduled",
        check=_check_export_scheduled,
    ),
]
