"""One property against the value it must have: the check most policies start from.

Like checkov's base value check, a policy names the property, the value and what its absence
means; reading (provider default when absent, nothing decided on unknown or wrong-typed values)
and the message's wording live here once.
"""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs

from .construction import Report, label
from .values import as_bool, as_str, prop


def expect(
    args: ResourceValidationArgs,
    report: Report,
    path: str,
    expected: str | bool,
    note: str,
    *,
    shown: str | None = None,
) -> None:
    """Report unless the property at `path` (its provider default when absent) is `expected`.

    An unknown value, an absent one with no known default, or one of another type decides
    nothing. The message reads "<resource>: <path> must be <shown> (<note>)."; `shown` defaults
    to the expected value as the engine writes it (true, false, REGIONAL).
    """
    value = prop(args.props, args.resource_type, path)
    if isinstance(expected, bool):
        found: str | bool | None = as_bool(value)
        wanted = str(expected).lower()
    else:
        found = as_str(value)
        wanted = expected
    if found is not None and found != expected:
        report(f"{label(args)}: {path} must be {shown or wanted} ({note}).")
