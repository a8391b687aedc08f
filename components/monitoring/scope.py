"""What every child of the monitoring component shares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi


@dataclass(frozen=True)
class Scope:
    """The component's name (children are named `{name}-...`), project, env, labels, parent."""

    name: str
    project: str
    env: str
    labels: Mapping[str, str]
    parent: pulumi.Resource

    @property
    def child(self) -> pulumi.ResourceOptions:
        """Options of a child resource."""
        return pulumi.ResourceOptions(parent=self.parent)
