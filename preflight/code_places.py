"""Where a resource is declared: the component module that creates it, for "how to fix" lines.

Components register with a `myhibachi:<area>:<Name>` type token written once, in their module
(`type_token = "myhibachi:database:Database"`): the token found in the source names the file.
A resource's place is that of its nearest component ancestor.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Final

from preflight.capture import Capture

_TOKEN: Final = re.compile(r"""["'](myhibachi:[A-Za-z0-9_]+:[A-Za-z0-9_]+)["']""")


@lru_cache(maxsize=4)
def component_files(project_dir: Path) -> dict[str, str]:
    """Component type token -> the module declaring it, relative to the project."""
    found: dict[str, str] = {}
    for path in sorted((project_dir / "components").rglob("*.py")):
        for token in _TOKEN.findall(path.read_text(encoding="utf-8")):
            found.setdefault(token, path.relative_to(project_dir).as_posix())
    return found


def declared_in(project_dir: Path, urn: str, *captures: Capture | None) -> str | None:
    """The module of the component that declares `urn` (looked up in these captures)."""
    parents: dict[str, tuple[str, str]] = {}
    for capture in captures:
        if capture is not None:
            parents.update({r.urn: (r.parent, r.type) for r in capture.resources})
    files = component_files(project_dir)
    seen: set[str] = set()
    while urn in parents and urn not in seen:
        seen.add(urn)
        parent, type_token = parents[urn]
        if type_token in files:
            return files[type_token]
        urn = parent
    return None
