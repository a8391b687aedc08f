"""Render preflight reports as JSON for tools. The keys are stable; see `SCHEMA_VERSION`.

    {"schemaVersion": 1, "blocked": bool, "stacks": [{
        "stack": str, "base": str | null, "blocked": bool,
        "summary": {"create", "update", "replace", "delete", "same", "mandatory", "advisory": int},
        "resources": [{"urn", "type", "name", "operation", "protected", "stateful", "dangerous",
                       "replaceReasons": [str], "changes": [{"path", "old", "new"}]}],
        "violations": [{"policy", "level", "resource", "urn", "message"}],
        "outputs": {...}}]}

Secret values appear as "[secret]", never in the clear.
"""

from __future__ import annotations

import json
from typing import Any

from preflight.report import ADVISORY, MANDATORY, StackReport
from preflight.values import masked

SCHEMA_VERSION = 1


def render_json(reports: list[StackReport]) -> str:
    """All stacks as one JSON document."""
    document = {
        "schemaVersion": SCHEMA_VERSION,
        "blocked": any(report.blocked for report in reports),
        "stacks": [_stack(report) for report in reports],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _stack(report: StackReport) -> dict[str, Any]:
    counts, levels = report.counts(), report.level_counts()
    return {
        "stack": report.stack,
        "base": report.base_ref,
        "blocked": report.blocked,
        "summary": {
            "create": counts["create"],
            "update": counts["update"],
            "replace": counts["replace"],
            "delete": counts["delete"],
            "same": counts["same"],
            "mandatory": levels[MANDATORY],
            "advisory": levels[ADVISORY],
        },
        "resources": [
            {
                "urn": change.urn,
                "type": change.type,
                "name": change.name,
                "operation": change.operation,
                "protected": change.protected,
                "stateful": change.stateful,
                "dangerous": change.dangerous,
                "replaceReasons": list(change.replace_reasons),
                "changes": [
                    {"path": prop.path, "old": prop.old, "new": prop.new}
                    for prop in change.properties
                ],
            }
            for change in report.changes
        ],
        "violations": [
            {
                "policy": violation.policy,
                "level": violation.level,
                "resource": violation.resource,
                "urn": violation.urn,
                "message": violation.message,
            }
            for violation in report.violations
        ],
        "outputs": masked(report.capture.stack_outputs),
    }
