"""Render preflight reports as one pull-request comment (GitHub Markdown, under 64 KB)."""

from __future__ import annotations

from preflight.render_text import render_stack
from preflight.report import ADVISORY, MANDATORY, StackReport

# GitHub rejects comments over 65,536 characters; leave room for the truncation note and the
# scanner section (scripts/scan.py --format markdown, at most about 3 KB) that CI appends.
MAX_COMMENT = 60_000
MARKER = "<!-- myhibachi-preflight -->"


def render_markdown(reports: list[StackReport], limit: int = MAX_COMMENT) -> str:
    """A summary line per stack, then collapsible details; truncated to fit a comment."""
    lines = [MARKER, "## Preflight: plan and policy check", ""]
    lines.append("| stack | create | update | replace | delete | mandatory | advisory | verdict |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for report in reports:
        counts, levels = report.counts(), report.level_counts()
        verdict = "**blocked**" if report.blocked else "passes"
        lines.append(
            f"| `{report.stack}` | {counts['create']} | {counts['update']} | {counts['replace']} "
            f"| {counts['delete']} | {levels[MANDATORY]} | {levels[ADVISORY]} | {verdict} |"
        )
    dangerous = [
        (report.stack, change)
        for report in reports
        for change in report.changes
        if change.dangerous
    ]
    if dangerous:
        lines.append("")
        lines.append("**Destructive changes to protected or stateful resources:**")
        lines.extend(
            f"- `{stack}`: {change.operation} `{change.type}` `{change.name}`"
            for stack, change in dangerous
        )
    head = "\n".join(lines) + "\n"
    sections = [_details(report) for report in reports]
    body = head + "".join(sections)
    if len(body.encode()) <= limit:
        return body
    return _truncated(head, sections, limit)


def _details(report: StackReport) -> str:
    parts = [f"\n<details><summary><code>{report.stack}</code> violations</summary>\n\n"]
    if report.violations:
        parts.append("| level | policy | resource | message |\n| --- | --- | --- | --- |\n")
        for violation in sorted(report.violations, key=lambda v: (v.level != MANDATORY, v.policy)):
            message = violation.message.replace("|", "\\|").replace("\n", " ")
            cells = (violation.level, f"`{violation.policy}`", f"`{violation.resource}`", message)
            parts.append("| " + " | ".join(cells) + " |\n")
    else:
        parts.append("No violations.\n")
    parts.append("\n</details>\n")
    parts.append(f"\n<details><summary><code>{report.stack}</code> plan</summary>\n\n")
    parts.append(f"```\n{render_stack(report)}```\n\n</details>\n")
    return "".join(parts)


def _truncated(head: str, sections: list[str], limit: int) -> str:
    note = "\n_The full report did not fit in a comment; run `make preview` locally._\n"
    budget = limit - len(head.encode()) - len(note.encode())
    kept: list[str] = []
    for section in sections:
        size = len(section.encode())
        if size <= budget:
            kept.append(section)
            budget -= size
            continue
        # Keep the violations part of this stack if it fits, drop its plan.
        violations_part = section.split("\n<details><summary><code>", 2)
        if len(violations_part) >= 2:
            shortened = "\n<details><summary><code>" + violations_part[1]
            if len(shortened.encode()) <= budget:
                kept.append(shortened)
                budget -= len(shortened.encode())
        break
    return head + "".join(kept) + note
