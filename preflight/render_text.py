"""Render preflight reports for a terminal, laid out like `pulumi preview`."""

from __future__ import annotations

import json
from typing import Any

from preflight.diff import Operation, ResourceChange
from preflight.report import ADVISORY, MANDATORY, StackReport
from preflight.tree import tree_rows
from preflight.urns import display_type
from preflight.values import masked

SYMBOLS: dict[Operation, str] = {
    "create": "+ ",
    "update": "~ ",
    "replace": "+-",
    "delete": "- ",
    "same": "  ",
}
_SUMMARY: tuple[tuple[Operation, str], ...] = (
    ("create", "to create"),
    ("update", "to update"),
    ("replace", "to replace"),
    ("delete", "to delete"),
    ("same", "unchanged"),
)


def render_text(reports: list[StackReport], details: bool = False) -> str:
    """Every stack's plan, then its violations, then its summary."""
    return "\n".join(render_stack(report, details) for report in reports)


def render_stack(report: StackReport, details: bool = False) -> str:
    """One stack: the tree with each resource's operation, outputs, violations and counts.

    With `details`, created resources list their inputs (secrets as `[secret]`); updated and
    replaced resources always list their changed properties.
    """
    capture = report.capture
    by_urn = {change.urn: change for change in report.changes}
    stack_op: Operation = "create" if report.base_ref is None else "same"
    rows: list[tuple[str, str, str, str, ResourceChange | None]] = [
        (
            SYMBOLS[stack_op],
            "pulumi:pulumi:Stack",
            f"{capture.project}-{capture.stack}",
            stack_op,
            None,
        )
    ]
    for row in tree_rows(capture, _shown(report)):
        planned = by_urn[row.resource.urn]
        rows.append(_row(planned, row.prefix + display_type(planned.type)))
    for deleted in report.changes:
        if deleted.operation == "delete":
            rows.append(_row(deleted, "   " + display_type(deleted.type)))
    type_width = max(len(r[1]) for r in rows) + 2
    name_width = max(len(r[2]) for r in rows) + 2
    against = f" against {report.base_ref}" if report.base_ref else ""
    lines = [f"Previewing update ({capture.stack}){against}:", ""]
    lines.append(f"     {'Type':<{type_width}}{'Name':<{name_width}}Plan")
    for symbol, type_text, name, info, change in rows:
        lines.append(f" {symbol}  {type_text:<{type_width}}{name:<{name_width}}{info}".rstrip())
        if change is None:
            continue
        if change.operation in ("update", "replace"):
            for prop in change.properties:
                lines.append(f"         ~ {prop.path}: {_show(prop.old)} => {_show(prop.new)}")
        elif details and change.operation == "create":
            resource = next(r for r in capture.resources if r.urn == change.urn)
            inputs = masked(resource.inputs)
            lines.extend(f"         {key}: {_show(inputs[key])}" for key in sorted(inputs))
    lines.extend(_violation_lines(report))
    lines.append("")
    lines.append("Outputs:")
    outputs = masked(capture.stack_outputs)
    key_width = max((len(k) for k in outputs), default=0)
    lines.extend(f"    {key:<{key_width}}: {_show(outputs[key])}" for key in sorted(outputs))
    lines.append("")
    lines.append("Resources:")
    counts = report.counts()
    for operation, label in _SUMMARY:
        if counts[operation]:
            lines.append(f"    {SYMBOLS[operation].strip() or ' '} {counts[operation]} {label}")
    levels = report.level_counts()
    lines.append("")
    lines.append(
        f"Policies: {levels[MANDATORY]} mandatory, {levels[ADVISORY]} advisory"
        + (" (blocked)" if report.blocked else "")
    )
    return "\n".join(lines) + "\n"


def _shown(report: StackReport) -> set[str] | None:
    """Against a base, like `pulumi preview`: changed resources and the components above them."""
    if report.base_ref is None:
        return None
    parents = {r.urn: r.parent for r in report.capture.resources}
    shown: set[str] = set()
    for change in report.changes:
        if change.operation in ("same", "delete"):
            continue
        urn = change.urn
        while urn in parents and urn not in shown:
            shown.add(urn)
            urn = parents[urn]
    return shown


def _row(change: ResourceChange, type_text: str) -> tuple[str, str, str, str, ResourceChange]:
    info: str = change.operation
    if change.protected:
        info += " [protect]"
    if change.dangerous:
        info += (
            f"  !! {change.operation}s a {'protected' if change.protected else 'stateful'} resource"
        )
    if change.replace_reasons:
        info += f" [diff: {', '.join(change.replace_reasons)}]"
    return (SYMBOLS[change.operation], type_text, change.name, info, change)


def _violation_lines(report: StackReport) -> list[str]:
    if not report.violations:
        return []
    lines = ["", "Policy Violations:"]
    for level in (MANDATORY, ADVISORY):
        for violation in sorted(
            (v for v in report.violations if v.level == level), key=lambda v: (v.policy, v.urn)
        ):
            lines.append(f"    [{level}]  {violation.policy}  ({violation.resource})")
            lines.extend(f"    {line}" for line in violation.message.splitlines())
    remaining = [v for v in report.violations if v.level not in (MANDATORY, ADVISORY)]
    for violation in remaining:
        lines.append(f"    [{violation.level}]  {violation.policy}  ({violation.resource})")
    return lines


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
