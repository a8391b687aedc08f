"""Declaring a setting once: keys, requiredness and readers all come from the dataclass field."""

from __future__ import annotations

import dataclasses

import pytest

from settings import SettingsError
from settings.database import DatabaseSettings, MaintenanceWindow
from settings.fields import (
    KEY,
    StackContext,
    integer,
    keys_of,
    list_of,
    read_section,
    section,
    setting,
    text,
)
from settings.reader import Fields, Node
from settings.stack import StackSettings

CONTEXT = StackContext(env="test", zone="example.com", own_hosts=())


@section
class _Pool:
    """A made-up section: two required keys, one optional, one cross-field rule."""

    low: int = setting("low", integer(0, 10))
    high: int = setting("high", integer(0, 10))
    names: tuple[str, ...] = setting("names", list_of(text()), default=())

    def validate(self, fields: Fields, context: StackContext) -> None:
        if self.high < self.low:
            raise fields["high"].fail(f"must be at least low ({self.low})")


def _read(value: object) -> _Pool:
    return read_section(_Pool, Node("Pulumi.test.yaml", "myhibachi:pool", value), CONTEXT)


def test_keys_come_from_the_fields() -> None:
    assert keys_of(_Pool) == (frozenset({"low", "high"}), frozenset({"names"}))


def test_a_section_reads_its_keys_and_applies_defaults() -> None:
    assert _read({"low": 1, "high": 2}) == _Pool(low=1, high=2, names=())
    assert _read({"low": 1, "high": 2, "names": ["a"]}).names == ("a",)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"low": 1}, "myhibachi:pool.high: is required"),
        ({"low": 1, "high": 2, "hihg": 3}, "myhibachi:pool: unknown key 'hihg' (allowed: high, "),
        ({"low": 1, "high": 11}, "myhibachi:pool.high: must be between 0 and 10, got 11"),
        ({"low": 5, "high": 2}, "myhibachi:pool.high: must be at least low (5)"),
        ({"low": 1, "high": 2, "names": [""]}, "myhibachi:pool.names[0]: must not be empty"),
    ],
)
def test_each_problem_is_one_line_naming_the_key(value: object, message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        _read(value)
    assert str(raised.value).startswith(f"Pulumi.test.yaml: {message}")


def test_nested_sections_report_their_full_key() -> None:
    node = Node("Pulumi.test.yaml", "myhibachi:database", {"maintenanceWindow": {"day": 8}})
    with pytest.raises(SettingsError, match=r"myhibachi:database: unknown key|is required"):
        read_section(DatabaseSettings, node, CONTEXT)
    window = Node("Pulumi.test.yaml", "myhibachi:database.maintenanceWindow", {"day": 8, "hour": 1})
    with pytest.raises(SettingsError, match=r"maintenanceWindow\.day: must be between 1 and 7"):
        read_section(MaintenanceWindow, window, CONTEXT)


def test_every_stack_file_key_is_declared_by_exactly_one_field() -> None:
    """The stack's own fields that are not in the stack file are the provider's and the name."""
    undeclared = [f.name for f in dataclasses.fields(StackSettings) if KEY not in f.metadata]
    assert undeclared == ["project", "region", "stack", "vercel_team"]
    keys = [f.metadata[KEY] for f in dataclasses.fields(StackSettings) if KEY in f.metadata]
    assert len(keys) == len(set(keys))
