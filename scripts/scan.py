"""A second opinion on every plan: Checkov on each stack's Terraform plan export.

    make scan                                             # both stacks, waivers applied
    .venv/bin/python scripts/scan.py --format markdown    # a section for the PR comment
    .venv/bin/python scripts/scan.py --out out/           # keep the plan files

Exports each stack (`python -m preflight --format tfplan`, in-process), runs Checkov's
`terraform_plan` framework once over the files (from `.venv-scan`, whose dependencies clash with
the project's), and compares the failures with `policy/scanner-waivers.yaml`. Prints one line per
failing check that is not waived and one per stale waiver (its check passes on every stack).

Exit codes: 0 every failure is waived and no waiver is stale, 1 otherwise, 2 bad waivers, no
Checkov, or a plan Checkov could not read in full (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from preflight.tfplan import ExportedPlan, export_plan, render_plan  # noqa: E402
from scripts.scanner_waivers import Waiver, WaiverError, load_waivers  # noqa: E402

STACKS = ("staging", "production")
WAIVERS = PROJECT_DIR / "policy" / "scanner-waivers.yaml"
CHECKOV = PROJECT_DIR / ".venv-scan" / "bin" / "checkov"
PLAN_SUFFIX = ".tfplan.json"
# The section shares one PR comment (64 KiB at most) with the plan: it stays a few KiB.
MAX_MARKDOWN_ROWS = 30


class ScanError(Exception):
    """The scan could not run or could not be trusted; the message is one line."""


@dataclass(frozen=True)
class Finding:
    """One failed check on one resource of one stack."""

    check: str
    title: str
    stack: str
    address: str
    resource: str


@dataclass
class ScanResult:
    """What Checkov reported for the exported stacks."""

    checkov_version: str
    exported: dict[str, int]
    scanned_resources: int
    passed: Counter[str] = field(default_factory=Counter)
    failures: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Verdict:
    """The failures split by the waivers, and the waivers nothing failed."""

    unwaived: list[Finding]
    waived: list[Finding]
    stale: list[Waiver]

    @property
    def clean(self) -> bool:
        """Nothing unwaived and nothing stale."""
        return not self.unwaived and not self.stale


def export_stacks(stacks: list[str], out_dir: Path) -> dict[str, ExportedPlan]:
    """Write `<stack>.tfplan.json` for each stack; what could not be mapped goes to stderr."""
    from preflight.capture import ProgramError, capture_stack
    from preflight.stack_file import StackFileError
    from settings import SettingsError

    exported: dict[str, ExportedPlan] = {}
    for stack in stacks:
        try:
            plan = export_plan(capture_stack(PROJECT_DIR, stack))
        except (StackFileError, SettingsError, ProgramError) as error:
            raise ScanError(str(error)) from error
        for warning in plan.warnings:
            print(f"warning: tfplan: {stack}: {warning}", file=sys.stderr)
        (out_dir / f"{stack}{PLAN_SUFFIX}").write_text(render_plan(plan))
        exported[stack] = plan
    return exported


def run_checkov(checkov: Path, plan_files: list[Path]) -> dict[str, Any]:
    """Checkov's JSON report for the plan files (one run: its start-up is most of the time)."""
    if not checkov.is_file():
        raise ScanError(f"{checkov}: not found; `make scan` creates .venv-scan with Checkov")
    command = [str(checkov), "--framework", "terraform_plan", "-o", "json", "--skip-download"]
    for plan_file in plan_files:
        command += ["-f", str(plan_file)]
    # No network here or in CI: skip the download of Prisma Cloud's guideline mappings.
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}
    completed = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if completed.returncode not in (0, 1):
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        raise ScanError(f"checkov exited {completed.returncode}: {last}")
    try:
        report = json.loads(completed.stdout)
    except ValueError as error:
        raise ScanError(f"checkov: output is not JSON: {error}") from error
    if isinstance(report, list):  # one report per framework when several ran
        report = next((r for r in report if r.get("check_type") == "terraform_plan"), {})
    return report if isinstance(report, dict) else {}


def read_report(report: dict[str, Any], exported: dict[str, ExportedPlan]) -> ScanResult:
    """The findings, each tied to its stack and Pulumi resource; refuses a partial scan."""
    summary = report.get("summary", report)
    results = report.get("results", {})
    counts = {stack: len(plan.addresses) for stack, plan in exported.items()}
    if summary.get("parsing_errors", 0) or results.get("parsing_errors"):
        raise ScanError(f"checkov could not parse: {results.get('parsing_errors')}")
    scanned = int(summary.get("resource_count", 0))
    if scanned != sum(counts.values()):
        raise ScanError(
            f"checkov scanned {scanned} resources, the exports hold {sum(counts.values())}"
        )
    result = ScanResult(str(summary.get("checkov_version", "?")), counts, scanned)
    for check in results.get("passed_checks", []):
        result.passed[_stack_of(check)] += 1
    for check in results.get("failed_checks", []):
        stack = _stack_of(check)
        address = str(check.get("resource", ""))
        urn = exported[stack].addresses.get(address, "") if stack in exported else ""
        result.failures.append(
            Finding(
                check=str(check.get("check_id")),
                title=str(check.get("check_name", "")),
                stack=stack,
                address=address,
                resource=_pulumi_resource(urn),
            )
        )
    result.failures.sort(key=lambda f: (f.check, f.stack, f.address))
    return result


