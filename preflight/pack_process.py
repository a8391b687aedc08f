"""Start and stop a policy pack's analyzer server process, the way the Pulumi CLI does.

The CLI starts a Python pack as `python -m pulumi.policy <engine-address> <pack-dir>` with the
pack directory as working directory and the stack's identity in the environment, then reads the
port the pack prints on stdout. The Python policy host never dials the engine address
(`pulumi.policy.__main__` parses it and `pulumi.log` falls back to stderr without an engine), so
no engine service is started; the address passed is a placeholder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Final

import yaml

_PLACEHOLDER_ENGINE: Final = "127.0.0.1:0"


class AnalyzerError(Exception):
    """The pack did not start or a call failed; the message is one line."""


def pack_python(pack_dir: Path) -> str:
    """The interpreter PulumiPolicy.yaml asks for (runtime.options.virtualenv), else ours."""
    try:
        document = yaml.safe_load((pack_dir / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
        virtualenv = document["runtime"]["options"]["virtualenv"]
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return sys.executable
    # No resolve(): the venv's python is a symlink, and following it would leave the venv.
    candidate = Path(os.path.normpath(pack_dir.absolute() / str(virtualenv) / "bin" / "python"))
    return str(candidate) if candidate.exists() else sys.executable


class PackProcess:
    """One analyzer server process of a policy pack."""

    def __init__(
        self,
        pack_dir: Path,
        environment: Mapping[str, str],
        *,
        python: str | None = None,
        startup_timeout: float = 60.0,
    ) -> None:
        self.pack_dir = pack_dir.resolve()
        self.environment = dict(environment)
        self.python = python or pack_python(self.pack_dir)
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    def start(self) -> int:
        """Spawn the pack and return the port it listens on."""
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [self.python, "-m", "pulumi.policy", _PLACEHOLDER_ENGINE, str(self.pack_dir)],
            cwd=self.pack_dir,
            env={**os.environ, **self.environment},
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        return self._read_port()

    def _read_port(self) -> int:
        assert self.process is not None and self.process.stdout is not None
        stdout = self.process.stdout
        line: list[bytes] = []
        reader = threading.Thread(target=lambda: line.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.startup_timeout)
        text = line[0].decode().strip() if line else ""
        if not text.isdigit():
            detail = self._stderr_tail()
            self.stop()
            raise AnalyzerError(
                f"policy pack at {self.pack_dir} did not print its port"
                + (f": {detail}" if detail else "")
            )
        # Keep draining stdout so a chatty pack never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in stdout], daemon=True).start()
        return int(text)

    def _stderr_tail(self) -> str:
        """The last line the pack wrote to stderr, once it has exited."""
        if self._stderr is None:
            return ""
        if self.process is not None and self.process.poll() is None:
            return ""
        self._stderr.seek(0)
        lines = [ln for ln in self._stderr.read().decode(errors="replace").splitlines() if ln]
        return lines[-1] if lines else ""

    def stop(self) -> None:
        """Stop the process (terminate, then kill) and release its pipes."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
            if process.stdout is not None:
                process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
