"""Every RegisterResource request the real program sends for a stack, field by field.

`preflight.capture` keeps what the preview shows (inputs, parent, options); this keeps the whole
request, so two runs can be compared on everything the engine acts on, including the provider
version, the plugin download URL, aliases and secret markings.
"""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import json_format
from pulumi.runtime import mocks, stack
from pulumi.runtime.config import set_all_config
from pulumi.runtime.sync_await import _sync_await

from preflight.capture import PROJECT_NAME, STACK_TYPE, ProgramMocks
from preflight.stack_file import read_stack_config


class _Requests(mocks.MockMonitor):
    """The SDK's mock monitor, keeping each of the program's requests by the URN it answers."""

    def __init__(self, program_mocks: mocks.Mocks, main: Path) -> None:
        super().__init__(program_mocks)
        self.main_uri = main.as_uri()
        self.requests: dict[str, dict[str, Any]] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        base: Any = super()  # the SDK's monitor is untyped
        response = base.RegisterResource(request)
        if request.type == STACK_TYPE:  # registered by this harness, not by the program
            return response
        fields: dict[str, Any] = json_format.MessageToDict(request)
        # The stack trace down to the program's entry point; below it are the caller's frames.
        frames = fields.get("stackTrace", {}).get("frames", [])
        uris = [frame.get("pc", {}).get("uri") for frame in frames]
        if self.main_uri in uris:
            del frames[uris.index(self.main_uri) + 1 :]
        # Dependencies are sets; the SDK sends them in the order its futures resolve.
        fields["dependencies"] = sorted(fields.get("dependencies", ()))
        for dependency in fields.get("propertyDependencies", {}).values():
            dependency["urns"] = sorted(dependency.get("urns", ()))
        self.requests[response.urn] = fields
        return response


def program_requests(project_dir: Path, stack_name: str) -> dict[str, dict[str, Any]]:
    """Run `<project_dir>/__main__.py` for a stack under mocks; its requests by URN."""
    config = read_stack_config(project_dir, stack_name)
    set_all_config(config.values, list(config.secret_keys))
    program_mocks = ProgramMocks(
        config.values.get("gcp:project", "project"), config.values.get("gcp:region", "region")
    )
    main = project_dir / "__main__.py"
    monitor = _Requests(program_mocks, main)
    mocks.set_mocks(program_mocks, PROJECT_NAME, stack_name, preview=True, monitor=monitor)
    # set_mocks registers an empty stack at once; a fresh root is this run's stack.
    pulumi.runtime.settings.ROOT.set(None)
    stack.Stack()

    def program() -> None:
        runpy.run_path(str(main), run_name="__main__")

    _sync_await(stack.run_pulumi_func(program))
    return monitor.requests
