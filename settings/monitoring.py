"""`myhibachi:alerts`: alert thresholds (seed items 6 and 9), who is notified, and by severity.

Notification channels are declared by stable name under `channels`, each of one type:

- `email` (`address`): an inbox; never pages.
- `sms` (`number`, E.164): a phone that is paged.
- `webhook` (`urlSecret`): the on-call tool's alert webhook (Cloud Monitoring's
  `webhook_tokenauth`). Its URL carries the tool's token, so it lives only in the named Secret
  Manager secret (a catalog secret, `myhibachi:secrets`); the program reads it at deploy time.

`notify` routes each severity (critical, error, warning: the escalation table's production
down, feature broken and performance rows) to channels by name. Paging channels (sms, webhook)
take critical alerts only: an error or a warning waits for working hours, by email.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from settings.fields import (
    StackContext,
    choice,
    integer,
    list_of,
    nested,
    number,
    read_section,
    removed,
    section,
    setting,
    text,
)
from settings.patterns import EMAIL
from settings.reader import Fields, Node

Severity = Literal["critical", "error", "warning"]
SEVERITIES: Final[tuple[Severity, ...]] = ("critical", "error", "warning")
ChannelType = Literal["email", "sms", "webhook"]
CHANNEL_TYPES: Final[tuple[ChannelType, ...]] = ("email", "sms", "webhook")
PAGING_TYPES: Final[frozenset[str]] = frozenset({"sms", "webhook"})
# Each channel type's one value, by its stack-file key.
_VALUE_KEY: Final[Mapping[str, str]] = {
    "email": "address",
    "sms": "number",
    "webhook": "urlSecret",
}
CHANNEL_NAME: Final = r"[a-z][a-z0-9-]{0,39}"
E164: Final = r"\+[1-9][0-9]{7,14}"
# A catalog secret's id (`{env}-{scope}-{NAME}`); checked against the catalog by the stack.
SECRET_ID: Final = r"[a-z][a-z0-9]*-[a-z-]+-[A-Z][A-Z0-9_]*"


@section
class ChannelSettings:
    """One notification channel: its type and the one value that type takes."""

    type: str = setting("type", choice(*CHANNEL_TYPES))
    address: str | None = setting("address", text(EMAIL, "an email address"), default=None)
    number: str | None = setting(
        "number", text(E164, "a phone number in E.164 form such as +15550100100"), default=None
    )
    url_secret: str | None = setting(
        "urlSecret",
        text(SECRET_ID, "a Secret Manager secret id of the catalog, such as prod-global-NAME"),
        default=None,
    )

    @property
    def value(self) -> str:
        """The address, number or secret id, whichever this type takes."""
        value = {"email": self.address, "sms": self.number, "webhook": self.url_secret}[self.type]
        assert value is not None  # checked by validate
        return value

    @property
    def pages(self) -> bool:
        """Whether this channel wakes someone up (sms, webhook), rather than waits (email)."""
        return self.type in PAGING_TYPES

    def validate(self, fields: Fields, context: StackContext) -> None:
        """Exactly the value key of its type."""
        wanted = _VALUE_KEY[self.type]
        for key in _VALUE_KEY.values():
            node = fields.get(key)
            if key != wanted and node is not None:
                raise node.fail(f"is not a setting of {self.type} channels (they take {wanted})")
        if fields.get(wanted) is None:
            raise fields["type"].fail(f"{self.type} channels need {wanted}")


@dataclass(frozen=True)
class Channel:
    """A named channel of the stack file."""

    name: str
    settings: ChannelSettings


def _channels(node: Node, context: StackContext) -> tuple[Channel, ...]:
    channels = []
    for name, item in node.entries():
        Node(node.stack_file, item.key, name).text(
            CHANNEL_NAME, "a channel name (lowercase letters, digits and '-')"
        )
        channels.append(Channel(name, read_section(ChannelSettings, item, context)))
    if not channels:
        raise node.fail("must declare at least one channel")
    return tuple(channels)


_CHANNEL_NAMES = list_of(
    text(CHANNEL_NAME, "a channel name of myhibachi:alerts.channels"),
    non_empty="must name at least one channel",
)


@section
class SeverityRoutes:
    """Which channels each severity notifies, by name."""

    critical: tuple[str, ...] = setting("critical", _CHANNEL_NAMES)
    error: tuple[str, ...] = setting("error", _CHANNEL_NAMES)
    warning: tuple[str, ...] = setting("warning", _CHANNEL_NAMES)

    def of(self, severity: Severity) -> tuple[str, ...]:
        """The channel names one severity notifies."""
        routes: tuple[str, ...] = getattr(self, severity)
        return routes


@section
class AlertSettings:
    """Thresholds of the stack's alert policies, its channels and who each severity notifies."""

    channels: tuple[Channel, ...] = setting("channels", _channels)
    notify: SeverityRoutes = setting("notify", nested(SeverityRoutes))
    # Moved: channels are named and typed, and each severity has its own.
    emails: None = setting(
        "emails",
        removed(
            "moved to myhibachi:alerts.channels (each address a named email channel) and "
            "myhibachi:alerts.notify (the channels of each severity)"
        ),
        default=None,
    )
    error_rate_percent: float = setting("errorRatePercent", number(0, 100))
    latency_p95_ms: int = setting("latencyP95Ms", integer(1, 60_000))
    slow_query_ms: int = setting("slowQueryMs", integer(1, 600_000))
    # Cloud SQL's max_connections for the tier; the connections alert fires near it.
    database_max_connections: int = setting(
        "databaseMaxConnections", integer(10, 262_143), default=100
    )
    # CPU, memory and disk of Cloud SQL, memory of Redis.
    saturation_percent: int = setting("saturationPercent", integer(1, 99), default=80)

    def channel(self, name: str) -> ChannelSettings:
        """A channel by its name."""
        return next(c.settings for c in self.channels if c.name == name)

    @property
    def url_secrets(self) -> dict[str, str]:
        """Webhook channel name -> the secret that holds its URL."""
        return {c.name: c.settings.value for c in self.channels if c.settings.type == "webhook"}

    def validate(self, fields: Fields, context: StackContext) -> None:
        """Routes name declared channels once each; every channel is used; only critical pages."""
        declared = [channel.name for channel in self.channels]
        used: set[str] = set()
        notify = fields["notify"]
        for severity in SEVERITIES:
            names = self.notify.of(severity)
            items = list(notify.child(severity, list(names)).items())
            for index, (name, item) in enumerate(zip(names, items, strict=True)):
                if name not in declared:
                    raise item.fail(
                        f"no channel '{name}' in myhibachi:alerts.channels "
                        f"(declared: {', '.join(declared)})"
                    )
                if name in names[:index]:
                    raise item.fail(f"channel '{name}' is listed twice")
                if severity != "critical" and self.channel(name).pages:
                    raise item.fail(
                        f"'{name}' is a {self.channel(name).type} channel, which pages: only "
                        "critical alerts page; route the others to email channels"
                    )
                used.add(name)
        unused = [name for name in declared if name not in used]
        if unused:
            raise (
                fields["channels"]
                .child(unused[0], None)
                .fail("is declared but no severity in myhibachi:alerts.notify uses it")
            )
