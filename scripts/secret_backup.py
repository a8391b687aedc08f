"""Encrypted offline backups of a stack's Secret Manager secrets, and their restore.

    python scripts/secret_backup.py export  --stack production [--key <kms key>] --out backup.mhb
    python scripts/secret_backup.py restore --stack staging --key <kms key> --in backup.mhb \\
        [--secret NAME ...] [--dry-run]

`export` reads the latest *enabled* version of every secret in the stack's catalog
(`myhibachi:secrets` in `Pulumi.<stack>.yaml`) and writes one envelope-encrypted archive
(`scripts/secret_archive.py`) to a new file (mode 0600, never overwritten) or to stdout (`-`).
`restore` unwraps the archive's data key with Cloud KMS, verifies it, refuses an archive made for
another stack, project or key, and adds each value back as a *new* version; it never disables or
destroys a version. `--dry-run` does every check, the unwrap included, and lists what it would add.

Values exist in plain text only in memory: never on disk, never printed. Every message names
secrets, versions and keys only. The key is the stack's backup key,
`projects/P/locations/L/keyRings/R/cryptoKeys/K` (docs/runbooks/secret-backups.md): `export`
seals with the one the stack file names (`myhibachi:secretBackups`, the program's
`secretBackupKey` output) unless `--key` names another.

Exit codes: 0 done, 1 a secret could not be exported or restored (one line each on stderr),
2 bad input, an archive refused, or an API that cannot be reached (one line on stderr).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from scripts.secret_archive import (  # noqa: E402
    KMS_KEY,
    ArchivedSecret,
    ArchiveError,
    ArchiveHeader,
    SealedArchive,
    open_archive,
    read_archive,
    seal,
)
from scripts.secret_catalog import (  # noqa: E402
    InputError,
    StackCatalog,
    load_catalog,
    stack_name,
)
from scripts.secret_clients import (  # noqa: E402
    ApiError,
    KeyManagement,
    NotFound,
    SecretManager,
    SecretVersion,
    call_api,
    crc32c,
    google_clients,
    one_line,
)

Clients = Callable[[], tuple[SecretManager, KeyManagement]]
_VERSION_NAME = re.compile(r".*/versions/(\d+)")


class SecretOperationError(Exception):
    """Some secrets could not be exported or restored: one line each, exit code 1."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = tuple(lines)


@dataclass(frozen=True)
class Exported:
    """An export's result: the archive's bytes and what it holds."""

    archive: bytes
    header: ArchiveHeader


def export_secrets(
    catalog: StackCatalog,
    key: str,
    secrets: SecretManager,
    kms: KeyManagement,
    now: datetime,
) -> Exported:
    """Read each catalog secret's latest enabled version and seal them into one archive."""
    problems: list[str] = []
    archived: list[ArchivedSecret] = []
    values: dict[str, bytes] = {}
    for name in catalog.names:
        path = catalog.secret_path(name)
        try:
            version = _latest_enabled(secrets, name, path)
        except NotFound:
            problems.append(f"{name}: no such secret in project {catalog.project}")
            continue
        if version is None:
            problems.append(f"{name}: no enabled version to back up")
            continue
        values[name] = _access(secrets, name, version.name)
        archived.append(ArchivedSecret(name, _version_number(version.name)))
    if problems:
        raise SecretOperationError(problems)
    header = ArchiveHeader(
        stack=catalog.stack,
        project=catalog.project,
        kms_key=key,
        created=now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        secrets=tuple(archived),
    )
    return Exported(seal(header, values, kms), header)


def check_archive(
    header: ArchiveHeader, catalog: StackCatalog, key: str | None, source: str
) -> None:
    """Refuse an archive made for another stack, project or key (InputError)."""
    if header.stack != catalog.stack:
        raise InputError(f"{source}: made for stack {header.stack}, not {catalog.stack}: refused")
    if header.project != catalog.project:
        raise InputError(
            f"{source}: made for project {header.project}, but {catalog.stack_file} "
            f"names {catalog.project}: refused"
        )
    if key is not None and header.kms_key != key:
        raise InputError(f"{source}: sealed with {header.kms_key}, not {key}: refused")


def restore_secrets(
    catalog: StackCatalog,
    sealed: SealedArchive,
    source: str,
    secrets: SecretManager,
    kms: KeyManagement,
    *,
    only: Sequence[str] = (),
    dry_run: bool = False,
    out: TextIO,
) -> None:
    """Add the archived values as new versions (or list them with dry_run).

    Checks before it writes: the archive is for this stack and verifies, and every secret to
    restore is in the catalog and exists; nothing is added unless all of that holds.
    """
    header = sealed.header
    unknown = [name for name in only if name not in header.names]
    if unknown:
        raise InputError(f"{source}: holds no secret {unknown[0]} (--secret)")
    selected = [s for s in header.secrets if not only or s.name in only]
    outside = [s.name for s in selected if s.name not in catalog.names]
    if outside:
        raise InputError(
            f"{source}: {outside[0]} is not in the catalog of {catalog.stack_file}: "
            "pass --secret for the secrets to restore"
        )
    values = open_archive(sealed, kms, source)
    missing = []
    for secret in selected:
        try:
            call_api(secret.name, secrets.get_secret, name=catalog.secret_path(secret.name))
        except NotFound:
            missing.append(
                f"{secret.name}: no such secret in project {catalog.project} "
                "(`pulumi up` recreates it; then restore again)"
            )
    if missing:
        raise SecretOperationError(missing)
    problems: list[str] = []
    for secret in selected:
        if dry_run:
            print(f"would add {secret.name}: archived version {secret.version}", file=out)
            continue
        value = values[secret.name]
        request = {
            "parent": catalog.secret_path(secret.name),
            "payload": {"data": value, "data_crc32c": crc32c(value)},
        }
        try:
            added = call_api(secret.name, secrets.add_secret_version, request)
        except ApiError as error:
            problems.append(str(error))
            continue
        except NotFound as error:
            problems.append(f"{secret.name}: {one_line(error)}")
            continue
        number = _version_number(added.name)
        print(
            f"added {secret.name}: version {number} (archived version {secret.version})",
            file=out,
        )
    if problems:
        raise SecretOperationError(problems)


