"""`python -m preflight`: the program and the policy pack, offline, for one or more stacks.

Exit codes, on every path: 0 nothing blocks the change; 1 the change is blocked (a mandatory
policy violation, or a finding of the gate's own: a protected resource destroyed, production's
policy weakened); 2 bad input (a command-line error, a missing or bad stack file, bad config, a
broken policy config, a program error, a base ref that cannot be run), reported as one line on
stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from preflight.timing import PhaseTimer

if TYPE_CHECKING:
    from preflight.base import BaseSnapshot
    from preflight.capture import Capture
    from preflight.gate import PolicyGate
    from preflight.policy_changes import PolicyChanges
    from preflight.policy_config import PolicySummary
    from preflight.report import StackReport
    from preflight.stack_file import StackConfig

PROJECT_DIR = Path(__file__).resolve().parent.parent
EXIT_OK = 0
EXIT_BLOCKED = 1
EXIT_CONFIG_ERROR = 2
FORMATS = ("text", "markdown", "json", "tfplan")


class UsageError(Exception):
    """A command-line mistake; the message is one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors as one line and exit code 2 like every other bad input."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = _Parser(
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
        "--base",
        metavar="REF",
        help="diff against the project at this git ref (e.g. origin/main); the gate then also "
        "blocks destroying protected resources and weakening production's policy",
    )
    parser.add_argument(
        "--policy-pack",
        type=Path,
        metavar="DIR",
        help="the policy pack directory (default: policy/; its config/<stack>.json is used)",
    )
    parser.add_argument(
        "--no-policy",
        action="store_true",
        help="skip the policy pack (the gate's own findings stay)",
    )
    parser.add_argument(
        "--details", action="store_true", help="text format: show created resources' inputs"
    )
    parser.add_argument(
        "--timings", action="store_true", help="print each phase's seconds to stderr"
    )
    return parser


def main(argv: list[str] | None = None, *, source_positions: bool = True) -> int:
    """Run preflight; returns the process exit code."""
    try:
        args = build_parser().parse_args(argv)
        config_dir, stacks = _stacks(args)
        if args.format == "tfplan" and len(stacks) > 1:
            raise UsageError("--format tfplan: a Terraform plan holds one stack; name one")
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG_ERROR
    timer = PhaseTimer()
    if not source_positions:
        from preflight.capture import skip_source_positions

        skip_source_positions()
    try:
        reports = _run(args, config_dir, stacks, timer)
    except Exception as error:  # every failure is one line and exit 2
        print(f"error: {_one_line(error)}", file=sys.stderr)
        return EXIT_CONFIG_ERROR
    with timer.phase("render"):
        text = _render(reports, args.format, args.details)
    sys.stdout.write(text)
    if args.timings:
        print(timer.summary(), file=sys.stderr)
    return EXIT_BLOCKED if any(report.blocked for report in reports) else EXIT_OK


def _one_line(error: BaseException) -> str:
    """Known errors carry their own one-line message; anything else says what it was."""
    from pulumi import RunError

    from preflight.base import BaseError
    from preflight.capture import ProgramError
    from preflight.pack_process import AnalyzerError
    from preflight.policy_config import PolicyConfigError
    from preflight.stack_file import StackFileError

    known = (StackFileError, RunError, ProgramError, BaseError, PolicyConfigError, AnalyzerError)
    text = str(error) if isinstance(error, known) else f"{type(error).__name__}: {error}"
    return " ".join(text.split()) or type(error).__name__


def _run(
    args: argparse.Namespace, config_dir: Path, stacks: list[str], timer: PhaseTimer
) -> list[StackReport]:
    # Imported here so that `--help` and usage errors stay instant.
    from preflight.base import BaseCheckout
    from preflight.capture import capture_with_config
    from preflight.gate import PolicyGate
    from preflight.stack_checks import check_stack
    from preflight.stack_file import read_stack_config

    configs: list[StackConfig] = []
    for stack in stacks:
        config = read_stack_config(config_dir, stack)
        check_stack(config, config_dir, PROJECT_DIR)
        configs.append(config)
        for warning in config.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    pack_dir = (args.policy_pack or PROJECT_DIR / "policy").resolve()
    base: BaseCheckout | None = None
    gate: PolicyGate | None = None
    try:
        if args.base:
            # The base's programs run in their own processes while this checkout's runs.
            base = BaseCheckout(PROJECT_DIR, args.base, stacks, pack_dir)
        if not args.no_policy:
            # Starts the policy servers now, so they boot while the program runs.
            gate = PolicyGate(
                PROJECT_DIR, {config.stack: config.values for config in configs}, pack_dir=pack_dir
            )
        captures: list[Capture] = []
        # The last-named stack's program runs first; the reports keep the order asked. The
        # program that runs first is slowed by the SDKs' imports, so its policy server keeps
        # pace with it; the next one registers faster than its server analyzes. Every command
        # here names `staging,production`: production, with the most to analyze, goes first.
        for config in reversed(configs):
            with timer.phase("capture"):
                listener = gate.listener(config.stack) if gate else None
                captures.insert(0, capture_with_config(PROJECT_DIR, config, listener))
                if gate is not None:
                    # Its stack policies run on their server while the next program runs.
                    gate.conclude(captures[0])
        snapshot = None
        if base is not None:
            with timer.phase("base"):
                snapshot = base.snapshot()
        reports = _reports(
            args, configs, captures, snapshot=snapshot, gate=gate, pack_dir=pack_dir, timer=timer
        )
    finally:
        if gate is not None:
            gate.close()
        if base is not None:
            base.close()
    if args.format in ("markdown", "json"):
        from preflight.base import git_commit

        head = git_commit(PROJECT_DIR)
        for report in reports:
            report.head_commit = head
    return reports


