"""`scripts/secret_backup.py`: export and restore through the command line, with fake clients."""

from __future__ import annotations

import base64
import io
import json
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from google.api_core import exceptions

from scripts import secret_backup
from scripts.secret_catalog import StackCatalog, load_catalog
from tests.conftest import PROJECT_DIR, stack_document
from tests.scripts.fakes import (
    NOW,
    FakeKms,
    FakeSecretManager,
    State,
    api_error,
    canary,
    healthy_store,
)

PRODUCTION_KEY = (
    "projects/my-hibachi-crm/locations/us-central1/keyRings/secret-backups/cryptoKeys/prod"
)
STAGING_KEY = (
    "projects/my-hibachi-staging/locations/us-central1/keyRings/secret-backups/cryptoKeys/staging"
)


@dataclass
class Run:
    """One command's exit code and output."""

    code: int
    out: str
    err: str


@dataclass
class World:
    """The fake cloud of one stack, and every byte the scripts showed or wrote."""

    catalog: StackCatalog
    store: FakeSecretManager
    kms: FakeKms
    tmp_path: Path
    runs: list[Run] = field(default_factory=list)

    def run(self, *argv: str, stdin: str = "", project_dir: Path = PROJECT_DIR) -> Run:
        out, err = io.StringIO(), io.StringIO()
        code = secret_backup.main(
            list(argv),
            clients=lambda: (self.store, self.kms),
            project_dir=project_dir,
            now=lambda: NOW,
            stdin=io.StringIO(stdin),
            stdout=out,
            stderr=err,
        )
        run = Run(code, out.getvalue(), err.getvalue())
        self.runs.append(run)
        return run

    def archive(self, name: str = "backup.mhb") -> Path:
        return self.tmp_path / name


def world(stack: str, key: str, tmp_path: Path) -> World:
    catalog = load_catalog(stack, PROJECT_DIR)
    return World(catalog, healthy_store(catalog), FakeKms(key), tmp_path)


@pytest.fixture
def production(tmp_path: Path) -> World:
    return world("production", PRODUCTION_KEY, tmp_path)


@pytest.fixture
def staging(tmp_path: Path) -> World:
    return world("staging", STAGING_KEY, tmp_path)


def export(w: World, key: str = PRODUCTION_KEY) -> Run:
    return w.run("export", "--stack", w.catalog.stack, "--key", key, "--out", str(w.archive()))


def restore(w: World, *options: str) -> Run:
    return w.run("restore", "--stack", w.catalog.stack, "--in", str(w.archive()), *options)


def test_export_then_restore_gives_back_every_value(production: World) -> None:
    archived = {name: production.store.latest_value(name) for name in production.catalog.names}
    assert export(production).code == 0
    # Every value is then overwritten by a bad version: the restore brings the archived ones back.
    for name in production.catalog.names:
        production.store.secrets[name].versions.append((canary("bad"), State.ENABLED))
    restored = restore(production, "--key", PRODUCTION_KEY)
    assert restored.code == 0, restored.err
    for name in production.catalog.names:
        assert production.store.latest_value(name) == archived[name]
        # Added as a third version: the earlier ones are untouched, none disabled or destroyed.
        versions = production.store.secrets[name].versions
        assert len(versions) == 3
        assert [state for _, state in versions] == [State.ENABLED] * 3
    assert restored.out.splitlines() == [
        f"added {name}: version 3 (archived version 1)" for name in production.catalog.names
    ]


def test_export_takes_the_latest_enabled_version(production: World) -> None:
    name = "prod-global-STRIPE_SECRET_KEY"
    good, disabled = canary("good"), canary("disabled")
    production.store.secrets[name].versions = [
        (canary("v1"), State.ENABLED),
        (good, State.ENABLED),
        (disabled, State.DISABLED),
    ]
    assert export(production).code == 0
    header = json.loads(production.archive().read_bytes())["header"]
    assert {"name": name, "version": 2} in header["secrets"]
    production.store.secrets[name].versions.append((canary("later"), State.ENABLED))
    assert restore(production).code == 0
    assert production.store.latest_value(name) == good


def test_export_names_the_stack_project_key_and_versions(production: World) -> None:
    run = export(production)
    header = json.loads(production.archive().read_bytes())["header"]
    assert header["stack"] == "production"
    assert header["project"] == "my-hibachi-crm"
    assert header["kmsKey"] == PRODUCTION_KEY
    assert header["created"] == "2027-03-01T12:00:00Z"
    assert [s["name"] for s in header["secrets"]] == list(production.catalog.names)
    assert run.out == ""
    assert run.err.splitlines()[-1] == (
        f"production: {len(production.catalog.names)} secrets sealed with {PRODUCTION_KEY} "
        f"into {production.archive()}"
    )


