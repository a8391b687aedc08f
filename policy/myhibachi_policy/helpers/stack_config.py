"""The facts a stack file owns (its hosts, its secret prefix, its project names), read from the
stack config the Pulumi CLI hands every policy pack.

The CLI passes the stack's config to an analyzer in the `PULUMI_CONFIG` environment variable and
`pulumi_policy` loads it into the runtime config, so `pulumi.Config("myhibachi")` holds the raw
values the program reads: `myhibachi:env` is a string (`prod`), `myhibachi:domain` and
`myhibachi:frontends` are JSON objects. Reading them here, rather than restating them in
`policy/config/<stack>.json`, means the policy config cannot disagree with the stack file. The
program's own `settings` package is not importable here: the CLI puts only `policy/` on the path.
"""

from __future__ import annotations

import json
from typing import Any, Final

import pulumi
from pulumi_policy import ResourceValidationArgs, StackValidationArgs

from .values import MISSING, as_str, get

STACK_NAMESPACE: Final = "myhibachi"


def stack_value(path: str) -> Any:
    """The stack config's value at `path` (a key, then a path into its JSON object), parsed:
    a string, number, list or object; `MISSING` when the stack config does not set it."""
    key, _, inner = path.partition(".")
    raw = pulumi.Config(STACK_NAMESPACE).get(key)
    if raw is None:
        return MISSING
    if not inner:
        return raw
    try:
        return get(json.loads(raw), inner)
    except ValueError:
        return MISSING


def stack_setting(args: ResourceValidationArgs | StackValidationArgs, path: str) -> str:
    """The stack config's text at `path`: a key (`env`) or a key and a path into its JSON object
    (`domain.api`, `frontends.admin.projectName`).

    A stack config without it (or with something else there) leaves the policy nothing to judge
    against: it calls `args.not_applicable` with the missing key as the reason.
    """
    key, _, inner = path.partition(".")
    raw = pulumi.Config(STACK_NAMESPACE).get(key)
    value: Any = MISSING if raw is None else raw
    if inner and isinstance(raw, str):
        try:
            value = get(json.loads(raw), inner)
        except ValueError:
            value = MISSING
    text = as_str(value)
    if text:
        return text
    reason = f"the stack config does not set {STACK_NAMESPACE}:{path}"
    args.not_applicable(reason)
    # `not_applicable` ends the policy by raising; never judge without the fact.
    raise LookupError(reason)


def stack_url(args: ResourceValidationArgs | StackValidationArgs, host_role: str) -> str:
    """The https:// URL of one of the stack's hosts (`site`, `admin` or `api` in its domain)."""
    return f"https://{stack_setting(args, f'domain.{host_role}')}"