def _reports(
    args: argparse.Namespace,
    configs: list[StackConfig],
    captures: list[Capture],
    *,
    snapshot: BaseSnapshot | None,
    gate: PolicyGate | None,
    pack_dir: Path,
    timer: PhaseTimer,
) -> list[StackReport]:
    from preflight.change_findings import (
        destructive_findings,
        placeholder_findings,
        policy_findings,
        with_code_places,
    )
    from preflight.diff import diff_captures, output_changes
    from preflight.report import StackReport

    reports: list[StackReport] = []
    head_policies: tuple[PolicySummary, ...] | None = None
    for config, capture in zip(configs, captures, strict=True):
        base_stack = snapshot.stacks[config.stack] if snapshot else None
        base_capture = base_stack.capture if base_stack else None
        changes = diff_captures(base_capture, capture)
        report = StackReport(capture, changes, base_ref=args.base)
        if gate is not None:
            with timer.phase("policy"):
                found = gate.evaluate(capture)
            report.violations = with_code_places(PROJECT_DIR, found.violations, capture)
            report.not_applicable = list(found.not_applicable)
        gate_findings = []
        if snapshot is not None and base_stack is not None:
            report.base_commit = snapshot.commit
            report.outputs_changed = output_changes(base_capture, capture)
            gate_findings += destructive_findings(
                PROJECT_DIR,
                config.stack,
                changes,
                base=base_capture,
                head=capture,
                base_config=base_stack.config,
                head_config=config.values,
            )
            if snapshot.policy_files and head_policies is None:
                head_policies = _head_policies(gate, config.stack, pack_dir)
            report.policy_changes = _policy_changes(
                snapshot, config.stack, pack_dir, head_policies or ()
            )
            gate_findings += policy_findings(config.stack, report.policy_changes)
        base_config = base_stack.config if base_stack and base_capture else None
        gate_findings += placeholder_findings(config.stack, base_config, config.values)
        report.violations = gate_findings + report.violations
        reports.append(report)
    return reports


def _head_policies(
    gate: PolicyGate | None, stack: str, pack_dir: Path
) -> tuple[PolicySummary, ...]:
    if gate is not None:
        return gate.policies(stack)  # the stack was evaluated: its session is configured
    from preflight.analyzer import AnalyzerClient

    with AnalyzerClient(pack_dir, stack=stack) as client:
        return client.analyzer_info().policies


def _policy_changes(
    snapshot: BaseSnapshot, stack: str, pack_dir: Path, head_policies: tuple[PolicySummary, ...]
) -> PolicyChanges:
    from preflight.policy_changes import PolicyChanges, compare_policy_configs

    relative = _relative(pack_dir)
    config_file = f"{relative}/config/{stack}.json"
    if not snapshot.policy_files:
        return PolicyChanges(config_file)
    head_path = pack_dir / "config" / f"{stack}.json"
    head_text = head_path.read_text(encoding="utf-8") if head_path.is_file() else None
    settings = compare_policy_configs(
        snapshot.stacks[stack].policy_config,
        head_text,
        snapshot.pack_policies or head_policies,
        head_policies,
        config_file,
    )
    return PolicyChanges(config_file, snapshot.policy_files, tuple(settings))


def _relative(path: Path) -> str:
    try:
        return path.relative_to(PROJECT_DIR).as_posix()
    except ValueError:
        return str(path)


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


def _stacks(args: argparse.Namespace) -> tuple[Path, list[str]]:
    """The directory holding the stack files, and the stacks named."""
    if args.stack_file is not None:
        stack_file: Path = args.stack_file.resolve()
        name = stack_file.name
        if not (name.startswith("Pulumi.") and name.endswith(".yaml")) or name.count(".") != 2:
            raise UsageError(f"--stack-file: {name}: a stack file is named Pulumi.<stack>.yaml")
        return stack_file.parent, [name.split(".")[1]]
    stacks = [stack.strip() for stack in str(args.stack).split(",") if stack.strip()]
    if not stacks:
        raise UsageError("--stack: name at least one stack (Pulumi.<stack>.yaml)")
    return PROJECT_DIR, stacks