def test_the_archive_file_is_new_and_private(production: World) -> None:
    assert export(production).code == 0
    assert stat.S_IMODE(production.archive().stat().st_mode) == 0o600
    before = production.archive().read_bytes()
    production.store.calls.clear()
    again = export(production)
    assert again.code == 2
    assert (
        again.err
        == f"error: {production.archive()}: already exists: archives are never overwritten\n"
    )
    assert production.archive().read_bytes() == before
    assert production.store.calls == []  # refused before reading any secret


def test_export_to_stdout_restores_from_stdin(production: World) -> None:
    run = production.run("export", "--stack", "production", "--key", PRODUCTION_KEY, "--out", "-")
    assert run.code == 0
    assert json.loads(run.out)["header"]["stack"] == "production"
    dry = production.run(
        "restore", "--stack", "production", "--in", "-", "--dry-run", stdin=run.out
    )
    assert dry.code == 0, dry.err
    assert len(dry.out.splitlines()) == len(production.catalog.names)


def test_export_fails_naming_each_secret_without_an_enabled_version(production: World) -> None:
    production.store.secrets["prod-global-OPENAI_API_KEY"].versions = [
        (canary("x"), State.DISABLED)
    ]
    del production.store.secrets["prod-backend-SENTRY_DSN"]
    run = export(production)
    assert run.code == 1
    assert run.err.splitlines() == [
        "prod-global-OPENAI_API_KEY: no enabled version to back up",
        "prod-backend-SENTRY_DSN: no such secret in project my-hibachi-crm",
    ]
    assert not production.archive().exists()
    assert production.kms.calls == []


def test_restore_refuses_an_archive_of_another_stack(production: World, tmp_path: Path) -> None:
    assert export(production).code == 0
    other = world("staging", STAGING_KEY, tmp_path)
    run = other.run("restore", "--stack", "staging", "--in", str(production.archive()))
    assert run.code == 2
    assert (
        run.err
        == f"error: {production.archive()}: made for stack production, not staging: refused\n"
    )
    assert other.store.calls == [] and other.kms.calls == []


def test_restore_refuses_an_archive_sealed_with_another_key(production: World) -> None:
    assert export(production).code == 0
    other_key = PRODUCTION_KEY.replace("cryptoKeys/prod", "cryptoKeys/old")
    run = production.run(
        "restore", "--stack", "production", "--key", other_key, "--in", str(production.archive())
    )
    assert run.code == 2
    assert run.err == (
        f"error: {production.archive()}: sealed with {PRODUCTION_KEY}, not {other_key}: refused\n"
    )


def test_restore_refuses_a_tampered_header_with_one_line(production: World) -> None:
    assert export(production).code == 0
    document = json.loads(production.archive().read_bytes())
    document["header"]["secrets"][0]["version"] = 7
    tampered = production.archive("tampered.mhb")
    tampered.write_text(json.dumps(document))
    versions_before = {n: len(s.versions) for n, s in production.store.secrets.items()}
    run = production.run("restore", "--stack", "production", "--in", str(tampered))
    assert run.code == 2
    assert len(run.err.splitlines()) == 1
    assert run.err.startswith(f"error: {tampered}: Cloud KMS could not unwrap the data key")
    assert {n: len(s.versions) for n, s in production.store.secrets.items()} == versions_before


def test_dry_run_checks_everything_and_adds_nothing(production: World) -> None:
    assert export(production).code == 0
    versions_before = {n: len(s.versions) for n, s in production.store.secrets.items()}
    run = restore(production, "--dry-run")
    assert run.code == 0
    assert run.out.splitlines() == [
        f"would add {name}: archived version 1" for name in production.catalog.names
    ]
    assert {n: len(s.versions) for n, s in production.store.secrets.items()} == versions_before
    assert f"decrypt {PRODUCTION_KEY}" in production.kms.calls  # the archive was really opened
    assert not any(call.startswith("add_secret_version") for call in production.store.calls)