def _latest_enabled(secrets: SecretManager, name: str, path: str) -> SecretVersion | None:
    versions = call_api(
        name,
        lambda: list(secrets.list_secret_versions({"parent": path, "filter": "state:ENABLED"})),
    )
    # The server filters; checking again costs nothing and never archives a disabled value.
    enabled = [v for v in versions if v.state == SecretVersion.State.ENABLED]
    return max(enabled, key=lambda v: _version_number(v.name), default=None)


def _access(secrets: SecretManager, name: str, version_name: str) -> bytes:
    response = call_api(name, secrets.access_secret_version, name=version_name)
    payload = response.payload
    data = bytes(payload.data)
    # The checksum is optional in the API; when Secret Manager sends one, it must match.
    if "data_crc32c" in payload and payload.data_crc32c != crc32c(data):
        raise ApiError(f"{name}: the value read from Secret Manager was corrupted in transit")
    return data


def _version_number(version_name: str) -> int:
    match = _VERSION_NAME.fullmatch(version_name)
    if match is None:
        raise ApiError(f"{version_name}: not a secret version name")
    return int(match.group(1))


def _key(value: str) -> str:
    if not KMS_KEY.fullmatch(value):
        raise argparse.ArgumentTypeError(
            "must be a Cloud KMS key: projects/P/locations/L/keyRings/R/cryptoKeys/K"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line: `export` and `restore`."""
    parser = argparse.ArgumentParser(
        prog="secret_backup.py",
        description="Encrypted offline backups of a stack's secrets, and their restore.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write an encrypted archive of every secret")
    export.add_argument("--stack", required=True, type=stack_name)
    export.add_argument(
        "--key", type=_key, help="the KMS key to seal with (default: the stack file's backup key)"
    )
    export.add_argument("--out", required=True, help="a new file, or - for stdout")
    restore = commands.add_parser("restore", help="add archived values as new versions")
    restore.add_argument("--stack", required=True, type=stack_name)
    restore.add_argument("--in", dest="source", required=True, help="the archive, or - for stdin")
    restore.add_argument(
        "--key", type=_key, help="the key the archive must be sealed with (refused otherwise)"
    )
    restore.add_argument(
        "--secret", action="append", default=[], help="restore only this secret (repeatable)"
    )
    restore.add_argument("--dry-run", action="store_true", help="check and list, add nothing")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    clients: Clients = google_clients,
    project_dir: Path = PROJECT_DIR,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one command; the return value is the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        catalog = load_catalog(args.stack, project_dir)
        if args.command == "export":
            _refuse_existing(args.out)
            key = args.key or catalog.backup_key
            secrets, kms = clients()
            exported = export_secrets(catalog, key, secrets, kms, now())
            _write(args.out, exported.archive, out)
            for secret in exported.header.secrets:
                print(f"exported {secret.name}: version {secret.version}", file=err)
            where = "stdout" if args.out == "-" else args.out
            print(
                f"{catalog.stack}: {len(exported.header.secrets)} secrets sealed with "
                f"{key} into {where}",
                file=err,
            )
            return 0
        source = "stdin" if args.source == "-" else args.source
        sealed = read_archive(_read(args.source, stdin or sys.stdin), source)
        check_archive(sealed.header, catalog, args.key, source)
        secrets, kms = clients()
        restore_secrets(
            catalog,
            sealed,
            source,
            secrets,
            kms,
            only=args.secret,
            dry_run=args.dry_run,
            out=out,
        )
        return 0
    except SecretOperationError as problems:
        for line in problems.lines:
            print(line, file=err)
        return 1
    except (InputError, ArchiveError, ApiError) as error:
        print(f"error: {error}", file=err)
        return 2


def _refuse_existing(out: str) -> None:
    # Checked before any secret is read, so a typo costs nothing; the write itself is exclusive.
    if out != "-" and os.path.lexists(out):
        raise InputError(f"{out}: already exists: archives are never overwritten")


def _write(out: str, archive: bytes, stdout: TextIO) -> None:
    if out == "-":
        stdout.write(archive.decode("ascii"))
        stdout.flush()
        return
    try:
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise InputError(f"{out}: cannot create: {error.strerror}") from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(archive)


def _read(source: str, stdin: TextIO) -> bytes:
    if source == "-":
        return stdin.read().encode("ascii", errors="replace")
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise InputError(f"{source}: cannot read: {error.strerror}") from None


if __name__ == "__main__":
    sys.exit(main())
