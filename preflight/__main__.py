"""Entry point for `python -m preflight`."""

import gc
import os
import sys

# A short-lived process that creates tens of thousands of provider classes and frees almost
# nothing: the cyclic collector re-scanning them on every threshold costs a third of the run
# (measured with scripts/benchmark.py) and would reclaim a few MiB at most.
gc.disable()

from preflight.cli import main  # noqa: E402 - after gc.disable(), so imports run without it

code = main(source_positions=False)
sys.stdout.flush()
sys.stderr.flush()
# Skip interpreter teardown: freeing the provider SDKs' thousands of classes takes close to a
# second, and everything preflight started (policy servers, worktrees) is closed by now.
os._exit(code)
