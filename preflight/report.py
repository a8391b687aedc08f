"""What preflight found for each stack: the plan (changes) and the policy verdict."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from preflight.capture import Capture
from preflight.diff import ResourceChange
from preflight.findings import NotApplicable, Violation

MANDATORY = "mandatory"
ADVISORY = "advisory"


@dataclass
class StackReport:
    """One stack's plan and verdict."""

    capture: Capture
    changes: list[ResourceChange]
    violations: list[Violation] = field(default_factory=list)
    base_ref: str | None = None
    # Policies that could not judge a resource: kept as data, not rendered yet.
    not_applicable: list[NotApplicable] = field(default_factory=list)

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
    def blocked(self) -> bool:
        """Any mandatory violation blocks the change."""
        return any(violation.level == MANDATORY for violation in self.violations)
