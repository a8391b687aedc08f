"""Every RegisterResource and Invoke request the real program sends for a stack, field by field.

`preflight.capture` keeps what the preview shows (inputs, parent, options); this keeps the whole
request, so two runs can be compared on everything the engine acts on, including the provider
version, the plugin download URL, aliases and secret markings, and for an invoke its token and
arguments.
"""

from __future__ import annotations

import json
import runpy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import json_format
from pulumi.runtime import mocks, stack
from pulumi.runtime.config import set_all_config
from pulumi.runtime.sync_await import _sync_await

from preflight.capture import PROJECT_NAME, STACK_TYPE, ProgramMocks
from preflight.stack_file import read_stack_config


@dataclass
class ProgramRequests:
    """What one run sent: each registration by the URN it answers, and every invoke."""

    resources: dict[str, dict[str, Any]]
    invokes: list[dict[str, Any]]


class _Requests(mocks.MockMonitor):
    """The SDK's mock monitor, keeping each of the program's registrations by the URN it answers
    and each of its invokes."""

    def __init__(self, program_mocks: mocks.Mocks, main: Path | None = None) -> None:
        super().__init__(program_mocks)
        self.main_uri = main.as_uri() if main is not None else None
        self.requests: dict[str, dict[str, Any]] = {}
        self.invokes: list[dict[str, Any]] = []

    def Invoke(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        self.invokes.append(json_format.MessageToDict(request))
        base: Any = super()  # the SDK's monitor is untyped
        return base.Invoke(request)

    def sorted_invokes(self) -> list[dict[str, Any]]:
        """The invokes in a stable order: the SDK sends them as their futures resolve."""
        return sorted(self.invokes, key=lambda invoke: json.dumps(invoke, sort_keys=True))

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        base: Any = super()  # the SDK's monitor is untyped
        response = base.RegisterResource(request)
        if request.type == STACK_TYPE:  # registered by this harness, not by the program
            return response
        fields: dict[str, Any] = json_format.MessageToDict(request)
        # The stack trace down to the program's entry point; below it are the caller's frames.
        frames = fields.get("stackTrace", {}).get("frames", [])
        uris = [frame.get("pc", {}).get("uri") for frame in frames]
        if self.main_uri is not None and self.main_uri in uris:
            del frames[uris.index(self.main_uri) + 1 :]
        # Dependencies are sets; the SDK sends them in the order its futures resolve.
        fields["dependencies"] = sorted(fields.get("dependencies", ()))
        for dependency in fields.get("propertyDependencies", {}).values():
            dependency["urns"] = sorted(dependency.get("urns", ()))
        self.requests[response.urn] = fields
        return response


def program_requests(project_dir: Path, stack_name: str) -> ProgramRequests:
    """Run `<project_dir>/__main__.py` for a stack under mocks; what it requested."""
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
    return ProgramRequests(monitor.requests, monitor.sorted_invokes())


def invoke_requests(call: Callable[[], object], stack_name: str = "test") -> list[dict[str, Any]]:
    """Run `call` (a function that invokes provider functions) under the offline mocks; every
    Invoke request it sent, and nothing else."""
    program_mocks = ProgramMocks("project", "region")
    monitor = _Requests(program_mocks)
    mocks.set_mocks(program_mocks, PROJECT_NAME, stack_name, preview=True, monitor=monitor)
    pulumi.runtime.settings.ROOT.set(None)
    stack.Stack()

    def program() -> None:
        call()

    _sync_await(stack.run_pulumi_func(program))
    return monitor.sorted_invokes()
