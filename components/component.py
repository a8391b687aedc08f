"""What every component of the platform does alike: `(name, args, opts)`, registration under its
`myhibachi:<area>:<Name>` token, its children declared, then its outputs registered."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar, Generic, TypeVar

import pulumi

ArgsT = TypeVar("ArgsT")


class Component(pulumi.ComponentResource, ABC, Generic[ArgsT]):
    """A component: a subclass sets its `type_token` and creates its children in `_declare`.

    `_declare` creates the children (`parent=self`, named `<name>-<role>`), sets the attributes
    the class declares and returns its outputs, registered as soon as it returns: the outputs
    are always registered last, and are always the real ones.
    """

    type_token: ClassVar[str]

    def __init__(self, name: str, args: ArgsT, opts: pulumi.ResourceOptions | None = None) -> None:
        # The one `__init__` between the SDK's and the program's: the SDK records the caller of
        # the third `__init__` up the stack, the program's line, as the component's position.
        super().__init__(self.type_token, name, None, opts)
        self.register_outputs(self._declare(name, args))

    @abstractmethod
    def _declare(self, name: str, args: ArgsT) -> pulumi.Inputs:
        """Create the children; return the outputs to register."""
