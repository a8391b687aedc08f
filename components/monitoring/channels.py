"""Notification channels: who hears of an alert, one channel per name in the stack file.

Email channels take an address, SMS channels a phone number; a webhook channel posts to the
on-call tool (Cloud Monitoring's `webhook_tokenauth`), at a URL that carries the tool's token: it
arrives as a secret (read from Secret Manager at deploy time) and stays one in the state.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pulumi
from pulumi_gcp import monitoring

from components.monitoring.scope import Scope
from settings.monitoring import Channel

# Cloud Monitoring's channel type for each type of the stack file.
CHANNEL_TYPES: dict[str, str] = {"email": "email", "sms": "sms", "webhook": "webhook_tokenauth"}


def notification_channels(
    scope: Scope, channels: Sequence[Channel], webhook_urls: Mapping[str, pulumi.Input[str]]
) -> dict[str, monitoring.NotificationChannel]:
    """One channel per name, so adding one replaces none.

    A webhook channel whose URL is not given (a stack's first run, before the secret has a
    version) is left out, and so are its routes.
    """
    created = {}
    for channel in channels:
        kind, value = channel.settings.type, channel.settings.value
        if kind == "webhook" and channel.name not in webhook_urls:
            continue
        labels: Mapping[str, pulumi.Input[str]]
        aliases: list[pulumi.Alias] = []
        if kind == "email":
            labels = {"email_address": value}
            # Email channels were named after their address before channels had names.
            aliases = [pulumi.Alias(name=f"{scope.name}-email-{_slug(value)}")]
        elif kind == "sms":
            labels = {"number": value}
        else:
            labels = {"url": pulumi.Output.secret(webhook_urls[channel.name])}
        created[channel.name] = monitoring.NotificationChannel(
            f"{scope.name}-channel-{channel.name}",
            project=scope.project,
            display_name=f"My Hibachi {scope.env} {kind}: {channel.name}",
            type=CHANNEL_TYPES[kind],
            labels=labels,
            user_labels=dict(scope.labels),
            opts=pulumi.ResourceOptions(
                parent=scope.parent,
                aliases=aliases,
                additional_secret_outputs=["labels"] if kind == "webhook" else None,
            ),
        )
    return created


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
