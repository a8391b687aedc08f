"""Decode each resource's properties once per request, and copy them only for the policies that
read them.

pulumi-policy 1.21 prepares a resource's properties afresh for every policy it runs: it decodes
the protobuf message (`json_format.MessageToDict`), converts the result
(`deserialize_properties`) and wraps a deep copy in its unknown-checking proxy
(`unknown_checking_proxy`). Each Analyze request does that once per resource policy (74 here),
and each AnalyzeStack request once per resource and stack policy (26), although most policies
look only at the resource's type and return. That preparation was most of the pack's CPU time.

Here the first two steps run once per message and request (both are pure functions of the
message), and the proxy a policy receives makes the SDK's own proxy, with its deep copy, the
first time the policy reads a property. Every policy that reads still gets its own copy, so
nothing a policy sees or changes differs. The memo lives in a thread-local for the length of one
request (the gRPC server runs requests on a thread pool) and holds the message itself, so no
identity is reused while it lives.

The hooks are pulumi-policy's module-level names `json_format`, `deserialize_properties` and
`unknown_checking_proxy` and its servicer's two handlers; the version is pinned, and a test fails
if any hook moves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from google.protobuf import json_format
from google.protobuf.message import Message
from pulumi_policy import policy as sdk
from pulumi_policy import proxy as sdk_proxy
from pulumi_policy.deserialize import deserialize_properties as sdk_deserialize

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


def _deserialize_once(props: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
    """`deserialize_properties` in the SDK's server: once per decoded dict and request."""
    memo: dict[int, tuple[Message, Any]] | None = getattr(_decoded, "memo", None)
    if memo is None or args or kwargs:
        return sdk_deserialize(props, *args, **kwargs)
    key = -id(props)  # negative: never the id of a message in the same memo
    entry = memo.get(key)
    if entry is None:
        entry = memo[key] = (props, sdk_deserialize(props))
    return entry[1]


class _CopiedOnFirstRead(sdk_proxy._DictProxy):
    """The SDK's unknown-checking proxy, built (with its deep copy) when a policy first reads."""

    def __init__(self, source: dict[str, Any]) -> None:  # the SDK's __init__ runs later
        self._source = source
        self._built: sdk_proxy._DictProxy | None = None

    def _proxy(self) -> sdk_proxy._DictProxy:
        if self._built is None:
            self._built = sdk_proxy.unknown_checking_proxy(self._source)  # type: ignore[assignment]
        return self._built  # type: ignore[return-value]

    def __getitem__(self, key: Any) -> Any:
        return self._proxy()[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._proxy()[key] = value

    def __len__(self) -> int:
        return len(self._proxy())

    def __iter__(self) -> Iterator[Any]:
        return iter(self._proxy())


def _proxy_on_first_read(props: dict[str, Any]) -> Any:
    return _CopiedOnFirstRead(props)


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
    """Make the pack's server decode each message once per request and copy it only for the
    policies that read it (idempotent)."""
    servicer = sdk._PolicyAnalyzerServicer
    for name in ("Analyze", "AnalyzeStack"):
        handler = getattr(servicer, name)
        if not getattr(handler, "decodes_once", False):
            setattr(servicer, name, _one_memo_per_request(handler))
    namespace = vars(sdk)  # the module's own globals, where its functions look these names up
    if not isinstance(namespace["json_format"], _DecodeOncePerRequest):
        namespace["json_format"] = _DecodeOncePerRequest()
    namespace["deserialize_properties"] = _deserialize_once
    namespace["unknown_checking_proxy"] = _proxy_on_first_read