def test_restore_only_the_secrets_asked_for(production: World) -> None:
    assert export(production).code == 0
    name = "prod-backend-SENTRY_DSN"
    run = restore(production, "--secret", name)
    assert run.code == 0
    assert run.out == f"added {name}: version 2 (archived version 1)\n"
    assert [n for n, s in production.store.secrets.items() if len(s.versions) == 2] == [name]
    unknown = restore(production, "--secret", "prod-global-NOPE")
    assert unknown.code == 2
    assert (
        unknown.err
        == f"error: {production.archive()}: holds no secret prod-global-NOPE (--secret)\n"
    )


def test_an_archive_naming_a_dropped_secret_restores_only_with_secret(
    production: World, tmp_path: Path
) -> None:
    assert export(production).code == 0
    document = stack_document("production")
    catalog = document["config"]["myhibachi:secrets"]["catalog"]
    catalog[:] = [s for s in catalog if s["name"] != "prod-backend-SENTRY_DSN"]
    edited = tmp_path / "edited"
    edited.mkdir()
    (edited / "Pulumi.production.yaml").write_text(yaml.safe_dump(document))
    argv = ("restore", "--stack", "production", "--in", str(production.archive()))
    refused = production.run(*argv, project_dir=edited)
    assert refused.code == 2
    assert refused.err == (
        f"error: {production.archive()}: prod-backend-SENTRY_DSN is not in the catalog of "
        "Pulumi.production.yaml: pass --secret for the secrets to restore\n"
    )
    chosen = production.run(
        *argv, "--secret", "prod-global-OPENAI_API_KEY", "--dry-run", project_dir=edited
    )
    assert chosen.code == 0
    assert chosen.out == "would add prod-global-OPENAI_API_KEY: archived version 1\n"


def _damage_in_transit(w: World) -> None:
    w.store.corrupt_access.add("prod-backend-REDIS_URL")


def _make_the_api_unreachable(w: World) -> None:
    w.store.failures["list_secret_versions"] = api_error(
        exceptions.ServiceUnavailable, "The service is currently unavailable."
    )


# A value that cannot be read whole stops the export: exit 2, the secret named, nothing archived.
READ_FAILURES = {
    "a value damaged in transit": (
        _damage_in_transit,
        "error: prod-backend-REDIS_URL: the value read from Secret Manager was corrupted "
        "in transit\n",
    ),
    "an unreachable API": (
        _make_the_api_unreachable,
        "error: prod-global-STRIPE_SECRET_KEY: ServiceUnavailable: "
        "The service is currently unavailable.\n",
    ),
}


@pytest.mark.parametrize(("fault", "error"), READ_FAILURES.values(), ids=READ_FAILURES.keys())
def test_a_failed_read_is_exit_2_naming_the_secret_and_never_archived(
    production: World, fault: Callable[[World], None], error: str
) -> None:
    fault(production)
    run = export(production)
    assert run.code == 2
    assert run.err == error
    assert not production.archive().exists()


def test_restore_adds_nothing_when_a_secret_is_missing(production: World) -> None:
    assert export(production).code == 0
    del production.store.secrets["prod-global-OPENAI_API_KEY"]
    run = restore(production)
    assert run.code == 1
    assert run.err == (
        "prod-global-OPENAI_API_KEY: no such secret in project my-hibachi-crm "
        "(`pulumi up` recreates it; then restore again)\n"
    )
    assert all(len(s.versions) == 1 for s in production.store.secrets.values())


def test_a_refused_add_is_one_line_and_the_others_are_restored(production: World) -> None:
    assert export(production).code == 0
    production.store.deny_add.add("prod-backend-DATABASE_URL")
    run = restore(production)
    assert run.code == 1
    assert run.err.splitlines() == [
        "prod-backend-DATABASE_URL: PermissionDenied: Permission 'secretmanager.versions.add' "
        "denied on 'projects/my-hibachi-crm/secrets/prod-backend-DATABASE_URL'"
    ]
    assert len(run.out.splitlines()) == len(production.catalog.names) - 1


def test_restore_without_decrypt_permission_is_one_line(production: World) -> None:
    assert export(production).code == 0
    production.kms.can_decrypt = False
    run = restore(production)
    assert run.code == 2
    assert len(run.err.splitlines()) == 1
    assert "PermissionDenied" in run.err
    assert not any(call.startswith("get_secret ") for call in production.store.calls)


