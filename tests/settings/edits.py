"""Stack files edited for a test: a stack's own document, changed by small edits, then loaded
as the program loads it.

Paths name a config key and the fields below it: `myhibachi:api.image`, `gcp:project`,
`myhibachi:secrets.catalog.0.name` (a number indexes a list).

A bad value's test is a table of cases, each a stack, the edits that make its file bad, the key
the error names and the problem it states; `one_line_error_test` turns the table into a test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from preflight.stack_file import read_stack_config
from settings import SettingsError, StackSettings, load_settings
from tests.conftest import stack_document

Edit = Callable[[dict[str, Any]], None]
"""Changes a stack document's `config` in place."""

BadCase = tuple[str, tuple[Edit, ...], str, str]
"""A stack, the edits that make its file bad, the key the error names, the problem it states."""


def edited_stack_file(tmp_path: Path, stack: str, *edits: Edit) -> Path:
    """`Pulumi.<stack>.yaml` in `tmp_path`: the stack's own document with the edits applied."""
    document = stack_document(stack)
    for edit in edits:
        edit(document["config"])
    stack_file = tmp_path / f"Pulumi.{stack}.yaml"
    stack_file.write_text(yaml.safe_dump(document))
    return stack_file


def load_edited(tmp_path: Path, stack: str, *edits: Edit) -> StackSettings:
    """The settings the program reads from the edited stack file."""
    edited_stack_file(tmp_path, stack, *edits)
    return load_settings(stack, read_stack_config(tmp_path, stack).values)


def _parent(config: dict[str, Any], path: str) -> tuple[Any, Any]:
    """The container that holds the path's last part, and that part (an index in a list)."""
    top, *rest = path.split(".")
    if not rest:
        return config, top
    node: Any = config[top]
    for part in rest[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = rest[-1]
    return node, int(last) if isinstance(node, list) else last


def set_key(path: str, value: Any) -> Edit:
    """An edit that sets the path to a value."""

    def edit(config: dict[str, Any]) -> None:
        node, key = _parent(config, path)
        node[key] = value

    return edit


def delete_key(path: str) -> Edit:
    """An edit that removes the path."""

    def edit(config: dict[str, Any]) -> None:
        node, key = _parent(config, path)
        del node[key]

    return edit


def rename_key(path: str, new_name: str) -> Edit:
    """An edit that moves the path's value to a sibling key named `new_name`."""

    def edit(config: dict[str, Any]) -> None:
        node, key = _parent(config, path)
        node[new_name] = node.pop(key)

    return edit


def bad_value(stack: str, path: str, value: Any, problem: str) -> BadCase:
    """The case of one bad value, refused under the key that holds it."""
    return (stack, (set_key(path, value),), path, problem)


def one_line_error_test(cases: Sequence[BadCase]) -> Callable[..., None]:
    """A test, parametrized per case: loading the edited stack file fails with one line that
    names the file, the key and the problem. Bind it to `test_bad_value_names_file_key_and_problem`
    in a settings test module."""

    @pytest.mark.parametrize(
        ("stack", "edits", "key", "problem"),
        cases,
        ids=[f"{key}:{problem}" for _, _, key, problem in cases],
    )
    def test(tmp_path: Path, stack: str, edits: tuple[Edit, ...], key: str, problem: str) -> None:
        with pytest.raises(SettingsError) as error:
            load_edited(tmp_path, stack, *edits)
        message = str(error.value)
        assert "\n" not in message
        assert message.startswith(f"Pulumi.{stack}.yaml: {key}: "), message
        assert problem in message, message

    return test
