"""GCP IAM resources: the grants of their three shapes, and the public-principal check.

`*IamMember`/`*IAMMember` carry `member` and `role`; `*IamBinding`/`*IAMBinding` carry
`members` and `role`; `*IamPolicy`/`*IAMPolicy` carry `policyData`, a JSON string of
`{"bindings": [{"role": ..., "members": [...]}]}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from pulumi_policy import ResourceValidationArgs

from .construction import Report, label
from .values import MISSING, as_str, elements, get, is_unknown, strings

PUBLIC_PRINCIPALS: Final = frozenset({"allUsers", "allAuthenticatedUsers"})
"""Principals that mean everyone (on the internet, or with any Google account)."""

_KIND_RE: Final = re.compile(r"(Iam|IAM)(Member|Binding|Policy)$")


def iam_kind(resource_type: str) -> str | None:
    """The IAM shape of a type token: "member", "binding", "policy", or None."""
    match = _KIND_RE.search(resource_type.rsplit(":", 1)[-1])
    return match.group(2).lower() if match else None


@dataclass(frozen=True)
class Grant:
    """One role granted to some principals; `where` is the property path for messages."""

    role: str | None
    members: tuple[str, ...]
    where: str


def grants(resource_type: str, props: Any) -> list[Grant]:
    """The grants an IAM resource declares, skipping what is unknown during preview."""
    kind = iam_kind(resource_type)
    if kind == "member":
        member = as_str(get(props, "member"))
        return [Grant(as_str(get(props, "role")), (member,) if member else (), "member")]
    if kind == "binding":
        return [Grant(as_str(get(props, "role")), tuple(strings(get(props, "members"))), "members")]
    if kind == "policy":
        return _policy_grants(get(props, "policyData"))
    return []


def _policy_grants(policy_data: Any) -> list[Grant]:
    if policy_data is MISSING or is_unknown(policy_data):
        return []
    document: Any = policy_data
    if isinstance(policy_data, str):
        try:
            document = json.loads(policy_data)
        except ValueError:
            return []
    result = []
    for index, binding in enumerate(elements(get(document, "bindings"))):
        result.append(
            Grant(
                as_str(get(binding, "role")),
                tuple(strings(get(binding, "members"))),
                f"policyData.bindings[{index}]",
            )
        )
    return result


def iam_type_in(types: tuple[str, ...]) -> Callable[[str], bool]:
    """A resource-type test: one of `types`, and an IAM member, binding or policy."""
    return lambda resource_type: resource_type in types and iam_kind(resource_type) is not None


def check_no_public_principals(args: ResourceValidationArgs, report: Report) -> None:
    """No `allUsers` / `allAuthenticatedUsers` in an IAM member, binding or policy."""
    for grant in grants(args.resource_type, args.props):
        public = sorted(PUBLIC_PRINCIPALS.intersection(grant.members))
        if public:
            report(f"{label(args)}: {grant.where} must not grant to {' or '.join(public)}.")
