"""Probes: the requests a policy sends through a simulated zone, and the standard set of them.

A probe carries no secret: its cookie values are fixed placeholders, and `str(probe)` (what
messages print) names the probe, its method, host and path only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final

from ..rules_language import Value, request_fields

SESSION_PLACEHOLDER: Final = "probe"
DEFAULT_STATIC_PATH: Final = "/_next/static/chunks/main-3f2a1b.js"
DEFAULT_PAGE_PATH: Final = "/account"
DEFAULT_API_PATH: Final = "/api/v1/bookings"


@dataclass(frozen=True)
class Probe:
    """One HTTPS request as it reaches Cloudflare."""

    name: str
    host: str
    path: str = "/"
    method: str = "GET"
    cookies: Mapping[str, str] = field(default_factory=dict)
    query: str = ""
    client_ip: str = "203.0.113.10"

    def fields(self) -> dict[str, Value]:
        """The request's Rules language field values."""
        return self._fields

    @cached_property
    def _fields(self) -> dict[str, Value]:
        return request_fields(
            host=self.host,
            path=self.path,
            method=self.method,
            query=self.query,
            cookies=self.cookies,
            client_ip=self.client_ip,
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.method} {self.host}{self.path})"


@dataclass(frozen=True)
class StandardProbes:
    """The requests whose fate the edge policies judge, for one set of hosts."""

    admin_page: Probe
    admin_static_asset: Probe
    api_request: Probe
    signed_in_site_page: Probe
    site_static_asset: Probe
    login_post: Probe
    two_factor_post: Probe

    @property
    def private(self) -> tuple[Probe, ...]:
        """Requests whose responses must never be stored at the edge."""
        return (
            self.admin_page,
            self.admin_static_asset,
            self.api_request,
            self.signed_in_site_page,
            self.login_post,
            self.two_factor_post,
        )

    @property
    def public_static(self) -> tuple[Probe, ...]:
        """Requests for public, content-hashed assets: cached at the edge."""
        return (self.site_static_asset,)

    @property
    def auth(self) -> tuple[Probe, ...]:
        """The login and 2FA attempts: rate-limited per client."""
        return (self.login_post, self.two_factor_post)


def standard_probes(
    *,
    site_host: str,
    admin_host: str,
    api_host: str,
    session_cookie: str,
    login_path: str,
    two_factor_path: str,
    static_path: str = DEFAULT_STATIC_PATH,
    page_path: str = DEFAULT_PAGE_PATH,
    api_path: str = DEFAULT_API_PATH,
) -> StandardProbes:
    """The standard probes for one stack's hosts.

    The admin page and the customer page carry the session cookie, as a signed-in browser
    sends it; the admin asset, the API call and the public asset carry none, so the host alone
    must keep the admin panel and the API out of the cache.
    """
    signed_in = {session_cookie: SESSION_PLACEHOLDER}
    return StandardProbes(
        admin_page=Probe("admin page", admin_host, page_path, cookies=signed_in),
        admin_static_asset=Probe("admin static asset", admin_host, static_path),
        api_request=Probe("API request", api_host, api_path),
        signed_in_site_page=Probe("signed-in site page", site_host, page_path, cookies=signed_in),
        site_static_asset=Probe("site static asset", site_host, static_path),
        login_post=Probe("login attempt", api_host, login_path, method="POST"),
        two_factor_post=Probe("2FA attempt", api_host, two_factor_path, method="POST"),
    )
