"""The policy catalogue (`catalogue.toml`): each policy's prose and classification, by name.

The policy modules keep the logic (check, resource types, config schema); the catalogue keeps
what a reviewer reads (description, remediation) and how a finding is classed (severity, tags,
CIS section, default enforcement). A malformed entry stops the pack with one line naming the
file, the policy and the key.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

from pulumi_policy import EnforcementLevel, PolicyComplianceFramework, Severity

CATALOGUE_PATH: Final = Path(__file__).resolve().parent.parent / "catalogue.toml"

CIS_GCP: Final = "CIS Google Cloud Platform Foundation Benchmark"
CIS_GCP_VERSION: Final = "3.0.0"

_REQUIRED: Final = ("description", "severity", "tags", "remediation")
_OPTIONAL: Final = ("cis", "enforcement")

E = TypeVar("E", Severity, EnforcementLevel)


class CatalogueError(ValueError):
    """The catalogue is unreadable, malformed, or does not match the pack's policies."""


def cis(reference: str) -> PolicyComplianceFramework:
    """The CIS GCP benchmark as a policy's compliance framework."""
    return PolicyComplianceFramework(name=CIS_GCP, version=CIS_GCP_VERSION, reference=reference)


@dataclass(frozen=True)
class Entry:
    """What one policy states about itself, besides its check."""

    description: str
    remediation: str
    severity: Severity
    tags: tuple[str, ...]
    framework: PolicyComplianceFramework | None
    enforcement_level: EnforcementLevel


def entry(name: str) -> Entry:
    """The catalogue entry of the policy `name`; a CatalogueError when there is none."""
    found = catalogue().get(name)
    if found is None:
        raise CatalogueError(f"{CATALOGUE_PATH}: no entry for policy [{name}]")
    return found


def check_complete(policy_names: Iterable[str]) -> None:
    """A CatalogueError when an entry describes no policy of the pack (a renamed or removed one)."""
    orphans = sorted(set(catalogue()) - set(policy_names))
    if orphans:
        raise CatalogueError(f"{CATALOGUE_PATH}: entries without a policy: {', '.join(orphans)}")


@functools.cache
def catalogue() -> Mapping[str, Entry]:
    """Every entry of the catalogue, read once."""
    try:
        with CATALOGUE_PATH.open("rb") as stream:
            tables = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CatalogueError(f"{CATALOGUE_PATH}: {error}") from None
    return {name: _entry(name, table) for name, table in tables.items()}


def _entry(name: str, table: Any) -> Entry:
    def fail(problem: str) -> CatalogueError:
        return CatalogueError(f"{CATALOGUE_PATH}: [{name}] {problem}")

    if not isinstance(table, dict):
        raise fail("must be a table")
    unknown = sorted(set(table) - {*_REQUIRED, *_OPTIONAL})
    if unknown:
        raise fail(f"unknown key {unknown[0]}")
    for key in _REQUIRED:
        if key not in table:
            raise fail(f"{key} is missing")
    for key in ("description", "remediation", "severity", *_OPTIONAL):
        if key in table and (not isinstance(table[key], str) or not table[key].strip()):
            raise fail(f"{key} must be a non-empty string")
    tags = table["tags"]
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t for t in tags):
        raise fail("tags must be a non-empty list of non-empty strings")
    return Entry(
        description=table["description"],
        remediation=table["remediation"],
        severity=_choice(Severity, table["severity"], fail, "severity"),
        tags=tuple(tags),
        framework=cis(table["cis"]) if "cis" in table else None,
        enforcement_level=_choice(
            EnforcementLevel, table.get("enforcement", "mandatory"), fail, "enforcement"
        ),
    )


def _choice(kind: type[E], value: str, fail: Callable[[str], CatalogueError], key: str) -> E:
    """`value` as a member of the enum `kind`, or the error naming the values it accepts."""
    try:
        return kind(value)
    except ValueError:
        accepted = ", ".join(member.value for member in kind)
        raise fail(f"{key} must be one of {accepted}") from None