def judge(result: ScanResult, waivers: dict[str, Waiver]) -> Verdict:
    """Which failures the waivers accept, and which waivers nothing needs any more."""
    failing = {finding.check for finding in result.failures}
    return Verdict(
        unwaived=[f for f in result.failures if f.check not in waivers],
        waived=[f for f in result.failures if f.check in waivers],
        stale=[waiver for check, waiver in sorted(waivers.items()) if check not in failing],
    )


def render_text(result: ScanResult, verdict: Verdict, waivers_path: Path) -> str:
    """One line per unwaived failure and per stale waiver, then a summary line."""
    lines = [
        f"FAIL {f.check} {f.stack} {f.address} ({f.resource}): {f.title}" for f in verdict.unwaived
    ]
    lines += [
        f"STALE {waiver.check}: passes on every stack; remove it from {waivers_path.name}"
        for waiver in verdict.stale
    ]
    lines.append(
        f"checkov {result.checkov_version} on {', '.join(result.exported)}: "
        f"{result.scanned_resources} resources, {sum(result.passed.values())} passed, "
        f"{len(result.failures)} failed ({len(verdict.waived)} waived), "
        f"{len(verdict.unwaived)} not waived, {len(verdict.stale)} stale waivers"
    )
    return "\n".join(lines) + "\n"


def render_markdown(result: ScanResult, verdict: Verdict, waivers: dict[str, Waiver]) -> str:
    """A short section for the PR comment, next to the policy pack's verdict."""
    status = "passed" if verdict.clean else "failed"
    failed = Counter(f.stack for f in result.failures)
    unwaived = Counter(f.stack for f in verdict.unwaived)
    lines = [
        f"### Scanner: Checkov {result.checkov_version} on the Terraform plan export: {status}",
        "",
        "| stack | resources | passed | failed | not waived |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for stack, count in result.exported.items():
        counts = (count, result.passed[stack], failed[stack], unwaived[stack])
        lines.append(f"| `{stack}` | " + " | ".join(str(n) for n in counts) + " |")
    if verdict.unwaived:
        lines += ["", "**Not waived:**", "", "| check | stack | resource | finding |"]
        lines.append("| --- | --- | --- | --- |")
        lines += [
            f"| `{f.check}` | `{f.stack}` | `{f.address}` | {_cell(f.title)} |"
            for f in verdict.unwaived[:MAX_MARKDOWN_ROWS]
        ]
        hidden = len(verdict.unwaived) - MAX_MARKDOWN_ROWS
        if hidden > 0:
            lines.append(f"| ... | | | and {hidden} more: `make scan` lists them all |")
    if verdict.stale:
        stale = ", ".join(f"`{waiver.check}`" for waiver in verdict.stale)
        lines += ["", f"**Stale waivers** (now passing; remove them): {stale}"]
    waived_checks = sorted({f.check for f in verdict.waived})
    if waived_checks:
        lines += [
            "",
            f"<details><summary>{len(waived_checks)} waived checks "
            "(policy/scanner-waivers.yaml)</summary>",
            "",
            "| check | finding | covered by |",
            "| --- | --- | --- |",
        ]
        for check in waived_checks:
            waiver = waivers[check]
            lines.append(
                f"| `{check}` | {_cell(waiver.title or check)} | {_cell(waiver.covered_by)} |"
            )
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def _stack_of(check: dict[str, Any]) -> str:
    name = Path(str(check.get("file_path", ""))).name
    return name.removesuffix(PLAN_SUFFIX)


def _pulumi_resource(urn: str) -> str:
    parts = urn.split("::")
    if len(parts) < 4:
        return "?"
    return f"{parts[2].split('$')[-1]} {parts[3]}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    """Export, scan, judge; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", default=",".join(STACKS), help="comma-separated stacks")
    parser.add_argument("--format", choices=("text", "markdown"), default="text")
    parser.add_argument("--waivers", type=Path, default=WAIVERS, help="the waivers file")
    parser.add_argument("--checkov", type=Path, default=CHECKOV, help="the checkov executable")
    parser.add_argument("--out", type=Path, help="keep the plan files in this folder")
    args = parser.parse_args(argv)
    stacks = [stack.strip() for stack in args.stack.split(",") if stack.strip()]
    try:
        waivers = load_waivers(args.waivers)
        with tempfile.TemporaryDirectory(prefix="scan-") as temporary:
            out_dir: Path = args.out or Path(temporary)
            out_dir.mkdir(parents=True, exist_ok=True)
            exported = export_stacks(stacks, out_dir)
            files = [out_dir / f"{stack}{PLAN_SUFFIX}" for stack in stacks]
            result = read_report(run_checkov(args.checkov, files), exported)
    except (WaiverError, ScanError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    verdict = judge(result, waivers)
    if args.format == "markdown":
        sys.stdout.write(render_markdown(result, verdict, waivers))
    else:
        sys.stdout.write(render_text(result, verdict, args.waivers))
    return 0 if verdict.clean else 1


if __name__ == "__main__":
    sys.exit(main())
