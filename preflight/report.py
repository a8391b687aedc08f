"""What preflight found for each stack: the plan (changes) and the verdict.

The verdict counts the pack's violations and the gate's own findings (pack `preflight`: a
protected resource destroyed, the policy weakened), which are `Violation`s too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from preflight.capture import Capture
from preflight.diff import ResourceChange
from preflight.findings import NotApplicable, Violation
from preflight.value_diff import PropertyChange

if TYPE_CHECKING:
    from preflight.policy_changes import PolicyChanges

MANDATORY = "mandatory"
ADVISORY = "advisory"


@dataclass
class StackReport:
    """One stack's plan and verdict."""

    capture: Capture
    changes: list[ResourceChange]
    violations: list[Violation] = field(default_factory=list)
    base_ref: str | None = None
    not_applicable: list[NotApplicable] = field(default_factory=list)
    """Policies that could not judge a resource ("could not verify")."""
    outputs_changed: list[PropertyChange] | None = None
    """Against a base: the stack outputs that differ (None: no base, every output is new)."""
    policy_changes: PolicyChanges | None = None
    """Against a base: the policy config and pack changes (None: no base)."""
    head_commit: str | None = None
    base_commit: str | None = None

    @property
    def stack(self) -> str:
        """The stack's name."""
        return self.capture.stack

    def counts(self) -> Counter[str]:
        """Resources per operation; the stack itself counts as one more, as the CLI counts it."""
        counts: Counter[str] = Counter(change.operation for change in self.changes)
        if self.base_ref is None:
            counts["create"] += 1
        else:
            counts["same"] += 1
        return counts

    def level_counts(self) -> Counter[str]:
        """Violations per enforcement level."""
        return Counter(violation.level for violation in self.violations)

    @property
    def blocking(self) -> list[Violation]:
        """The mandatory findings, the gate's own first."""
        found = [v for v in self.violations if v.level == MANDATORY]
        return sorted(found, key=lambda v: (v.pack != "preflight", v.policy, v.urn))

    @property
    def blocked(self) -> bool:
        """Any mandatory violation blocks the change."""
        return any(violation.level == MANDATORY for violation in self.violations)
