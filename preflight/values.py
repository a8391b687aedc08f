"""Property values as the engine marshals them: secrets, unknowns and resource references.

Captured inputs keep the engine's encoding (a protobuf Struct turned into plain JSON), so the
same values go to the policy analyzer unchanged and are rendered with secrets masked. The
encodings are the engine's own (sdk/go/common/resource/properties.go); this module is their only
home in preflight.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from google.protobuf import struct_pb2

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

SECRET_MASK = "[secret]"
UNKNOWN_MASK = "[unknown]"


def secret(value: Any) -> dict[str, Any]:
    """`value` marked secret, as the engine encodes it."""
    return {SIG_KEY: SECRET_SIG, "value": value}


def is_secret(value: Any) -> bool:
    """A value the program marked secret."""
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def to_struct(properties: Mapping[str, Any]) -> struct_pb2.Struct:
    """Engine-encoded properties as the protobuf Struct an RPC carries."""
    struct = struct_pb2.Struct()
    struct.update(_struct_ready(properties))
    return struct


def _struct_ready(value: Any) -> Any:
    # A Struct takes str keys and lists; a null member is an absent one, as the engine sends it.
    if isinstance(value, Mapping):
        return {str(key): _struct_ready(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_struct_ready(item) for item in value]
    return value


def masked(value: Any) -> Any:
    """The value with every secret replaced by `[secret]` and engine markers made readable."""
    if is_secret(value):
        return SECRET_MASK
    if value == UNKNOWN:
        return UNKNOWN_MASK
    if isinstance(value, dict):
        if value.get(SIG_KEY) == RESOURCE_SIG:
            return f"[resource {value.get('urn', '')}]"
        if value.get(SIG_KEY) == OUTPUT_SIG:
            if value.get("secret"):
                return SECRET_MASK
            return masked(value.get("value", UNKNOWN))
    return _rebuilt(value, masked)


def unwrapped(value: Any) -> Any:
    """The plain value, secrets revealed: for tests and checks, never for output."""
    if is_secret(value) or (isinstance(value, dict) and value.get(SIG_KEY) == OUTPUT_SIG):
        return unwrapped(value.get("value"))
    return _rebuilt(value, unwrapped)


def _rebuilt(value: Any, each: Callable[[Any], Any]) -> Any:
    # A map or list with `each` applied to its items; Struct numbers are doubles, so a whole
    # number is shown as the program wrote it.
    if isinstance(value, dict):
        return {key: each(item) for key, item in value.items()}
    if isinstance(value, list):
        return [each(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
