"""What a policy could not decide, said rather than passed.

A stack policy decides on the known resources first: a known resource that satisfies the rule
passes it, and a known violation is reported whatever else is unknown. Only when some relevant
value is unknown during preview and nothing known decides does the policy end as not applicable
(`args.not_applicable`), with a reason naming the resources and values that left it open, so the
report says "could not verify" instead of a silent pass.

A resource policy follows the same rule: `unless_found` ends it as not applicable only when it
reported nothing and some input it needed was unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from pulumi_policy import ResourceValidationArgs, StackValidationArgs

_SHOWN: Final = 3


class Undecided:
    """The reasons a policy could not decide, each naming a resource and what is unknown."""

    def __init__(self) -> None:
        self.reasons: list[str] = []

    def add(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def __bool__(self) -> bool:
        return bool(self.reasons)

    def text(self) -> str:
        shown = "; ".join(self.reasons[:_SHOWN])
        more = len(self.reasons) - _SHOWN
        return shown + (f"; and {more} more" if more > 0 else "")

    def settle(self, args: ResourceValidationArgs | StackValidationArgs, what: str) -> None:
        """End the policy as not applicable when something was undecided; else do nothing."""
        if self.reasons:
            args.not_applicable(f"could not verify {what}: {self.text()}")


def unknown(resource: str, path: str) -> str:
    """The usual reason: a property of a resource is unknown until the update runs."""
    return f"{resource}: {path} is unknown until the update runs"


def unless_found(
    args: ResourceValidationArgs, found: bool, unknown: Sequence[str], what: str = ""
) -> None:
    """After a resource check: when it reported nothing and some inputs were unknown, the policy
    ends as not applicable, naming them ("[<what> ]unknown until the update runs: a, b")."""
    if not found and unknown:
        subject = f"{what} " if what else ""
        args.not_applicable(f"{subject}unknown until the update runs: {', '.join(unknown)}")
