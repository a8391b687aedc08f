"""Resource URNs and type tokens, as the engine writes them and as `pulumi preview` shows them."""

from __future__ import annotations


def make_urn(project: str, stack: str, type_token: str, name: str) -> str:
    """The URN of a top-level resource (no parent type in it)."""
    return f"urn:pulumi:{stack}::{project}::{type_token}::{name}"


def display_type(type_token: str) -> str:
    """`gcp:sql/databaseInstance:DatabaseInstance` shows as `gcp:sql:DatabaseInstance`."""
    parts = type_token.split(":")
    if len(parts) == 3 and "/" in parts[1]:
        return f"{parts[0]}:{parts[1].split('/')[0]}:{parts[2]}"
    return type_token


def resource_label(urn: str) -> str:
    """`type: name` from a URN (the resource's own type, not its parents'), or `(stack)`."""
    if not urn:
        return "(stack)"
    parts = urn.split("::")
    if len(parts) < 4:
        return urn
    return f"{display_type(parts[2].split('$')[-1])}: {parts[3]}"
