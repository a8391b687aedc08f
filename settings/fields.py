"""Declaring a setting once: its dataclass field carries its stack-file key and its reader.

    @section
    class CacheSettings:
        memory_size_gb: int = setting("memorySizeGb", integer(1, 300))
        rdb_snapshot_period: str | None = setting("rdbSnapshotPeriod", choice(...), default=None)

`read_section(CacheSettings, node)` then accepts exactly the keys the fields name (a typo is an
error), requires those without a default, reads each with its reader and builds the value. Rules
that span fields or need the rest of the stack live in the section's `validate` method.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import (
    Any,
    ClassVar,
    Final,
    Protocol,
    TypeVar,
    dataclass_transform,
    get_args,
    overload,
)

from settings.reader import Fields, Node

T = TypeVar("T")
Reader = Callable[[Node, "StackContext"], T]
"""Reads one config value (a Node) into its typed form, or raises the node's SettingsError."""

KEY: Final = "stack_key"
READ: Final = "read"


@overload
def setting(key: str, read: Reader[T]) -> T: ...
@overload
def setting(key: str, read: Reader[T], *, default: T) -> T: ...
@overload
def setting(key: str, read: Reader[T], *, default_factory: Callable[[], T]) -> T: ...
def setting(
    key: str,
    read: Reader[T],
    *,
    default: Any = dataclasses.MISSING,
    default_factory: Any = dataclasses.MISSING,
) -> Any:
    """A field read from the stack-file key `key` by `read`; optional when it has a default."""
    metadata = {KEY: key, READ: read}
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(setting,))
def section(cls: type[T]) -> type[T]:
    """A settings object: frozen, keyword-only, its fields declared with `setting`."""
    return dataclasses.dataclass(frozen=True, kw_only=True)(cls)


@dataclasses.dataclass(frozen=True)
class StackContext:
    """What some sections need from the rest of the stack to validate themselves."""

    env: str
    zone: str
    own_hosts: tuple[str, ...]


class Section(Protocol):
    """A `@section` class (the dataclass fields carry keys and readers)."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]


S = TypeVar("S", bound=Section)


def keys_of(cls: type[Section]) -> tuple[frozenset[str], frozenset[str]]:
    """The stack-file keys a section accepts: (required, optional)."""
    required: set[str] = set()
    optional: set[str] = set()
    for spec in dataclasses.fields(cls):
        if KEY not in spec.metadata:
            continue
        has_default = (
            spec.default is not dataclasses.MISSING
            or spec.default_factory is not dataclasses.MISSING
        )
        (optional if has_default else required).add(spec.metadata[KEY])
    return frozenset(required), frozenset(optional)


def read_fields(cls: type[S], fields: Fields, context: StackContext, **extra: Any) -> S:
    """Build a section from an object's already-checked keys (plus `extra` fields that do not
    come from this object), then run its `validate`."""
    values: dict[str, Any] = dict(extra)
    for spec in dataclasses.fields(cls):
        key = spec.metadata.get(KEY)
        node = fields.get(key) if key else None
        if node is not None:
            values[spec.name] = spec.metadata[READ](node, context)
    result = cls(**values)
    validate: Callable[[Fields, StackContext], None] | None = getattr(result, "validate", None)
    if validate is not None:
        validate(fields, context)
    return result


def read_one(cls: type[Section], name: str, fields: Fields, context: StackContext) -> Any:
    """One field of a section, read by its own reader (for what others depend on)."""
    spec = next(spec for spec in dataclasses.fields(cls) if spec.name == name)
    return spec.metadata[READ](fields[spec.metadata[KEY]], context)


def read_section(cls: type[S], node: Node, context: StackContext) -> S:
    """An object with exactly the section's keys, read into the section."""
    required, optional = keys_of(cls)
    return read_fields(cls, node.fields(set(required), optional), context)


# --- Readers ------------------------------------------------------------------------------------


def text(pattern: str | None = None, what: str | None = None) -> Reader[str]:
    """A non-empty string, optionally matching a full-string pattern described by `what`."""
    return lambda node, _: node.text(pattern, what)


def choice(*allowed: str) -> Reader[str]:
    """One of a fixed set of strings."""
    return lambda node, _: node.choice(allowed)


def one_of(literal: Any) -> Reader[Any]:
    """One of the values of a `Literal[...]` type (the field's annotation keeps the type)."""
    allowed: tuple[str, ...] = get_args(literal)
    return lambda node, _: node.choice(allowed)


def integer(minimum: int, maximum: int) -> Reader[int]:
    """An integer within [minimum, maximum]."""
    return lambda node, _: node.integer(minimum, maximum)


def number(minimum_exclusive: float, maximum: float) -> Reader[float]:
    """A number in (minimum_exclusive, maximum]."""
    return lambda node, _: node.number(minimum_exclusive, maximum)


def boolean() -> Reader[bool]:
    """true or false."""
    return lambda node, _: node.boolean()


def nested(cls: type[S]) -> Reader[S]:
    """An object read into another section."""
    return lambda node, context: read_section(cls, node, context)


def list_of(read: Reader[T], *, non_empty: str | None = None) -> Reader[tuple[T, ...]]:
    """A list of values each read by `read`; `non_empty` is the error when the list is empty."""

    def read_list(node: Node, context: StackContext) -> tuple[T, ...]:
        items = tuple(read(item, context) for item in node.items())
        if non_empty is not None and not items:
            raise node.fail(non_empty)
        return items

    return read_list


def removed(instead: str) -> Reader[None]:
    """A key the stack file no longer takes: accepted only to fail with what replaced it."""

    def refuse(node: Node, _: StackContext) -> None:
        raise node.fail(f"is no longer a setting: {instead}")

    return refuse


def map_of(
    read: Reader[T], known: tuple[str, ...], *, what: str, missing: str
) -> Reader[Mapping[str, T]]:
    """An object whose keys are exactly `known`, each required (`missing` says why)."""

    def read_map(node: Node, context: StackContext) -> Mapping[str, T]:
        values: dict[str, T] = {}
        for name, item in node.entries():
            if name not in known:
                raise item.fail(f"unknown {what} (known: {', '.join(known)})")
            values[name] = read(item, context)
        for name in known:
            if name not in values:
                raise node.child(name, None).fail(f"is required: {missing}")
        return values

    return read_map
