"""Render preflight reports as JSON for tools. The keys are stable; see `SCHEMA_VERSION`.

    {"schemaVersion": 2, "blocked": bool, "commit": str | null, "stacks": [{
        "stack": str, "base": str | null, "baseCommit": str | null, "blocked": bool,
        "summary": {"create", "update", "replace", "delete", "same", "mandatory", "advisory",
                    "notVerified": int},
        "policyChanges": null | {"configFile": str, "files": [str],
                                 "settings": [{"policy", "setting", "old", "new",
                                               "verdict": "weaker" | "stricter" | "changed",
                                               "why"}]},
        "resources": [{"urn", "type", "name", "operation", "protected", "deletionProtected",
                       "stateful", "dangerous", "replaceReasons": [str],
                       "replacedDependencies": [urn],
                       "changes": [{"path", "old", "new", "kind": "update" | "add" | "remove"}]}],
        "violations": [{"policy", "pack", "level", "resource", "urn", "message", "fix"}],
        "notVerified": [{"policy", "resource", "urn", "reason"}],
        "outputs": {...},
        "outputsChanged": null | [{"path", "old", "new", "kind"}]}]}

Version 2: `blocked` and `violations` include the gate's own findings (pack `preflight`); a list
change is per element (`path[2]`, `path[name=x]`, with `kind`), never the whole list; a
dependent of a replaced resource is an `update` with `replacedDependencies`. `commit` is HEAD
(a trailing `+`: with uncommitted changes). Secret values appear as "[secret]", never in the
clear.
"""

from __future__ import annotations

import json
from typing import Any

from preflight.report import ADVISORY, MANDATORY, StackReport
from preflight.value_diff import PropertyChange
from preflight.values import masked

SCHEMA_VERSION = 2


def render_json(reports: list[StackReport]) -> str:
    """All stacks as one JSON document."""
    document = {
        "schemaVersion": SCHEMA_VERSION,
        "blocked": any(report.blocked for report in reports),
        "commit": reports[0].head_commit if reports else None,
        "stacks": [_stack(report) for report in reports],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _stack(report: StackReport) -> dict[str, Any]:
    counts, levels = report.counts(), report.level_counts()
    changes = report.policy_changes
    return {
        "stack": report.stack,
        "base": report.base_ref,
        "baseCommit": report.base_commit,
        "blocked": report.blocked,
        "summary": {
            "create": counts["create"],
            "update": counts["update"],
            "replace": counts["replace"],
            "delete": counts["delete"],
            "same": counts["same"],
            "mandatory": levels[MANDATORY],
            "advisory": levels[ADVISORY],
            "notVerified": len(report.not_applicable),
        },
        "policyChanges": None
        if changes is None
        else {
            "configFile": changes.config_file,
            "files": list(changes.files),
            "settings": [
                {
                    "policy": s.policy,
                    "setting": s.setting,
                    "old": s.old,
                    "new": s.new,
                    "verdict": s.verdict,
                    "why": s.why,
                }
                for s in changes.settings
            ],
        },
        "resources": [
            {
                "urn": change.urn,
                "type": change.type,
                "name": change.name,
                "operation": change.operation,
                "protected": change.protected,
                "deletionProtected": change.deletion_protected,
                "stateful": change.stateful,
                "dangerous": change.dangerous,
                "replaceReasons": list(change.replace_reasons),
                "replacedDependencies": list(change.replaced_dependencies),
                "changes": [_change(prop) for prop in change.properties],
            }
            for change in report.changes
        ],
        "violations": [
            {
                "policy": violation.policy,
                "pack": violation.pack,
                "level": violation.level,
                "resource": violation.resource,
                "urn": violation.urn,
                "message": violation.message,
                "fix": violation.fix,
            }
            for violation in report.violations
        ],
        "notVerified": [
            {
                "policy": item.policy,
                "resource": item.resource,
                "urn": item.urn,
                "reason": item.reason,
            }
            for item in report.not_applicable
        ],
        "outputs": masked(report.capture.stack_outputs),
        "outputsChanged": None
        if report.outputs_changed is None
        else [_change(prop) for prop in report.outputs_changed],
    }


def _change(prop: PropertyChange) -> dict[str, Any]:
    return {"path": prop.path, "old": prop.old, "new": prop.new, "kind": prop.kind}
