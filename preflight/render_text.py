"""Render preflight reports for a terminal, laid out like `pulumi preview`.

Per stack: the policy changes against the base first (they change what the gate judges), then
the tree with each resource's operation and changed properties, the findings (each with how to
fix it), what the pack could not verify, the outputs (against a base: only those that change)
and the counts.
"""

from __future__ import annotations

import json
from typing import Any

from preflight.diff import DEPENDS_ON_REPLACED, Operation, ResourceChange
from preflight.policy_changes import PolicyChanges
from preflight.report import ADVISORY, MANDATORY, StackReport
from preflight.tree import tree_rows
from preflight.urns import display_type, resource_label
from preflight.value_diff import PropertyChange
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
    """Every stack's policy changes, plan, findings and summary."""
    return "\n".join(render_stack(report, details) for report in reports)


def render_stack(report: StackReport, details: bool = False, findings: bool = True) -> str:
    """One stack: the tree with each resource's operation, outputs, findings and counts.

    With `details`, created resources list their inputs (secrets as `[secret]`); updated and
    replaced resources always list their changed properties. Without `findings`, the policy
    changes, violations and what could not be verified are left out (the PR comment lists them
    on their own).
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
    if findings and report.policy_changes:
        lines.extend(policy_change_lines(report.policy_changes, report.base_ref or "the base"))
        lines.append("")
    lines.append(f"     {'Type':<{type_width}}{'Name':<{name_width}}Plan")
    for symbol, type_text, name, info, change in rows:
        lines.append(f" {symbol}  {type_text:<{type_width}}{name:<{name_width}}{info}".rstrip())
        if change is None:
            continue
        if change.operation in ("update", "replace"):
            lines.extend(f"         {property_line(prop)}" for prop in change.properties)
            lines.extend(
                f"         ~ ({DEPENDS_ON_REPLACED}: {resource_label(urn)})"
                for urn in change.replaced_dependencies
            )
        elif details and change.operation == "create":
            resource = next(r for r in capture.resources if r.urn == change.urn)
            inputs = masked(resource.inputs)
            lines.extend(f"         {key}: {show(inputs[key])}" for key in sorted(inputs))
    if findings:
        lines.extend(_violation_lines(report))
        lines.extend(_not_verified_lines(report))
    lines.extend(_output_lines(report))
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
        + (f", {len(report.not_applicable)} could not verify" if report.not_applicable else "")
        + (" (blocked)" if report.blocked else "")
    )
    return "\n".join(lines) + "\n"


def property_line(prop: PropertyChange) -> str:
    """`~ path: old => new`, `+ path: new` or `- path: old`."""
    if prop.kind == "add":
        return f"+ {prop.path}: {show(prop.new)}"
    if prop.kind == "remove":
        return f"- {prop.path}: {show(prop.old)}"
    return f"~ {prop.path}: {show(prop.old)} => {show(prop.new)}"


def policy_change_lines(changes: PolicyChanges, base: str) -> list[str]:
    """The policy config and pack changes against the base, weaker ones marked."""
    lines = [f"Policy changes against {base} ({changes.config_file}):"]
    if changes.files:
        lines.append(f"    files: {', '.join(changes.files)}")
    for setting in changes.settings:
        mark = "  !! weaker" if setting.weaker else ""
        lines.append(f"    ~ {setting.policy}: {setting.describe()}{mark}")
    if changes.files and not changes.settings:
        lines.append("    (no effective change to this stack's policy config)")
    return lines


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
        guarded = change.protected or change.deletion_protected
        info += f"  !! {change.operation}s a {'protected' if guarded else 'stateful'} resource"
    if change.replace_reasons:
        info += f" [diff: {', '.join(change.replace_reasons)}]"
    if change.replaced_dependencies:
        info += f" [{DEPENDS_ON_REPLACED}]"
    return (SYMBOLS[change.operation], type_text, change.name, info, change)


def _violation_lines(report: StackReport) -> list[str]:
    if not report.violations:
        return []
    lines = ["", "Policy Violations:"]
    ordered = [*report.blocking]
    ordered += sorted(
        (v for v in report.violations if v.level == ADVISORY), key=lambda v: (v.policy, v.urn)
    )
    ordered += [v for v in report.violations if v.level not in (MANDATORY, ADVISORY)]
    for violation in ordered:
        lines.append(f"    [{violation.level}]  {violation.policy}  ({violation.resource})")
        if violation.level in (MANDATORY, ADVISORY):
            lines.extend(f"    {line}" for line in violation.message.splitlines())
            if violation.fix:
                lines.append(f"    fix: {violation.fix}")
    return lines


def _not_verified_lines(report: StackReport) -> list[str]:
    if not report.not_applicable:
        return []
    lines = ["", "Could not verify:"]
    for item in sorted(report.not_applicable, key=lambda n: (n.policy, n.urn)):
        lines.append(f"    {item.policy}  {item.resource}: {item.reason}")
    return lines


def _output_lines(report: StackReport) -> list[str]:
    if report.outputs_changed is not None:
        if not report.outputs_changed:
            return []
        return ["", "Outputs:", *(f"    {property_line(p)}" for p in report.outputs_changed)]
    outputs = masked(report.capture.stack_outputs)
    key_width = max((len(k) for k in outputs), default=0)
    return [
        "",
        "Outputs:",
        *(f"    {key:<{key_width}}: {show(outputs[key])}" for key in sorted(outputs)),
    ]


def show(value: Any) -> str:
    """A value as JSON, keys sorted."""
    return json.dumps(value, sort_keys=True)
