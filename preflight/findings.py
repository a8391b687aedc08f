"""What a policy pack reports: violations, and the policies that could not judge a resource.

One type from the analyzer's reply to the renderers. Messages never carry property values: the
pack's policies are written so, and nothing here adds one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from preflight.urns import resource_label


@dataclass(frozen=True)
class Violation:
    """One policy violation, as the analyzer reported it; `urn` is empty for a stack policy."""

    policy: str
    level: str
    message: str
    urn: str = ""
    pack: str = ""
    description: str = ""
    severity: str = ""
    fix: str = ""
    """One line on how to fix it: the policy's remediation, or the gate's own advice."""
    subject: str = ""
    """What the finding is about when it is no resource (a policy config file)."""

    @property
    def resource(self) -> str:
        """`type: name` from the URN, the subject, or `(stack)` for stack policies."""
        if not self.urn and self.subject:
            return self.subject
        return resource_label(self.urn)


@dataclass(frozen=True)
class NotApplicable:
    """A policy that could not judge a resource (or the stack), with the pack's reason."""

    policy: str
    reason: str
    urn: str = ""

    @property
    def resource(self) -> str:
        """`type: name` from the URN, or `(stack)` for stack policies."""
        return resource_label(self.urn)


@dataclass(frozen=True)
class Findings:
    """Everything one or more analyzer calls reported."""

    violations: tuple[Violation, ...] = ()
    not_applicable: tuple[NotApplicable, ...] = ()

    @staticmethod
    def merged(parts: Iterable[Findings]) -> Findings:
        """All parts' findings, in order."""
        listed = list(parts)
        return Findings(
            tuple(v for part in listed for v in part.violations),
            tuple(n for part in listed for n in part.not_applicable),
        )
