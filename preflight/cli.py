"""`python -m preflight`: run the program offline for a stack and print its plan.

Exit codes: 0 the plan was produced, 2 bad config or a program error (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
EXIT_OK = 0
EXIT_CONFIG_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m preflight",
        description="Run the Pulumi program offline under the mock runtime and show its plan.",
    )
    parser.add_argument("--stack", default="staging", help="stack name (reads Pulumi.<stack>.yaml)")
    parser.add_argument(
        "--stack-file",
        type=Path,
        help="read config from this Pulumi.<stack>.yaml instead (the stack is named by the file)",
    )
    parser.add_argument(
        "--details", action="store_true", help="show every resource's inputs, secrets masked"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run preflight; returns the process exit code."""
    args = build_parser().parse_args(argv)
    # Imported here so that `--help` stays instant.
    from preflight.capture import ProgramError, capture_with_config
    from preflight.render_text import render_preview
    from preflight.stack_file import StackFileError, read_stack_config
    from settings import SettingsError

    try:
        if args.stack_file is not None:
            stack = _stack_name(args.stack_file)
            config = read_stack_config(args.stack_file.resolve().parent, stack)
        else:
            config = read_stack_config(PROJECT_DIR, args.stack)
        for warning in config.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        capture = capture_with_config(PROJECT_DIR, config)
    except (StackFileError, SettingsError, ProgramError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG_ERROR
    sys.stdout.write(render_preview(capture, details=args.details))
    return EXIT_OK


def _stack_name(stack_file: Path) -> str:
    name = stack_file.name
    if not (name.startswith("Pulumi.") and name.endswith(".yaml")) or name.count(".") != 2:
        raise SystemExit(f"error: {name}: a stack file is named Pulumi.<stack>.yaml")
    return name.split(".")[1]
