"""`myhibachi:auditLogs`: how long the audit trail is kept, and who Google tells about the project.

CIS Google Cloud 2.1-2.3 and essential contacts: Data Access audit logs for the services that
hold data, every audit log copied to a log bucket whose retention is locked in production, and
contacts for Google's security and technical notices.
"""

from __future__ import annotations

from settings.fields import integer, list_of, nested, section, setting, text
from settings.patterns import EMAIL


@section
class EssentialContacts:
    """Who receives Google's notices, by category."""

    security: tuple[str, ...] = setting(
        "security", list_of(text(EMAIL, "an email address"), non_empty="must name an address")
    )
    technical: tuple[str, ...] = setting(
        "technical", list_of(text(EMAIL, "an email address"), non_empty="must name an address")
    )


@section
class AuditSettings:
    """The audit trail's retention and the project's essential contacts."""

    contacts: EssentialContacts = setting("contacts", nested(EssentialContacts))
    # Longer than the 30 days of the _Default bucket: incidents are found late.
    retention_days: int = setting("retentionDays", integer(30, 3650))
