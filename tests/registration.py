"""Compare what two programs register: a shim resource class against the generated one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
from google.protobuf import json_format
from pulumi.runtime import mocks, stack
from pulumi.runtime.sync_await import _sync_await


class _Requests(mocks.MockMonitor):
    def __init__(self, program_mocks: mocks.Mocks) -> None:
        super().__init__(program_mocks)
        self.requests: dict[str, Any] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        if request.type != "pulumi:pulumi:Stack":
            self.requests[request.name] = request
        base: Any = super()
        return base.RegisterResource(request)


class _Echo(mocks.Mocks):
    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: mocks.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return {}, []


def register(program: Callable[[], None]) -> dict[str, Any]:
    """Run `program` under mocks; the RegisterResource requests it sent, by resource name."""
    echo = _Echo()
    monitor = _Requests(echo)
    mocks.set_mocks(echo, "shim", "shim", preview=True, monitor=monitor)
    pulumi.runtime.settings.ROOT.set(None)
    stack.Stack()
    _sync_await(stack.run_pulumi_func(program))
    return monitor.requests


def shape(request: Any) -> dict[str, Any]:
    """Everything in a request that the engine acts on."""
    return {
        "type": request.type,
        "object": json_format.MessageToDict(request.object),
        "version": request.version,
        "pluginDownloadURL": request.pluginDownloadURL,
        "aliases": sorted(json_format.MessageToJson(a, sort_keys=True) for a in request.aliases),
        "additionalSecretOutputs": sorted(request.additionalSecretOutputs),
        "replaceOnChanges": sorted(request.replaceOnChanges),
        "custom": request.custom,
    }
