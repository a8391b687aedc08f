"""The resource tree a capture describes, in registration order under each parent."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from preflight.capture import Capture, CapturedResource


@dataclass(frozen=True)
class TreeRow:
    """One line of the tree: the resource and the drawing in front of its type."""

    resource: CapturedResource
    prefix: str


def tree_rows(capture: Capture, only: set[str] | None = None) -> Iterator[TreeRow]:
    """Depth-first rows under the stack, each with its `├─` / `└─` prefix.

    Siblings are sorted by name: registration order depends on thread scheduling, and two runs
    of one commit must print the same tree. With `only`, just those URNs are drawn.
    """
    children: dict[str, list[CapturedResource]] = {}
    for resource in capture.resources:
        if only is not None and resource.urn not in only:
            continue
        children.setdefault(resource.parent or capture.stack_urn, []).append(resource)

    def walk(parent_urn: str, indent: str) -> Iterator[TreeRow]:
        kids = sorted(children.get(parent_urn, []), key=lambda r: (r.name, r.type))
        for index, resource in enumerate(kids):
            last = index == len(kids) - 1
            yield TreeRow(resource, indent + ("└─ " if last else "├─ "))
            yield from walk(resource.urn, indent + ("   " if last else "│  "))

    yield from walk(capture.stack_urn, "")
