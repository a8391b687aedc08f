"""The offline preview: deterministic, shaped like `pulumi preview`, secrets masked."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest
import yaml

from preflight import cli
from preflight.capture import Capture, capture_with_config, mock_zone_id
from preflight.diff import diff_captures
from preflight.render_text import render_stack
from preflight.report import StackReport
from preflight.stack_file import SECURE_PLACEHOLDER, StackConfig, read_stack_config
from preflight.values import SECRET_MASK, unwrapped
from tests.conftest import PROJECT_DIR, run_preflight, stack_document


def render_preview(capture: Capture, details: bool = False) -> str:
    return render_stack(StackReport(capture, diff_captures(None, capture)), details=details)


def secret_values(capture: Capture) -> set[str]:
    """Every plain value the program marked secret, wherever it sits.

    Some providers mark every value of a kind secret (a Vercel env var's value), public URLs
    included; values that the stack file itself spells out are public and left out.
    """
    public = (PROJECT_DIR / f"Pulumi.{capture.stack}.yaml").read_text()
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if value.get("4dabf18193072939515e22adb298388d") == "1b47061264138c4ac30d75fd1eb44270":
                found.add(str(unwrapped(value)))
                return
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for resource in capture.resources:
        walk(resource.inputs)
    return {value for value in found if value.split("://")[-1] not in public}


def test_tree_lists_every_resource_under_its_component(staging: Capture) -> None:
    text = render_preview(staging)
    assert text.startswith("Previewing update (staging):\n")
    assert " +   pulumi:pulumi:Stack " in text
    assert "├─ myhibachi:database:Database" in text
    assert "│  ├─ gcp:sql:DatabaseInstance" in text
    assert f"    + {len(staging.resources) + 1} to create\n" in text


def test_protected_resources_are_marked(production: Capture) -> None:
    rows = [line for line in render_preview(production).splitlines() if "[protect]" in line]
    assert any("gcp:sql:DatabaseInstance" in row for row in rows)
    assert any("gcp:redis:Instance" in row for row in rows)


@pytest.mark.parametrize("details", [False, True])
def test_no_secret_value_in_the_preview(any_stack: Capture, details: bool) -> None:
    text = render_preview(any_stack, details=details)
    secrets = secret_values(any_stack)
    assert secrets, "the program declares secret values (URLs, key string)"
    for value in secrets:
        assert value not in text
    if details:
        assert f'secretData: "{SECRET_MASK}"' in text


def test_plain_inputs_show_with_details(production: Capture) -> None:
    text = render_preview(production, details=True)
    assert '         databaseVersion: "POSTGRES_16"' in text


def test_the_zone_looked_up_by_name_shows_as_a_known_id(production: Capture) -> None:
    # As `pulumi preview` shows it once the provider's lookup has answered.
    text = render_preview(production, details=True)
    zone_id = mock_zone_id("myhibachichef.com")
    assert text.count(f'         zoneId: "{zone_id}"') == len(
        [r for r in production.resources if r.type.startswith("cloudflare:")]
    )
    assert "zoneId: [unknown]" not in text


def test_outputs_name_hosts_secret_ids_and_the_sql_connection(production: Capture) -> None:
    outputs = production.stack_outputs
    assert outputs["hosts"] == {
        "admin": "admin.myhibachichef.com",
        "api": "api.myhibachichef.com",
        "site": "myhibachichef.com",
    }
    assert "prod-global-STRIPE_SECRET_KEY" in outputs["secretIds"]
    assert outputs["sqlConnectionName"].startswith("my-hibachi-crm:us-central1:")
    assert not secret_values(production) & {str(v) for v in outputs.values()}


def test_two_runs_print_the_same_plan() -> None:
    first = run_preflight("--stack", "production", "--details")
    second = run_preflight("--stack", "production", "--details")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout


def test_unknown_stack_is_a_one_line_error() -> None:
    result = run_preflight("--stack", "qa")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: Pulumi.qa.yaml: no such stack file (stacks are Pulumi.<stack>.yaml)"
    ]


def test_a_secure_value_is_replaced_with_one_warning(tmp_path: Path) -> None:
    document = stack_document("staging")
    document["config"]["myhibachi:sentryEnvironment"] = {"secure": "v1:AAAABBBBCCCC"}
    stack_file = tmp_path / "Pulumi.staging.yaml"
    stack_file.write_text(yaml.safe_dump(document))
    config = read_stack_config(tmp_path, "staging")
    assert config.values["myhibachi:sentryEnvironment"] == SECURE_PLACEHOLDER
    assert config.secret_keys == ("myhibachi:sentryEnvironment",)
    result = run_preflight("--stack-file", str(stack_file), "--no-policy")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: Pulumi.staging.yaml: myhibachi:sentryEnvironment: secure value cannot be "
        "decrypted offline; using a placeholder"
    ]
    # The program then goes on to judge the config as usual (here: an unknown key).
    assert "error: Pulumi.staging.yaml: myhibachi:sentryEnvironment: unknown key" in result.stderr
    assert "v1:AAAABBBBCCCC" not in result.stdout + result.stderr


def test_any_programs_run_error_is_a_one_line_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The SDK's clean-exit error, from a program with no `settings` package of ours."""
    (tmp_path / "__main__.py").write_text(
        "import pulumi\n\nraise pulumi.RunError('Pulumi.dev.yaml: demo:size: must be small')\n"
    )
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    with pytest.raises(pulumi.RunError) as raised:
        capture_with_config(tmp_path, StackConfig("dev", {}))
    assert str(raised.value) == "Pulumi.dev.yaml: demo:size: must be small"
    monkeypatch.setattr(cli, "PROJECT_DIR", tmp_path)
    assert cli.main(["--stack", "dev", "--no-policy"]) == cli.EXIT_CONFIG_ERROR
    assert capsys.readouterr().err.splitlines() == [
        "error: Pulumi.dev.yaml: demo:size: must be small"
    ]
