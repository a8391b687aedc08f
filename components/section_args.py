"""The args of a component built from one section of the stack file: the section's settings, and
the stack's env, project, labels and whether it protects its data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

SettingsT = TypeVar("SettingsT")


@dataclass(frozen=True)
class SectionArgs(Generic[SettingsT]):
    """A stack-file section's settings and the stack's env, project, labels and protection."""

    env: str
    project: str
    settings: SettingsT
    labels: Mapping[str, str] = field(default_factory=dict)
    protect: bool = False
