"""`python -m preflight`: the program and the policy pack, offline, for one or more stacks.

Exit codes: 0 no mandatory violation, 1 a mandatory violation blocks the change, 2 bad config,
a program error or a broken policy config (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from preflight.timing import PhaseTimer

if TYPE_CHECKING:
    from preflight.report import StackReport

PROJECT_DIR = Path(__file__).resolve().parent.parent
EXIT_OK = 0
EXIT_BLOCKED = 1
EXIT_CONFIG_ERROR = 2
FORMATS = ("text", "markdown", "json", "tfplan")


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m preflight",
        description="Run the Pulumi program and its policy pack offline and show the plan.",
    )
    parser.add_argument(
        "--stack",
        default="staging",
        help="stack name, or several comma-separated (reads Pulumi.<stack>.yaml)",
    )
    parser.add_argument(
        "--stack-file",
        type=Path,
        help="read config from this Pulumi.<stack>.yaml instead (the stack is named by the file)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--base", metavar="REF", help="diff against the program at this git ref (e.g. origin/main)"
    )
    parser.add_argument(
        "--policy-pack",
        type=Path,
        metavar="DIR",
        help="the policy pack directory (default: policy/; its config/<stack>.json is used)",
    )
    parser.add_argument("--no-policy", action="store_true", help="skip the policy pack (plan only)")
    parser.add_argument(
        "--details", action="store_true", help="text format: show created resources' inputs"
    )
    parser.add_argument(
        "--timings", action="store_true", help="print each phase's seconds to stderr"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run preflight; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.format == "tfplan" and args.stack_file is None and len(_stacks(args.stack)) > 1:
        parser.error("--format tfplan: a Terraform plan holds one stack; name one")
    timer = PhaseTimer()
    # Imported here so that `--help` stays instant.
    from pulumi import RunError

    from preflight.base import BaseError, capture_at_ref
    from preflight.capture import Capture, ProgramError, capture_with_config
    from preflight.diff import diff_captures
    from preflight.gate import PolicyGate
    from preflight.pack_process import AnalyzerError
    from preflight.policy_config import PolicyConfigError
    from preflight.report import StackReport
    from preflight.stack_file import StackConfig, StackFileError, read_stack_config

    reports: list[StackReport] = []
    gate: PolicyGate | None = None
    try:
        configs: list[StackConfig] = []
        if args.stack_file is not None:
            stack_file: Path = args.stack_file.resolve()
            configs.append(read_stack_config(stack_file.parent, _stack_name(stack_file)))
        else:
            configs.extend(read_stack_config(PROJECT_DIR, stack) for stack in _stacks(args.stack))
        if not args.no_policy:
            # Starts the policy servers now, so they boot while the program runs.
            gate = PolicyGate(
                PROJECT_DIR,
                {config.stack: config.values for config in configs},
                pack_dir=args.policy_pack.resolve() if args.policy_pack else None,
            )
        captures: list[Capture] = []
        for config in configs:
            for warning in config.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            with timer.phase("capture"):
                listener = gate.listener(config.stack) if gate else None
                captures.append(capture_with_config(PROJECT_DIR, config, listener))
        for capture in captures:
            base = None
            if args.base:
                with timer.phase("base"):
                    base = capture_at_ref(PROJECT_DIR, args.base, capture.stack)
            reports.append(StackReport(capture, diff_captures(base, capture), base_ref=args.base))
        if gate is not None:
            with timer.phase("policy"):
                for report in reports:
                    findings = gate.evaluate(report.capture)
                    report.violations = list(findings.violations)
                    report.not_applicable = list(findings.not_applicable)
    except (
        StackFileError,
        RunError,
        ProgramError,
        BaseError,
        PolicyConfigError,
        AnalyzerError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG_ERROR
    finally:
        if gate is not None:
            gate.close()
    with timer.phase("render"):
        text = _render(reports, args.format, args.details)
    sys.stdout.write(text)
    if args.timings:
        print(timer.summary(), file=sys.stderr)
    return EXIT_BLOCKED if any(report.blocked for report in reports) else EXIT_OK


def _render(reports: list[StackReport], output_format: str, details: bool) -> str:
    if output_format == "tfplan":
        from preflight.tfplan import render_tfplan

        return render_tfplan(reports)
    if output_format == "json":
        from preflight.render_json import render_json

        return render_json(reports)
    if output_format == "markdown":
        from preflight.render_markdown import render_markdown

        return render_markdown(reports)
    from preflight.render_text import render_text

    return render_text(reports, details=details)


def _stacks(value: str) -> list[str]:
    stacks = [stack.strip() for stack in value.split(",") if stack.strip()]
    if not stacks:
        raise SystemExit("error: --stack: name at least one stack")
    return stacks


def _stack_name(stack_file: Path) -> str:
    name = stack_file.name
    if not (name.startswith("Pulumi.") and name.endswith(".yaml")) or name.count(".") != 2:
        raise SystemExit(f"error: {name}: a stack file is named Pulumi.<stack>.yaml")
    return name.split(".")[1]
