"""Render a capture for a terminal, laid out like `pulumi preview`."""

from __future__ import annotations

import json
from typing import Any

from preflight.capture import Capture, CapturedResource
from preflight.tree import display_type, tree_rows
from preflight.values import masked

_CREATE = "+"


def render_preview(capture: Capture, details: bool = False) -> str:
    """The plan for one stack: the tree, the outputs and the summary count.

    With `details`, each resource's inputs follow its row, secrets shown as `[secret]`.
    """
    stack_name = f"{capture.project}-{capture.stack}"
    rows: list[tuple[str, str, str, str, CapturedResource | None]] = [
        (_CREATE, "pulumi:pulumi:Stack", stack_name, "create", None)
    ]
    for row in tree_rows(capture):
        info = "create" + (" [protect]" if row.resource.protect else "")
        rows.append(
            (
                _CREATE,
                row.prefix + display_type(row.resource.type),
                row.resource.name,
                info,
                row.resource,
            )
        )
    type_width = max(len(r[1]) for r in rows) + 2
    name_width = max(len(r[2]) for r in rows) + 2
    lines = [f"Previewing update ({capture.stack}):", ""]
    lines.append(f"     {'Type':<{type_width}}{'Name':<{name_width}}Plan")
    for op, type_text, name, info, resource in rows:
        lines.append(f" {op}   {type_text:<{type_width}}{name:<{name_width}}{info}".rstrip())
        if details and resource is not None:
            lines.extend(_property_lines(masked(resource.inputs), "         "))
    lines.append("")
    lines.append("Outputs:")
    outputs = masked(capture.stack_outputs)
    key_width = max((len(k) for k in outputs), default=0)
    for key in sorted(outputs):
        lines.append(f"    {key:<{key_width}}: {json.dumps(outputs[key], sort_keys=True)}")
    lines.append("")
    lines.append("Resources:")
    lines.append(f"    + {len(capture.resources) + 1} to create")
    return "\n".join(lines) + "\n"


def _property_lines(value: Any, indent: str) -> list[str]:
    lines: list[str] = []
    for key in sorted(value):
        lines.append(f"{indent}{key}: {json.dumps(value[key], sort_keys=True)}")
    return lines
