"""`python -m preflight.dump_capture DIR STACK`: print a capture of the program in DIR as JSON.

Used for `--base`: this checkout's preflight runs another checkout's program and settings.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from preflight.capture import capture_stack


def main() -> int:
    """Capture and print; errors go to stderr as one line."""
    project_dir, stack = Path(sys.argv[1]).resolve(), sys.argv[2]
    # Preflight's own modules are loaded; the program's modules come from project_dir.
    sys.path.insert(0, str(project_dir))
    try:
        capture = capture_stack(project_dir, stack)
    except Exception as error:  # reported as one line by the caller
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 2
    json.dump(dataclasses.asdict(capture), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
