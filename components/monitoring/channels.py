"""Notification channels: who is paged. One email channel per on-call address."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pulumi_gcp import monitoring

from components.monitoring.scope import Scope


def email_channels(scope: Scope, emails: Sequence[str]) -> list[monitoring.NotificationChannel]:
    """One channel per address, named after the address so that adding one replaces none."""
    return [
        monitoring.NotificationChannel(
            f"{scope.name}-email-{_slug(email)}",
            project=scope.project,
            display_name=f"My Hibachi {scope.env} on-call: {email}",
            type="email",
            labels={"email_address": email},
            user_labels=dict(scope.labels),
            opts=scope.child,
        )
        for email in emails
    ]


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
