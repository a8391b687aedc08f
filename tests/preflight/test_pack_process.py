"""The policy pack's server process: started as the CLI starts it, always stopped again."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from preflight.analyzer import AnalyzerClient
from preflight.pack_process import AnalyzerError, PackProcess, pack_python

PROJECT_DIR = Path(__file__).resolve().parents[2]
PACK_DIR = PROJECT_DIR / "policy"


def test_client_stops_the_server() -> None:
    started = AnalyzerClient(PACK_DIR, stack="staging")
    with started:
        process = started.server.process
        assert process is not None and process.poll() is None
    assert process.poll() is not None


def test_the_pack_runs_in_the_virtualenv_its_manifest_names() -> None:
    assert pack_python(PACK_DIR) == str(PROJECT_DIR / ".venv" / "bin" / "python")


def test_a_pack_without_a_manifest_runs_in_this_interpreter(tmp_path: Path) -> None:
    assert pack_python(tmp_path) == sys.executable


def test_a_pack_that_prints_no_port_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text("raise SystemExit('no policy pack here')\n")
    server = PackProcess(tmp_path, {}, startup_timeout=30)
    with pytest.raises(AnalyzerError) as raised:
        server.start()
    message = str(raised.value)
    assert message.startswith(f"policy pack at {tmp_path.resolve()} did not print its port")
    assert "\n" not in message
    assert server.process is None
