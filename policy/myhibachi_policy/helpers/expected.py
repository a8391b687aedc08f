"""One property against the value it must have: the check most policies start from.

Like checkov's base value check, a policy names the property, the value and what its absence
means; reading (provider default when absent) and the message's wording live here once.

A value this check cannot judge (unknown during preview, or of another type than the one
expected) is never a silent pass: it is recorded as undecided (`helpers.undecided`), so the
policy ends as not applicable with the reason and the report lists it under "could not verify".
"""

from __future__ import annotations

from pulumi_policy import ResourceValidationArgs

from .construction import Report, label
from .undecided import Undecided, unknown
from .values import MISSING, as_bool, as_str, is_unknown, prop


def expect(
    args: ResourceValidationArgs,
    report: Report,
    path: str,
    expected: str | bool,
    note: str,
    *,
    shown: str | None = None,
    undecided: Undecided | None = None,
) -> bool:
    """Report unless the property at `path` (its provider default when absent) is `expected`;
    True when it reported.

    The message reads "<resource>: <path> must be <shown> (<note>)."; `shown` defaults to the
    expected value as the engine writes it (true, false, REGIONAL). An unknown value, or one of
    another type, decides nothing: it is added to `undecided` when given (the caller settles it
    after its other checks), else the policy ends here as not applicable.
    """
    value = prop(args.props, args.resource_type, path)
    if isinstance(expected, bool):
        found: str | bool | None = as_bool(value)
        wanted = str(expected).lower()
        kind = "a boolean"
    else:
        found = as_str(value)
        wanted = expected
        kind = "a string"
    if found is None:
        if is_unknown(value):
            reason = unknown(label(args), path)
        elif value is MISSING:
            reason = f"{label(args)}: {path} is absent and its default is not known"
        else:
            reason = f"{label(args)}: {path} is not {kind}"
        if undecided is None:
            args.not_applicable(reason)
        else:
            undecided.add(reason)
        return False
    if found != expected:
        report(f"{label(args)}: {path} must be {shown or wanted} ({note}).")
        return True
    return False
