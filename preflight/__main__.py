"""Entry point for `python -m preflight`."""

import os
import sys

from preflight.cli import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
# Skip interpreter teardown: freeing the provider SDKs' thousands of classes takes close to a
# second, and everything preflight started (policy servers, worktrees) is closed by now.
os._exit(code)
