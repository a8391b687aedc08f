"""Generate the READMEs' tables from the code: hosts and feature flags from the stack settings, the
policy tables (README.md and policy/README.md) from the policy pack and its per-stack config, the
covered types from the pack's coverage registry.

    .venv/bin/python scripts/readme_tables.py          # rewrite the tables
    .venv/bin/python scripts/readme_tables.py --check  # exit 1 when a README has drifted

A table sits between `<!-- generated:NAME -->` and `<!-- end:NAME -->` markers.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from preflight.stack_file import read_stack_config  # noqa: E402 - after the path is set
from settings import StackSettings, load_settings  # noqa: E402

STACKS = ("staging", "production")
README = PROJECT_DIR / "README.md"


def _settings() -> dict[str, StackSettings]:
    return {
        stack: load_settings(stack, read_stack_config(PROJECT_DIR, stack).values)
        for stack in STACKS
    }


def hosts_table() -> str:
    """Hosts and the secret prefix per stack."""
    rows = [
        "| stack | secret prefix | customer site | admin panel | API |",
        "| --- | --- | --- | --- | --- |",
    ]
    for stack, settings in _settings().items():
        hosts = (settings.domain.site, settings.domain.admin, settings.domain.api)
        cells = " | ".join(f"`{host}`" for host in hosts)
        rows.append(f"| `{stack}` | `{settings.env}-` | {cells} |")
    return "\n".join(rows)


def flags_table() -> str:
    """Every feature flag as each application reads it, per stack."""
    settings = _settings()
    header = "| variable | " + " | ".join(f"`{stack}`" for stack in STACKS) + " |"
    rows = [header, "| --- |" + " --- |" * len(STACKS)]
    names = sorted(
        {name for s in settings.values() for name in s.feature_flags.frontend_env()}
        | {name for s in settings.values() for name in s.feature_flags.backend_env()}
    )
    for name in names:
        values = []
        for stack in STACKS:
            flags = settings[stack].feature_flags
            values.append({**flags.frontend_env(), **flags.backend_env()}.get(name, "-"))
        rows.append(f"| `{name}` | " + " | ".join(values) + " |")
    return "\n".join(rows)


def policy_levels(stack: str) -> dict[str, str]:
    """Each policy's enforcement level on a stack, as the CLI resolves `--policy-pack-config`."""
    from policy.myhibachi_policy.index import all_policies

    config = json.loads((PROJECT_DIR / "policy" / "config" / f"{stack}.json").read_text())
    levels: dict[str, str] = {}
    for policy in all_policies():
        # The policy's own level, else the pack's (mandatory); `all` overrides both; then the
        # policy's own entry, a level or an object with `enforcementLevel`.
        level = config.get("all") or (
            policy.enforcement_level.value if policy.enforcement_level else "mandatory"
        )
        entry = config.get(policy.name)
        if isinstance(entry, str):
            level = entry
        elif isinstance(entry, dict) and "enforcementLevel" in entry:
            level = entry["enforcementLevel"]
        levels[policy.name] = str(level)
    return levels


def policy_table() -> str:
    """Every policy with what it enforces and its level per stack."""
    from policy.myhibachi_policy.index import all_policies

    levels = {stack: policy_levels(stack) for stack in STACKS}
    header = "| policy | enforces | " + " | ".join(f"`{stack}`" for stack in STACKS) + " |"
    rows = [header, "| --- | --- |" + " --- |" * len(STACKS)]
    for policy in all_policies():
        description = " ".join(policy.description.split()).replace("|", "\\|")
        cells = " | ".join(levels[stack][policy.name] for stack in STACKS)
        rows.append(f"| `{policy.name}` | {description} | {cells} |")
    return "\n".join(rows)


def pack_policy_table() -> str:
    """policy/README.md: every policy, its kind, what it enforces and its level per stack."""
    from pulumi_policy import StackValidationPolicy

    from policy.myhibachi_policy.index import all_policies

    levels = {stack: policy_levels(stack) for stack in STACKS}
    rows = [
        "| policy | kind | enforces | level staging | level production |",
        "|---|---|---|---|---|",
    ]
    for policy in all_policies():
        kind = "stack" if isinstance(policy, StackValidationPolicy) else "resource"
        description = " ".join(policy.description.split())
        cells = " | ".join(levels[stack][policy.name] for stack in STACKS)
        rows.append(f"| `{policy.name}` | {kind} | {description} | {cells} |")
    return "\n".join(rows)


def covered_types_table() -> str:
    """Every resource type the pack covers, with the policies that judge it (or why none)."""
    from policy.myhibachi_policy.coverage import ALL_TYPES, COVERED_PREFIXES, COVERED_TYPES

    rows = ["| type | judged by |", "| --- | --- |"]
    entries = [*sorted(COVERED_TYPES.items()), *((f"{p}*", c) for p, c in COVERED_PREFIXES.items())]
    for resource_type, coverage in entries:
        if coverage.policies:
            cell = ", ".join(coverage.policies)
        else:
            cell = f"nothing to judge: {coverage.nothing_to_judge}"
        rows.append(f"| `{resource_type}` | {cell.replace('|', chr(92) + '|')} |")
    every = " and ".join(ALL_TYPES)
    rows.append(f"| every type | {every} |")
    return "\n".join(rows)


# Each document and the tables generated into it.
TABLES: dict[Path, dict[str, Callable[[], str]]] = {
    README: {
        "hosts": hosts_table,
        "flags": flags_table,
        "policies": policy_table,
        "covered-types": covered_types_table,
    },
    PROJECT_DIR / "policy" / "README.md": {"pack-policies": pack_policy_table},
}


def render(document: Path, text: str) -> str:
    """A document's text with every generated table brought up to date."""
    for name, build in TABLES[document].items():
        pattern = re.compile(
            rf"(<!-- generated:{name} -->\n)(?:.*?\n)?(<!-- end:{name} -->)", re.DOTALL
        )
        where = document.relative_to(PROJECT_DIR)
        if not pattern.search(text):
            raise SystemExit(f"{where}: the markers for the {name} table are missing")
        replacement = build().replace("\\", "\\\\")
        text = pattern.sub(rf"\g<1>{replacement}\n\g<2>", text)
    return text


def main(argv: list[str]) -> int:
    """Rewrite the documents, or with --check report drift."""
    drifted = 0
    for document in TABLES:
        current = document.read_text()
        wanted = render(document, current)
        if "--check" not in argv:
            document.write_text(wanted)
        elif current != wanted:
            where = document.relative_to(PROJECT_DIR)
            print(f"{where}: generated tables are out of date; run scripts/readme_tables.py")
            drifted += 1
    return 1 if drifted else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