def test_bad_input_is_one_line_and_exit_2(production: World) -> None:
    missing = restore(production)
    assert missing.code == 2
    assert missing.err.startswith(f"error: {production.archive()}: cannot read: ")
    no_stack = production.run("restore", "--stack", "qa", "--in", str(production.archive()))
    assert (
        no_stack.err
        == "error: Pulumi.qa.yaml: no such stack file (stacks are Pulumi.<stack>.yaml)\n"
    )
    production.archive().write_text("{}")
    not_archive = restore(production)
    assert not_archive.err == (
        f"error: {production.archive()}: not a secret backup archive "
        "(format is not myhibachi-secret-backup/1)\n"
    )


def test_a_malformed_key_is_refused_by_the_parser(
    production: World, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        production.run("export", "--stack", "production", "--key", "prod-key", "--out", "x.mhb")
    assert exited.value.code == 2
    assert "must be a Cloud KMS key" in capsys.readouterr().err


# --- No value ever shows: canaries searched for in every output and every file -----------------


def _forms(value: bytes) -> Iterator[bytes]:
    """The value as it could leak: raw, hex, and base64 at each of the 3 alignments."""
    yield value
    yield value.hex().encode()
    yield value.hex().upper().encode()
    for shift in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(b"\0" * shift + value)
            # Drop the characters that depend on what precedes or follows the value.
            yield encoded[4 if shift else 0 : -4]


def _leaks(values: list[bytes], haystacks: dict[str, bytes]) -> list[str]:
    return [
        f"{where} holds a value (as {form[:12]!r}...)"
        for value in values
        for form in _forms(value)
        for where, data in haystacks.items()
        if form in data
    ]


def test_the_search_finds_a_value_in_each_form() -> None:
    # The leak check itself: each encoding of a canary, embedded anywhere, is found.
    value = canary("probe")
    for prefix in (b"", b"x", b"xy"):
        for data in (
            prefix + value,
            prefix + value.hex().encode(),
            base64.b64encode(prefix + value),
            base64.urlsafe_b64encode(prefix + value),
        ):
            assert _leaks([value], {"probe": b"<" + data + b">"}), data


def test_no_value_appears_in_the_archive_output_or_any_file(
    production: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = [production.store.latest_value(name) for name in production.catalog.names]
    assert export(production).code == 0
    stdout_export = production.run(
        "export", "--stack", "production", "--key", PRODUCTION_KEY, "--out", "-"
    )
    archive = production.archive().read_text()
    production.run("restore", "--stack", "production", "--in", "-", "--dry-run", stdin=archive)
    production.store.deny_add.add("prod-global-STRIPE_SECRET_KEY")
    restore(production)
    production.store.deny_add.clear()
    restore(production)
    tampered = json.loads(archive)
    tampered["ciphertext"] = tampered["ciphertext"][::-1]
    production.archive("tampered.mhb").write_text(json.dumps(tampered))
    production.run(
        "restore", "--stack", "production", "--in", str(production.archive("tampered.mhb"))
    )
    production.kms.can_decrypt = False
    restore(production)
    assert stdout_export.code == 0 and stdout_export.out  # the archive itself went to stdout
    assert [run.code for run in production.runs] == [0, 0, 0, 1, 0, 2, 2]
    # Every value was really restored, so it did pass through the script.
    assert all(production.store.latest_value(n) in values for n in production.catalog.names)
    captured = capsys.readouterr()
    haystacks = {
        **{f"stdout of run {i}": run.out.encode() for i, run in enumerate(production.runs)},
        **{f"stderr of run {i}": run.err.encode() for i, run in enumerate(production.runs)},
        "sys.stdout": captured.out.encode(),
        "sys.stderr": captured.err.encode(),
        **{str(path): path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()},
    }
    assert _leaks(values, haystacks) == []


@pytest.mark.parametrize("stack", ["staging", "production"])
def test_export_seals_with_the_stack_files_key_by_default(stack: str, tmp_path: Path) -> None:
    catalog = load_catalog(stack, PROJECT_DIR)
    # The key the program declares for this stack (its `secretBackupKey` output).
    assert catalog.backup_key.endswith(f"/keyRings/{catalog.env}-secret-backups/cryptoKeys/secrets")
    w = world(stack, catalog.backup_key, tmp_path)
    run = w.run("export", "--stack", stack, "--out", str(w.archive()))
    assert run.code == 0, run.err
    assert json.loads(w.archive().read_bytes())["header"]["kmsKey"] == catalog.backup_key
    assert run.err.splitlines()[-1].startswith(f"{stack}: ")
    assert f"sealed with {catalog.backup_key} into" in run.err
    restored = w.run(
        "restore", "--stack", stack, "--key", catalog.backup_key, "--in", str(w.archive())
    )
    assert restored.code == 0, restored.err
