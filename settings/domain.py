"""`myhibachi:domain`: the Cloudflare zone and the stack's three public hosts."""

from __future__ import annotations

from settings.fields import StackContext, section, setting, text
from settings.patterns import DOMAIN
from settings.reader import Fields

HOST_ROLES: tuple[str, ...] = ("admin", "api", "site")


@section
class DomainSettings:
    """The zone and the stack's hosts, each the zone itself or one label under it."""

    admin: str = setting("admin", text(DOMAIN, "a host name"))
    api: str = setting("api", text(DOMAIN, "a host name"))
    site: str = setting("site", text(DOMAIN, "a host name"))
    zone: str = setting("zone", text(DOMAIN, "a domain name such as myhibachichef.com"))

    @property
    def hosts(self) -> dict[str, str]:
        """Every public host keyed by role."""
        return {"admin": self.admin, "api": self.api, "site": self.site}

    def validate(self, fields: Fields, context: StackContext) -> None:
        """One label deep at most, so the zone's universal certificate covers every host."""
        seen: set[str] = set()
        for role in HOST_ROLES:
            host = self.hosts[role]
            if host != self.zone and not (
                host.endswith(f".{self.zone}") and "." not in host[: -len(self.zone) - 1]
            ):
                raise fields[role].fail(f"must be {self.zone} or one label under it, got '{host}'")
            if host in seen:
                raise fields[role].fail(f"'{host}' is already used by another host")
            seen.add(host)
