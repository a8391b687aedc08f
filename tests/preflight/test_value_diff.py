"""Property diffs: lists element by element, never the whole list when one element changes."""

from __future__ import annotations

from typing import Any

from preflight.value_diff import PropertyChange, value_changes
from preflight.values import SECRET_MASK, secret


def changes(old: Any, new: Any) -> list[tuple[str, Any, Any, str]]:
    return [(c.path, c.old, c.new, c.kind) for c in value_changes(old, new, "list")]


def test_same_length_lists_compare_by_index() -> None:
    assert changes(["a", "b", "c"], ["a", "x", "c"]) == [("list[1]", "b", "x", "update")]


def test_an_element_changed_inside_an_object_names_only_that_leaf() -> None:
    old = [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}]
    new = [{"name": "a", "value": "1"}, {"name": "b", "value": "3"}]
    assert changes(old, new) == [("list[1].value", "2", "3", "update")]


def test_objects_with_a_name_are_matched_by_it_when_the_length_changes() -> None:
    old = [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}, {"name": "C", "value": "3"}]
    new = [{"name": "A", "value": "1"}, {"name": "C", "value": "4"}]
    assert changes(old, new) == [
        ("list[name=B]", {"name": "B", "value": "2"}, None, "remove"),
        ("list[name=C].value", "3", "4", "update"),
    ]


def test_an_inserted_element_does_not_shift_the_others() -> None:
    old = ["a", "b", "c", "d"]
    new = ["a", "b", "new", "c", "d"]
    assert changes(old, new) == [("list[2]", None, "new", "add")]


def test_a_removed_element_is_listed_alone() -> None:
    assert changes(["a", "b", "c"], ["a", "c"]) == [("list[1]", "b", None, "remove")]


def test_elements_without_identity_changed_and_added_are_both_listed() -> None:
    old = [{"x": 1}, {"x": 2}]
    new = [{"x": 1}, {"x": 3}, {"x": 4}]
    assert changes(old, new) == [
        ("list[1].x", 2, 3, "update"),
        ("list[2]", None, {"x": 4}, "add"),
    ]


def test_no_change_no_lines() -> None:
    value = [{"name": "a", "rules": [1, 2, {"k": "v"}]}]
    assert value_changes(value, value) == []


def test_a_secret_element_is_masked_both_ways() -> None:
    old = {"env": [{"name": "KEY", "value": secret("one")}]}
    new = {"env": [{"name": "KEY", "value": secret("two")}]}
    assert value_changes(old, new) == [
        PropertyChange("env[0].value", SECRET_MASK, SECRET_MASK, "update")
    ]


def test_keys_added_and_removed_are_marked() -> None:
    assert changes({"a": 1}, {"b": 2}) == [
        ("list.a", 1, None, "remove"),
        ("list.b", None, 2, "add"),
    ]


def test_text_of_several_lines_compares_line_by_line() -> None:
    old = "steps:\n  - export:\n      instance: database-instance\n  - done\n"
    new = "steps:\n  - export:\n      instance: db-instance\n  - done\n  - notify\n"
    assert changes(old, new) == [
        (
            "list[line 3]",
            "      instance: database-instance",
            "      instance: db-instance",
            "update",
        ),
        ("list[line 5]", None, "  - notify", "add"),
    ]
