"""`make scan`: Checkov on the Terraform plan exports, judged against policy/scanner-waivers.yaml.

Tests marked `scanner` run Checkov from .venv-scan. Where it is absent they are skipped, except
under `SCANNER_TESTS_REQUIRED=1` (set by .ci/run), where its absence fails them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from preflight.tfplan import ExportedPlan
from scripts import scan
from scripts.scan import (
    CHECKOV,
    MAX_MARKDOWN_ROWS,
    WAIVERS,
    Finding,
    ScanError,
    ScanResult,
    export_stacks,
    judge,
    read_report,
    render_markdown,
    render_text,
    run_checkov,
)
from scripts.scanner_waivers import Waiver, WaiverError, load_waivers
from tests.conftest import STACKS, captured

ScanRun = tuple[dict[str, Any], ScanResult, dict[str, ExportedPlan]]


@pytest.fixture(scope="session")
def checkov() -> Path:
    if not CHECKOV.is_file():
        reason = f"Checkov is not installed in {CHECKOV.parent.parent.name}: `make scan` creates it"
        if os.environ.get("SCANNER_TESTS_REQUIRED"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CHECKOV


@pytest.fixture(scope="session")
def scan_run(checkov: Path, tmp_path_factory: pytest.TempPathFactory) -> ScanRun:
    """Both stacks exported and scanned once for the session."""
    out_dir = tmp_path_factory.mktemp("scan")
    exported = export_stacks(list(STACKS), out_dir)
    report = run_checkov(checkov, [out_dir / f"{stack}.tfplan.json" for stack in STACKS])
    return report, read_report(report, exported), exported


def _declared_gcp(stack: str) -> int:
    return sum(1 for r in captured(stack).resources if r.custom and r.type.startswith("gcp:"))


@pytest.mark.scanner
def test_both_exports_load_and_every_gcp_resource_is_scanned(scan_run: ScanRun) -> None:
    report, result, exported = scan_run
    assert report["summary"]["parsing_errors"] == 0
    assert report["results"].get("parsing_errors", []) == []
    assert report["summary"]["resource_count"] == sum(_declared_gcp(s) for s in STACKS)
    assert result.exported == {stack: _declared_gcp(stack) for stack in STACKS}
    checked = report["results"]["passed_checks"] + report["results"]["failed_checks"]
    for check in checked:
        stack = Path(check["file_path"]).name.removesuffix(".tfplan.json")
        assert check["resource"] in exported[stack].addresses
    # The checks that matter most read nested blocks: they ran on the exported shape and passed.
    passed = {(c["check_id"], c["resource"]) for c in report["results"]["passed_checks"]}
    instance = "google_sql_database_instance.database-instance"
    assert ("CKV_GCP_60", instance) in passed  # no public IP: settings[0].ip_configuration[0]
    assert ("CKV_GCP_14", instance) in passed  # backups: settings[0].backup_configuration[0]
    assert ("CKV_GCP_29", "google_storage_bucket.backups-bucket") in passed


@pytest.mark.scanner
def test_committed_waivers_cover_exactly_the_failures(scan_run: ScanRun) -> None:
    _, result, _ = scan_run
    verdict = judge(result, load_waivers(WAIVERS))
    assert verdict.unwaived == [], render_text(result, verdict, WAIVERS)
    assert verdict.stale == [], render_text(result, verdict, WAIVERS)
    assert {finding.stack for finding in result.failures} == set(STACKS)


@pytest.mark.scanner
def test_removing_a_waiver_whose_check_fails_fails_the_scan(
    scan_run: ScanRun,
    checkov: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = yaml.safe_load(WAIVERS.read_text())
    document["waivers"] = [w for w in document["waivers"] if w["check"] != "CKV_GCP_78"]
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(yaml.safe_dump(document))
    # The exports are deterministic: the session's Checkov report stands for a second run.
    report, _, _ = scan_run
    monkeypatch.setattr(scan, "run_checkov", lambda _checkov, _files: report)
    code = scan.main(["--waivers", str(waivers), "--checkov", str(checkov)])
    out = capsys.readouterr().out
    assert code == 1, out
    failing = [line for line in out.splitlines() if line.startswith("FAIL ")]
    assert [line.split(" (")[0] for line in failing] == [
        "FAIL CKV_GCP_78 production google_storage_bucket.backups-bucket",
        "FAIL CKV_GCP_78 production google_storage_bucket.code-backups-bucket",
        "FAIL CKV_GCP_78 staging google_storage_bucket.backups-bucket",
        "FAIL CKV_GCP_78 staging google_storage_bucket.code-backups-bucket",
    ]
    assert "gcp:storage/bucket:Bucket backups-bucket" in failing[0]
    assert "4 not waived, 0 stale waivers" in out
    assert scan.main(["--checkov", str(checkov)]) == 0, capsys.readouterr().out


@pytest.mark.scanner
def test_a_waiver_whose_check_passes_is_stale(scan_run: ScanRun) -> None:
    _, result, _ = scan_run
    waivers = load_waivers(WAIVERS)
    # Uniform bucket-level access passes on both stacks: waiving it is stale.
    waivers["CKV_GCP_29"] = Waiver("CKV_GCP_29", "no longer needed", "decision", ("none",))
    verdict = judge(result, waivers)
    assert not verdict.clean
    assert [waiver.check for waiver in verdict.stale] == ["CKV_GCP_29"]
    assert "STALE CKV_GCP_29: passes on every stack" in render_text(result, verdict, WAIVERS)


@pytest.mark.scanner
def test_markdown_section_for_the_pr_comment(scan_run: ScanRun) -> None:
    _, result, _ = scan_run
    waivers = load_waivers(WAIVERS)
    clean = render_markdown(result, judge(result, waivers), waivers)
    assert clean.startswith("### Scanner: Checkov ")
    assert ": passed\n" in clean.splitlines()[0] + "\n"
    rows = [line for line in clean.splitlines() if line.startswith("| `") and "` | " in line]
    assert [row.split("|")[1].strip() for row in rows[: len(STACKS)]] == [f"`{s}`" for s in STACKS]
    assert f"<details><summary>{len(waivers)} waived checks" in clean
    del waivers["CKV_GCP_62"]
    failing = render_markdown(result, judge(result, waivers), waivers)
    assert ": failed" in failing.splitlines()[0]
    assert "| `CKV_GCP_62` | `staging` | `google_storage_bucket.backups-bucket` |" in failing


def test_a_partial_scan_is_refused() -> None:
    exported = {"staging": ExportedPlan({}, addresses={"google_storage_bucket.a": "urn"})}
    report = {"summary": {"resource_count": 0, "parsing_errors": 0}, "results": {}}
    with pytest.raises(ScanError, match="checkov scanned 0 resources, the exports hold 1"):
        read_report(report, exported)
    report["summary"] = {"resource_count": 1, "parsing_errors": 1}
    with pytest.raises(ScanError, match="could not parse"):
        read_report(report, exported)


def test_waived_policies_exist_in_the_pack() -> None:
    from policy.myhibachi_policy.index import all_policies

    names = {policy.name for policy in all_policies()}
    waivers = load_waivers(WAIVERS)
    assert waivers, "the waivers file lists waivers"
    for waiver in waivers.values():
        assert waiver.reason and waiver.title
        if waiver.cover_kind == "policies":
            assert set(waiver.cover) <= names, waiver.check


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"check": "CKV_GCP_6", "covered_by": {"decision": "x"}}, "waivers[0].reason: expected"),
        ({"check": "GCP-6", "reason": "r", "covered_by": {"decision": "x"}}, "not a Checkov"),
        ({"check": "CKV_GCP_6", "reason": "r", "covered_by": {"because": "x"}}, "exactly one"),
        ({"check": "CKV_GCP_6", "reason": "r", "covered_by": {"policies": []}}, "list of names"),
        ({"check": "CKV_GCP_6", "reason": "r", "cover": {}}, "waivers[0].cover: unknown key"),
    ],
)
def test_bad_waivers_are_one_line_naming_file_and_key(
    tmp_path: Path, entry: dict[str, Any], problem: str
) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(yaml.safe_dump({"waivers": [entry]}))
    with pytest.raises(WaiverError) as error:
        load_waivers(path)
    message = str(error.value)
    assert message.startswith(f"{path}: waivers[0]")
    assert problem in message
    assert "\n" not in message


def test_a_check_waived_twice_is_an_error(tmp_path: Path) -> None:
    entry = {"check": "CKV_GCP_6", "reason": "r", "covered_by": {"decision": "d"}}
    path = tmp_path / "waivers.yaml"
    path.write_text(yaml.safe_dump({"waivers": [entry, entry]}))
    with pytest.raises(WaiverError, match=r"waivers\[1\]\.check: CKV_GCP_6 is waived twice"):
        load_waivers(path)


def test_markdown_stays_short_with_many_failures() -> None:
    findings = [
        Finding(f"CKV_GCP_{n}", "a finding", "staging", f"google_storage_bucket.b{n}", "b")
        for n in range(MAX_MARKDOWN_ROWS + 12)
    ]
    result = ScanResult("3.3.30", {"staging": len(findings)}, len(findings), failures=findings)
    section = render_markdown(result, judge(result, {}), {})
    assert section.count("| `CKV_GCP_") == MAX_MARKDOWN_ROWS
    assert "and 12 more: `make scan` lists them all" in section
    assert len(section.encode()) < 8_000
