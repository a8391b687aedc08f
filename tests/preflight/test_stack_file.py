"""Bad stack files of many kinds: one line naming the file and the key, exit 2, no traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from preflight.stack_checks import PLACEHOLDER_ZONE_ID, check_stack
from preflight.stack_file import MAX_VALUE_BYTES, StackFileError, read_stack_config
from tests.conftest import PROJECT_DIR, run_preflight

STAGING = (PROJECT_DIR / "Pulumi.staging.yaml").read_text()
# Where the stack file sets the backups kept (1-based), and the line the duplicate goes to.
RETAINED_BACKUPS_LINE = STAGING.splitlines().index("    retainedBackups: 30") + 1
# Harmless text in the shape a token could have; assembled here so no literal looks like one.
FAKE_SECRET = "not" + "-a-real-" + "value-" + "0" * 8


def edited(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def appended(lines: str) -> Callable[[str], str]:
    return lambda text: text + lines


BAD_FILES: dict[str, tuple[Callable[[str], str], str]] = {
    "a duplicate key": (
        edited("    transactionLogRetentionDays: 7\n", "    retainedBackups: 7\n"),
        "myhibachi:database.retainedBackups: duplicate key "
        f"(lines {RETAINED_BACKUPS_LINE} and {RETAINED_BACKUPS_LINE + 1})",
    ),
    "a duplicate top-level key": (
        appended("  myhibachi:env: prod\n"),
        "myhibachi:env: duplicate key",
    ),
    "!!binary": (
        edited("myhibachi:env: staging", "myhibachi:env: !!binary c3RhZ2luZw=="),
        "myhibachi:env: the !!binary tag is not supported",
    ),
    "!!set": (
        edited("    accessors: [api]\n", "    accessors: !!set {api}\n"),
        "myhibachi:secrets.catalog[0].accessors: the !!set tag is not supported",
    ),
    "an unknown tag": (
        edited("myhibachi:env: staging", "myhibachi:env: !vault staging"),
        "myhibachi:env: the !vault tag is not supported",
    ),
    "a tab": (
        edited("    tier: BASIC\n", "\ttier: BASIC\n"),
        "myhibachi:cache: not valid YAML",
    ),
    "an unclosed list": (
        edited("accessors: [api]", "accessors: [api"),
        "myhibachi:secrets: not valid YAML",
    ),
    "a 140 KB value": (
        appended(f'  myhibachi:notes: "{"x" * 140_000}"\n'),
        f"myhibachi:notes: value is 140000 bytes; at most {MAX_VALUE_BYTES}",
    ),
    "a key without a namespace": (
        appended("  retainedBackups: 30\n"),
        "retainedBackups: a config key is <namespace>:<name>",
    ),
    "infinity": (
        appended("  myhibachi:ratio: {limit: .inf}\n"),
        "myhibachi:ratio: .inf and .nan have no JSON form",
    ),
    "values nested too deeply": (
        appended("  myhibachi:deep: " + "[" * 3000 + "]" * 3000 + "\n"),
        "config: values nested too deeply",
    ),
    "config not an object": (
        lambda text: "config: [a, b]\n",
        "config: must be an object of keys",
    ),
    "a plaintext Cloudflare token": (
        appended(f"  cloudflare:apiToken: {FAKE_SECRET}\n"),
        "cloudflare:apiToken: a provider credential in plain text",
    ),
    "plaintext Google credentials": (
        appended(f"  gcp:credentials: {FAKE_SECRET}\n"),
        "gcp:credentials: a provider credential in plain text",
    ),
    "a plaintext Google access token": (
        appended(f"  gcp:accessToken: {FAKE_SECRET}\n"),
        "gcp:accessToken: a provider credential in plain text",
    ),
    "a plaintext Vercel token": (
        appended(f"  vercel:apiToken: {FAKE_SECRET}\n"),
        "vercel:apiToken: a provider credential in plain text",
    ),
    "a plaintext Cloudflare key": (
        appended(f"  cloudflare:apiKey: {FAKE_SECRET}\n"),
        "cloudflare:apiKey: a provider credential in plain text",
    ),
    "a misspelt region": (
        edited("gcp:region: us-central1", "gcp:region: us-centrall1"),
        "gcp:region: 'us-centrall1' is not a Google Cloud region (did you mean us-central1?)",
    ),
    "the production project": (
        edited("gcp:project: my-hibachi-staging", "gcp:project: my-hibachi-crm"),
        "gcp:project: 'my-hibachi-crm' is also the project of Pulumi.production.yaml",
    ),
}


@pytest.mark.parametrize(("edit", "expected"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_stack_file_is_one_line_and_exit_2(
    tmp_path: Path, edit: Callable[[str], str], expected: str
) -> None:
    stack_file = tmp_path / "Pulumi.staging.yaml"
    stack_file.write_text(edit(STAGING))
    result = run_preflight("--stack-file", str(stack_file), "--no-policy")
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if not line.startswith("warning:")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: Pulumi.staging.yaml: {expected}"), lines[0]
    assert "Traceback" not in result.stderr
    assert FAKE_SECRET not in result.stderr


def test_production_with_the_placeholder_zone_id_is_one_line_and_exit_2(tmp_path: Path) -> None:
    production = (PROJECT_DIR / "Pulumi.production.yaml").read_text()
    stack_file = tmp_path / "Pulumi.production.yaml"
    stack_file.write_text(
        edited("  myhibachi:edge:\n", f"  myhibachi:edge:\n    zoneId: {PLACEHOLDER_ZONE_ID}\n")(
            production
        )
    )
    result = run_preflight("--stack-file", str(stack_file))
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: Pulumi.production.yaml: myhibachi:edge.zoneId: is the placeholder zone id; "
        "leave zoneId out to look the zone up by its name (myhibachi:domain.zone), or set the "
        "zone's real id (Cloudflare dashboard > Overview > Zone ID)"
    ]


def test_the_shipped_stack_files_pin_no_zone_id() -> None:
    for stack in ("staging", "production"):
        edge = json.loads(read_stack_config(PROJECT_DIR, stack).values["myhibachi:edge"])
        assert "zoneId" not in edge, stack  # the program looks the zone up by its name


def test_not_utf8_is_one_line(tmp_path: Path) -> None:
    stack_file = tmp_path / "Pulumi.staging.yaml"
    stack_file.write_bytes(b"config:\n  myhibachi:env: \xff\xfe\n")
    with pytest.raises(StackFileError, match=r"^Pulumi.staging.yaml: not UTF-8 text \(byte 25\)$"):
        read_stack_config(tmp_path, "staging")


def test_yes_times_and_dates_reach_the_program_as_the_cli_hands_them(tmp_path: Path) -> None:
    text = STAGING.replace('backupStartTime: "08:00"', "backupStartTime: 10:30")
    text = text.replace('asOf: "2026-11-26"', "asOf: 2026-11-26")
    text += "  myhibachi:answer: yes\n"
    (tmp_path / "Pulumi.staging.yaml").write_text(text)
    values = read_stack_config(tmp_path, "staging").values
    assert json.loads(values["myhibachi:database"])["backupStartTime"] == "10:30"
    assert json.loads(values["myhibachi:edge"])["cloudflareRanges"]["asOf"] == "2026-11-26"
    assert values["myhibachi:answer"] == "yes"


def test_a_secure_credential_is_fine(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.staging.yaml").write_text(
        STAGING + "  cloudflare:apiToken:\n    secure: v1:AAAABBBB\n"
    )
    config = read_stack_config(tmp_path, "staging")
    check_stack(config, tmp_path, PROJECT_DIR)  # no error
    assert config.secret_keys == ("cloudflare:apiToken",)


def test_two_stacks_never_share_a_state_location(tmp_path: Path) -> None:
    production = (PROJECT_DIR / "Pulumi.production.yaml").read_text()
    backend = "backend:\n  url: gs://shared-pulumi-state\n"
    (tmp_path / "Pulumi.staging.yaml").write_text(backend + STAGING)
    (tmp_path / "Pulumi.production.yaml").write_text(backend + production)
    config = read_stack_config(tmp_path, "staging")
    assert config.backend_url == "gs://shared-pulumi-state"
    with pytest.raises(StackFileError) as raised:
        check_stack(config, tmp_path)
    assert str(raised.value) == (
        "Pulumi.staging.yaml: backend.url: 'gs://shared-pulumi-state' is also the state location "
        "of Pulumi.production.yaml; each stack keeps its state apart"
    )


def test_a_project_wide_backend_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: myhibachi\nbackend:\n  url: gs://one-bucket\n")
    (tmp_path / "Pulumi.staging.yaml").write_text(STAGING)
    with pytest.raises(StackFileError, match=r"^Pulumi.yaml: backend.url: every stack would"):
        check_stack(read_stack_config(tmp_path, "staging"), tmp_path)


def test_the_shipped_stack_files_pass_the_checks() -> None:
    for stack in ("staging", "production"):
        check_stack(read_stack_config(PROJECT_DIR, stack), PROJECT_DIR)


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.staging.yaml").write_text(STAGING + "#" + "x" * 300_000 + "\n")
    with pytest.raises(StackFileError, match=r"^Pulumi.staging.yaml: \d+ bytes; a stack file is"):
        read_stack_config(tmp_path, "staging")
