"""Generate the README's tables from the code: hosts and feature flags from the stack settings, the
policy table from the policy pack and its per-stack config, the covered types from the pack's
coverage registry.

    .venv/bin/python scripts/readme_tables.py          # rewrite the tables in README.md
    .venv/bin/python scripts/readme_tables.py --check  # exit 1 when README.md has drifted

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


def covered_types_table() -> str:
    """Every resource type the pack covers, with the policies that judge it (or why none)."""
    from policy.myhibachi_policy.coverage import ALL_TYPES, COVERED_PREFIXES, COVERED_TYPES

    rows = ["| type | judged by |", "| --- | --- |"]
    entries = [*sorted(COVERED_TYPES.items()), *((f"{p}*", c) for p, c in COVERED_PREFIXES.items())]
    for resource_type, coverage in entries:
        if coverage.policies:
            cell = ", ".join(coverage.policies)
        elif coverage.nothing_to_judge:
            cell = f"nothing to judge: {coverage.nothing_to_judge}"
        else:
            cell = f"pending: {coverage.pending}"
        rows.append(f"| `{resource_type}` | {cell.replace('|', chr(92) + '|')} |")
    every = " and ".join(ALL_TYPES)
    rows.append(f"| every type | {every} |")
    return "\n".join(rows)


TABLES: dict[str, Callable[[], str]] = {
    "hosts": hosts_table,
    "flags": flags_table,
    "policies": policy_table,
    "covered-types": covered_types_table,
}


def render(text: str) -> str:
    """README text with every generated table brought up to date."""
    for name, build in TABLES.items():
        pattern = re.compile(
            rf"(<!-- generated:{name} -->\n)(?:.*?\n)?(<!-- end:{name} -->)", re.DOTALL
        )
        if not pattern.search(text):
            raise SystemExit(f"README.md: the markers for the {name} table are missing")
        replacement = build().replace("\\", "\\\\")
        text = pattern.sub(rf"\g<1>{replacement}\n\g<2>", text)
    return text


def main(argv: list[str]) -> int:
    """Rewrite README.md, or with --check report drift."""
    current = README.read_text()
    wanted = render(current)
    if "--check" in argv:
        if current != wanted:
            print("README.md: generated tables are out of date; run scripts/readme_tables.py")
            return 1
        return 0
    README.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
