"""The field values of one HTTP request, derived as Cloudflare derives them."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from urllib.parse import parse_qsl

from .scheme import Value


def path_extension(path: str) -> str:
    """`http.request.uri.path.extension`: lowercased text after the last dot of the last
    segment; "" when there is none or the segment's only dot is its first character."""
    stem, dot, extension = path.rsplit("/", 1)[-1].rpartition(".")
    return extension.lower() if dot and stem else ""


def _multimap(pairs: list[tuple[str, str]]) -> dict[str, Value]:
    merged: dict[str, list[Value]] = {}
    for key, value in pairs:
        merged.setdefault(key, []).append(value)
    return dict(merged)


def request_fields(
    *,
    host: str,
    path: str = "/",
    method: str = "GET",
    query: str = "",
    cookies: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    client_ip: str = "203.0.113.10",
    scheme: str = "https",
) -> dict[str, Value]:
    """Every field of `FIELDS` for a request (header names are matched case-insensitively)."""
    cookie_pairs = list((cookies or {}).items())
    cookie = "; ".join(f"{name}={value}" for name, value in cookie_pairs)
    header_pairs = [(name.lower(), value) for name, value in (headers or {}).items()]
    header_pairs.append(("host", host))
    if cookie:
        header_pairs.append(("cookie", cookie))
    header_map = _multimap(header_pairs)
    uri = path + (f"?{query}" if query else "")
    full_uri = f"{scheme}://{host}{uri}"
    values: dict[str, Value] = {
        "http.cookie": cookie,
        "http.host": host,
        "http.referer": dict(header_pairs).get("referer", ""),
        "http.request.cookies": _multimap(cookie_pairs),
        "http.request.full_uri": full_uri,
        "http.request.headers": header_map,
        "http.request.method": method.upper(),
        "http.request.uri": uri,
        "http.request.uri.args": _multimap(parse_qsl(query, keep_blank_values=True)),
        "http.request.uri.path": path,
        "http.request.uri.path.extension": path_extension(path),
        "http.request.uri.query": query,
        "http.user_agent": dict(header_pairs).get("user-agent", ""),
        "ip.src": ipaddress.ip_address(client_ip),
        "ssl": scheme == "https",
    }
    for name in ("http.request.full_uri", "http.request.uri", "http.request.uri.path"):
        values[f"raw.{name}"] = values[name]
    values["raw.http.request.uri.query"] = query
    return values
