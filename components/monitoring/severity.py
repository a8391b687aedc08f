"""Alert severities, as the business's escalation table defines them.

The operational priority list's "Escalation & Support" table: production down is answered within
15 minutes, a broken feature within the hour, a performance problem within 4 hours. Each alert
policy carries one of Cloud Monitoring's severities, notifies that severity's channels, and its
documentation opens with the response the table asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import pulumi

from settings.monitoring import Severity

AlertSeverity = Literal["CRITICAL", "ERROR", "WARNING"]


@dataclass(frozen=True)
class Escalation:
    """One row of the escalation table."""

    severity: AlertSeverity
    meaning: str
    response: str
    contact: str
    escalation: str

    @property
    def setting(self) -> Severity:
        """The key of this severity in `myhibachi:alerts.notify`."""
        key: Severity
        if self.severity == "CRITICAL":
            key = "critical"
        elif self.severity == "ERROR":
            key = "error"
        else:
            key = "warning"
        return key

    @property
    def preamble(self) -> str:
        """The documentation's first paragraph: what this severity means and who responds."""
        return (
            f"**{self.severity}** ({self.meaning}): respond within {self.response}. "
            f"Contact: {self.contact}; escalate to the {self.escalation}.\n\n"
        )


ESCALATIONS: Final[dict[AlertSeverity, Escalation]] = {
    "CRITICAL": Escalation(
        "CRITICAL", "production down", "15 minutes", "the DevOps team lead", "CTO"
    ),
    "ERROR": Escalation(
        "ERROR",
        "a feature broken",
        "1 hour",
        "the engineering team lead",
        "VP Engineering",
    ),
    "WARNING": Escalation(
        "WARNING",
        "performance",
        "4 hours",
        "the backend team",
        "engineering team lead",
    ),
}


def documented(severity: AlertSeverity, docs: pulumi.Input[str]) -> pulumi.Input[str]:
    """An alert's documentation, opened by its severity's response time and contacts."""
    preamble = ESCALATIONS[severity].preamble
    if isinstance(docs, str):
        return preamble + docs
    return pulumi.Output.concat(preamble, docs)
