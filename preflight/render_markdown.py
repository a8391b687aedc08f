"""Render preflight reports as one pull-request comment a reviewer reads in ten seconds.

Top to bottom: the verdict and the commits compared; one row per stack; every blocking finding,
expanded, each with one line on how to fix it; the changes to the policy gate itself (config and
pack); what the pack could not verify; then, collapsed, the advisory findings and each stack's
plan (against a base: only what changes). The comment stays under `MAX_COMMENT` bytes: the
collapsed parts go first when it would not fit, the verdict and blocking findings never.
"""

from __future__ import annotations

from collections.abc import Iterable

from preflight.findings import Violation
from preflight.render_text import policy_change_lines, render_stack
from preflight.report import ADVISORY, MANDATORY, StackReport

# GitHub rejects comments over 65,536 characters; leave room for the truncation note and the
# scanner section (scripts/scan.py --format markdown, at most about 3 KB) that CI appends.
MAX_COMMENT = 60_000
MARKER = "<!-- myhibachi-preflight -->"
TRUNCATED = "\n_The full report did not fit in a comment; run `./preview` locally._\n"
# A blocking finding's message is cut to this many characters, so that many of them still fit.
_MAX_MESSAGE = 600


def render_markdown(reports: list[StackReport], limit: int = MAX_COMMENT) -> str:
    """The comment: verdict and blocking findings first, collapsed details last, under `limit`."""
    head = _head(reports)
    optional = [
        *_policy_sections(reports),
        *_not_verified_sections(reports),
        *_advisory_sections(reports),
        *(_plan(report) for report in reports),
    ]
    body = head + "".join(optional)
    if len(body.encode()) <= limit:
        return body
    kept = head
    budget = limit - len(head.encode()) - len(TRUNCATED.encode())
    for section in optional:
        size = len(section.encode())
        if size <= budget:
            kept += section
            budget -= size
    if len(kept.encode()) > limit - len(TRUNCATED.encode()):
        kept = kept.encode()[: limit - len(TRUNCATED.encode())].decode(errors="ignore")
    return kept + TRUNCATED


def _head(reports: list[StackReport]) -> str:
    blocked = any(report.blocked for report in reports)
    lines = [MARKER, f"## Preflight: {'**blocked**' if blocked else 'passes'}", ""]
    lines.append(_commits(reports))
    lines.append("")
    lines.append(
        "| stack | create | update | replace | delete | mandatory | advisory | could not verify "
        "| verdict |"
    )
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for report in reports:
        counts, levels = report.counts(), report.level_counts()
        verdict = "**blocked**" if report.blocked else "passes"
        lines.append(
            f"| `{report.stack}` | {counts['create']} | {counts['update']} | {counts['replace']} "
            f"| {counts['delete']} | {levels[MANDATORY]} | {levels[ADVISORY]} "
            f"| {len(report.not_applicable)} | {verdict} |"
        )
    blocking = [(report.stack, v) for report in reports for v in report.blocking]
    if blocking:
        lines += ["", f"### Blocking ({len(blocking)})", ""]
        lines += [line for stack, v in blocking for line in _finding(stack, v)]
    return "\n".join(lines) + "\n"


def _commits(reports: list[StackReport]) -> str:
    head = reports[0].head_commit if reports else None
    text = f"Commit `{_sha(head)}`" if head else "Working tree (not a git checkout)"
    if head and head.endswith("+"):
        text += " with uncommitted changes"
    bases = {(r.base_ref, r.base_commit) for r in reports if r.base_ref}
    for ref, commit in sorted(bases, key=str):
        text += f" against `{ref}`" + (f" (`{_sha(commit)}`)" if commit else "")
    if not bases:
        text += ": every resource is new (no base to compare with)"
    return text + "."


def _sha(commit: str | None) -> str:
    return (commit or "").rstrip("+")[:12]


def _finding(stack: str, violation: Violation) -> list[str]:
    message = " ".join(violation.message.split())
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    lines = [f"- **`{stack}`** `{violation.policy}` on `{violation.resource}`: {_escape(message)}"]
    if violation.fix:
        lines.append(f"  - **Fix:** {_escape(' '.join(violation.fix.split()))}")
    return lines


def _policy_sections(reports: list[StackReport]) -> Iterable[str]:
    changed = [r for r in reports if r.policy_changes]
    if not changed:
        return []
    parts = ["\n### Policy gate changes\n\n"]
    for report in changed:
        assert report.policy_changes is not None
        lines = policy_change_lines(report.policy_changes, report.base_ref or "the base")
        weaker = len(report.policy_changes.weakened)
        parts.append(f"`{report.stack}`" + (f": **{weaker} weaker**" if weaker else "") + "\n\n")
        parts.append("```\n" + "\n".join(lines) + "\n```\n\n")
    return ["".join(parts)]


def _not_verified_sections(reports: list[StackReport]) -> Iterable[str]:
    total = sum(len(r.not_applicable) for r in reports)
    if not total:
        return []
    lines = [f"\n### Could not verify ({total})\n"]
    lines.append("The pack could not decide these; a reviewer checks them by hand.\n")
    for report in reports:
        for item in sorted(report.not_applicable, key=lambda n: (n.policy, n.urn)):
            lines.append(
                f"- `{report.stack}` `{item.policy}` on `{item.resource}`: "
                f"{_escape(' '.join(item.reason.split()))}"
            )
    return ["\n".join(lines) + "\n"]


def _advisory_sections(reports: list[StackReport]) -> Iterable[str]:
    advisory = [
        (report.stack, v) for report in reports for v in report.violations if v.level != MANDATORY
    ]
    if not advisory:
        return []
    lines = [f"\n<details><summary>Advisory ({len(advisory)})</summary>\n"]
    for stack, violation in sorted(advisory, key=lambda item: (item[0], item[1].policy)):
        lines.extend(_finding(stack, violation))
    lines.append("\n</details>\n")
    return ["\n".join(lines)]


def _plan(report: StackReport) -> str:
    return (
        f"\n<details><summary><code>{report.stack}</code> plan</summary>\n\n"
        f"```\n{render_stack(report, findings=False)}```\n\n</details>\n"
    )


def _escape(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")
