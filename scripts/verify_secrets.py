"""Check a stack's secrets in Secret Manager against its catalog, after a rotation or any time.

    python scripts/verify_secrets.py --stack production      # or: make verify-secrets STACK=...

For every secret of the catalog (`myhibachi:secrets` in `Pulumi.<stack>.yaml`):
- it exists in the stack's project;
- its latest version is enabled: the API reads `latest`, and a disabled or destroyed latest
  version fails the next revision;
- its rotation is not overdue: it has a rotation schedule, its period is at most the stack's
  `rotationDays`, and now is not more than a day past its `next_rotation_time` (Secret Manager
  moves that time on after each notice, so a time left behind means notices stopped);
- each accessor it names (`api`: the API's service account `{env}-api@{project}`) holds
  `roles/secretmanager.secretAccessor` on it.

Access is read from the secret's IAM policy: a binding of the role to the member, without an IAM
condition. `testIamPermissions` would answer only for the caller; asking it as the API's service
account means impersonating that account, which would let the operator read every value the API
reads (and the policy pack forbids project-wide impersonation grants). Reading the policy needs
`secretmanager.secrets.getIamPolicy` only (roles/secretmanager.viewer), and no value is ever
read. A grant inherited from the project or above is not seen: the program grants per secret, so
a missing per-secret binding is drift either way.

Prints one line per problem on stdout and a summary on stderr. Exit codes: 0 no problem,
1 problems found, 2 bad input or an API that cannot be reached (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from scripts.secret_catalog import (  # noqa: E402
    InputError,
    StackCatalog,
    load_catalog,
    stack_name,
)
from scripts.secret_clients import (  # noqa: E402
    ACCESSOR_ROLE,
    IAM_POLICY_VERSION,
    ApiError,
    IamPolicy,
    NotFound,
    Rotation,
    SecretManager,
    SecretVersion,
    call_api,
    secret_manager_client,
)
from settings.secrets import SecretSpec  # noqa: E402

# How far past `next_rotation_time` a secret may be before its rotation counts as overdue.
ROTATION_GRACE = timedelta(days=1)


def verify(catalog: StackCatalog, secrets: SecretManager, now: datetime) -> list[str]:
    """One line per problem found in the stack's secrets; empty when all is well."""
    problems: list[str] = []
    for spec in catalog.secrets:
        problems.extend(_verify_secret(catalog, spec, secrets, now))
    return problems


def _verify_secret(
    catalog: StackCatalog, spec: SecretSpec, secrets: SecretManager, now: datetime
) -> list[str]:
    name = spec.name
    path = catalog.secret_path(name)
    try:
        secret = call_api(name, secrets.get_secret, name=path)
    except NotFound:
        return [f"{name}: missing: no such secret in project {catalog.project}"]
    problems: list[str] = []
    try:
        latest = call_api(name, secrets.get_secret_version, name=f"{path}/versions/latest")
    except NotFound:
        problems.append(f"{name}: no version: the API has nothing to read")
    else:
        if latest.state != SecretVersion.State.ENABLED:
            number = latest.name.rsplit("/", 1)[-1]
            problems.append(
                f"{name}: latest version {number} is {latest.state.name}, not ENABLED: "
                "the API reads `latest`"
            )
    problems.extend(_rotation_problems(catalog, name, secret.rotation, now))
    if spec.accessors:
        request = {"resource": path, "options": {"requested_policy_version": IAM_POLICY_VERSION}}
        policy = call_api(name, secrets.get_iam_policy, request)
        for accessor in spec.accessors:
            member = catalog.member(accessor)
            if not _grants(policy, member):
                problems.append(
                    f"{name}: {accessor} ({member}) cannot access it: no {ACCESSOR_ROLE} "
                    "binding on the secret"
                )
    return problems


def _rotation_problems(
    catalog: StackCatalog, name: str, rotation: Rotation, now: datetime
) -> list[str]:
    next_time = _as_datetime(rotation.next_rotation_time)
    period = _as_timedelta(rotation.rotation_period)
    if next_time is None or not period:
        return [
            f"{name}: no rotation schedule (the stack rotates every {catalog.rotation_days} days)"
        ]
    problems: list[str] = []
    if period > timedelta(days=catalog.rotation_days):
        problems.append(
            f"{name}: rotation period of {_days(period)} days is longer than the stack's "
            f"rotationDays ({catalog.rotation_days})"
        )
    if now - next_time > ROTATION_GRACE:
        late = (now - next_time).days
        problems.append(
            f"{name}: rotation overdue: next rotation time {next_time:%Y-%m-%dT%H:%M:%SZ} "
            f"passed {late} day{'s' if late > 1 else ''} ago"
        )
    return problems


def _grants(policy: IamPolicy, member: str) -> bool:
    return any(
        binding.role == ACCESSOR_ROLE
        and member in binding.members
        and not binding.condition.expression
        for binding in policy.bindings
    )


def _as_datetime(value: object) -> datetime | None:
    # proto-plus hands a Timestamp over as a datetime, and an unset one as None.
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _as_timedelta(value: object) -> timedelta:
    # proto-plus hands a Duration over as a timedelta (zero when unset).
    return value if isinstance(value, timedelta) else timedelta(0)


def _days(period: timedelta) -> str:
    days = period / timedelta(days=1)
    return f"{days:g}"


def build_parser() -> argparse.ArgumentParser:
    """The command line: one stack."""
    parser = argparse.ArgumentParser(
        prog="verify_secrets.py",
        description="Check a stack's secrets against its catalog (values are never read).",
    )
    parser.add_argument("--stack", required=True, type=stack_name)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    clients: Callable[[], SecretManager] = secret_manager_client,
    project_dir: Path = PROJECT_DIR,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Verify one stack's secrets; the return value is the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        catalog = load_catalog(args.stack, project_dir)
        problems = verify(catalog, clients(), now())
    except (InputError, ApiError) as error:
        print(f"error: {error}", file=err)
        return 2
    for line in problems:
        print(line, file=out)
    count = len(catalog.secrets)
    if problems:
        found = f"{len(problems)} problem" + ("s" if len(problems) > 1 else "")
        print(f"{catalog.stack}: {count} secrets checked, {found}", file=err)
        return 1
    print(f"{catalog.stack}: {count} secrets checked, no problems", file=err)
    return 0


if __name__ == "__main__":
    sys.exit(main())
