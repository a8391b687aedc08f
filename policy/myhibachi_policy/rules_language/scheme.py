"""Value types of the Rules language subset, and the fields it knows with their types.

Types follow Cloudflare's field reference (String, Integer, Boolean, IP address, Array<T>,
Map<T>). A field the table does not list is outside the subset: an expression naming it is
rejected when parsed, never evaluated as if it were absent.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Final, TypeAlias


@dataclass(frozen=True)
class Type:
    """A Rules language type; `inner` is the element type of an Array or a Map."""

    name: str
    inner: Type | None = None

    def __str__(self) -> str:
        return f"{self.name}<{self.inner}>" if self.inner is not None else self.name


STRING: Final = Type("String")
INTEGER: Final = Type("Integer")
BOOLEAN: Final = Type("Boolean")
IP: Final = Type("IP address")


def array_of(inner: Type) -> Type:
    return Type("Array", inner)


def map_of(inner: Type) -> Type:
    return Type("Map", inner)


class _Missing:
    """Cloudflare's "missing value": a map key or array index that is not there."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()

IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address
Value: TypeAlias = "str | int | bool | IPAddress | list[Value] | dict[str, Value] | _Missing"
"""A field's value at evaluation time (Array -> list, Map -> dict)."""

_HEADERS: Final = map_of(array_of(STRING))

FIELDS: Final[dict[str, Type]] = {
    "http.cookie": STRING,
    "http.host": STRING,
    "http.referer": STRING,
    "http.request.cookies": _HEADERS,
    "http.request.full_uri": STRING,
    "http.request.headers": _HEADERS,
    "http.request.method": STRING,
    "http.request.uri": STRING,
    "http.request.uri.args": _HEADERS,
    "http.request.uri.path": STRING,
    "http.request.uri.path.extension": STRING,
    "http.request.uri.query": STRING,
    "http.user_agent": STRING,
    "ip.src": IP,
    "raw.http.request.full_uri": STRING,
    "raw.http.request.uri": STRING,
    "raw.http.request.uri.path": STRING,
    "raw.http.request.uri.query": STRING,
    "ssl": BOOLEAN,
}
"""Every field the subset evaluates, with its Cloudflare type."""
