"""Property values as the engine marshals them: secrets, unknowns and resource references.

Captured inputs keep the engine's encoding (a protobuf Struct turned into plain JSON), so the
same values can go to the policy analyzer unchanged and be rendered with secrets masked.
"""

from __future__ import annotations

from typing import Any

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

SECRET_MASK = "[secret]"
UNKNOWN_MASK = "[unknown]"


def is_secret(value: Any) -> bool:
    """A value the program marked secret."""
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


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
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        # Struct numbers are doubles; show whole numbers as the program wrote them.
        return int(value)
    return value


def unwrapped(value: Any) -> Any:
    """The plain value, secrets revealed: for tests and checks, never for output."""
    if is_secret(value):
        return unwrapped(value.get("value"))
    if isinstance(value, dict):
        if value.get(SIG_KEY) == OUTPUT_SIG:
            return unwrapped(value.get("value"))
        return {key: unwrapped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unwrapped(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
