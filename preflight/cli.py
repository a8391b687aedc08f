"""`python -m preflight`: run the program offline for a stack and print its plan.

Exit codes: 0 the plan was produced, 2 bad config or a program error (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from preflight.timing import PhaseTimer

PROJECT_DIR = Path(__file__).resolve().parent.parent
EXIT_OK = 0
EXIT_CONFIG_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m preflight",
        description="Run the Pulumi program offline under the mock runtime and show its plan.",
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
    parser.add_argument(
        "--details", action="store_true", help="show every resource's inputs, secrets masked"
    )
    parser.add_argument(
        "--timings", action="store_true", help="print each phase's seconds to stderr"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run preflight; returns the process exit code."""
    args = build_parser().parse_args(argv)
    timer = PhaseTimer()
    # Imported here so that `--help` stays instant.
    from preflight.capture import Capture, ProgramError, capture_with_config
    from preflight.render_text import render_preview
    from preflight.stack_file import StackConfig, StackFileError, read_stack_config
    from settings import SettingsError

    captures: list[Capture] = []
    try:
        configs: list[StackConfig] = []
        if args.stack_file is not None:
            stack_file: Path = args.stack_file.resolve()
            configs.append(read_stack_config(stack_file.parent, _stack_name(stack_file)))
        else:
            for stack in _stacks(args.stack):
                configs.append(read_stack_config(PROJECT_DIR, stack))
        for config in configs:
            for warning in config.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            with timer.phase("capture"):
                captures.append(capture_with_config(PROJECT_DIR, config))
    except (StackFileError, SettingsError, ProgramError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG_ERROR
    with timer.phase("render"):
        text = "\n".join(render_preview(capture, details=args.details) for capture in captures)
    sys.stdout.write(text)
    if args.timings:
        print(timer.summary(), file=sys.stderr)
    return EXIT_OK


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
