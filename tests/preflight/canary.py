"""A canary in the mocks' secrets, to show that no report or export ever prints one."""

from __future__ import annotations

from typing import Any

import pytest

from preflight import capture as capture_module

# What the mocks generate for a secret: a password, a Redis AUTH string, an API key string.
_SECRET_OUTPUTS = ("result", "authString", "keyString")


def plant_canary(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    """Every secret the mocks generate starts with `prefix` (then the output's name)."""
    original = capture_module.ProgramMocks._computed

    def planted(self: Any, typ: str, state: dict[str, Any]) -> dict[str, Any]:
        computed = dict(original(self, typ, state))
        for key in _SECRET_OUTPUTS:
            if key in computed:
                computed[key] = f"{prefix}{key}"
        return computed

    monkeypatch.setattr(capture_module.ProgramMocks, "_computed", planted)
