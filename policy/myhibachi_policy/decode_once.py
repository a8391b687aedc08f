"""Decode each resource's properties from the wire once per request, not once per policy.

pulumi-policy 1.21 turns a resource's protobuf properties into a dict
(`json_format.MessageToDict`) for every policy it runs: each Analyze request decodes the same
message once per resource policy (74 here), and each AnalyzeStack request decodes every resource
once per stack policy (26). Decoding is half of the pack's CPU time in a preview.

The decoded dict is a pure function of the message, and the SDK copies it before a policy sees
it (`deserialize_properties` and the unknown-checking proxy both build new containers), so
handing the SDK one decoding per message and request changes nothing a policy receives. The memo
lives in a thread-local for the length of one request (the gRPC server runs requests on a thread
pool) and holds the message itself, so no identity is reused while it lives.

The hooks are pulumi-policy's module-level `json_format` and its servicer's two handlers; the
version is pinned, and a test fails if either hook moves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from google.protobuf import json_format
from google.protobuf.message import Message
from pulumi_policy import policy as sdk

_Request = TypeVar("_Request")
_Response = TypeVar("_Response")
Handler = Callable[[Any, _Request, Any], _Response]

_decoded = threading.local()


class _DecodeOncePerRequest:
    """Stands in for the `json_format` module inside pulumi-policy's server."""

    def __getattr__(self, name: str) -> Any:
        return getattr(json_format, name)

    @staticmethod
    def MessageToDict(message: Message, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 (the SDK's name)
        memo: dict[int, tuple[Message, Any]] | None = getattr(_decoded, "memo", None)
        if memo is None or args or kwargs:
            return json_format.MessageToDict(message, *args, **kwargs)
        entry = memo.get(id(message))
        if entry is None:
            entry = memo[id(message)] = (message, json_format.MessageToDict(message))
        return entry[1]


def _one_memo_per_request(handler: Handler[_Request, _Response]) -> Handler[_Request, _Response]:
    def handle(servicer: Any, request: _Request, context: Any) -> _Response:
        _decoded.memo = {}
        try:
            return handler(servicer, request, context)
        finally:
            _decoded.memo = None

    handle.decodes_once = True  # type: ignore[attr-defined]
    return handle


def install() -> None:
    """Make the pack's server decode each message once per request (idempotent)."""
    servicer = sdk._PolicyAnalyzerServicer
    for name in ("Analyze", "AnalyzeStack"):
        handler = getattr(servicer, name)
        if not getattr(handler, "decodes_once", False):
            setattr(servicer, name, _one_memo_per_request(handler))
    namespace = vars(sdk)  # the module's own globals, where its functions look `json_format` up
    if not isinstance(namespace["json_format"], _DecodeOncePerRequest):
        namespace["json_format"] = _DecodeOncePerRequest()
