"""Read a stack file's YAML the way the Pulumi CLI reads it (Go's yaml.v3), through ruamel.yaml.

ruamel.yaml parses (YAML 1.2 syntax, line numbers, anchors); the values are resolved here with
yaml.v3's rules, since that is what the CLI hands the program:

- a plain scalar is null (`~`, `null`, empty), a boolean (`true`/`True`/`TRUE`, `false`...), an
  integer (`12`, `1_000`, `0x1f`, `0o17`, `017`, `0b101`), a float (`1.5`, `1e3`, `.inf`,
  `.nan`) or else a string. `yes`, `on`, `10:30` and dates are strings (yaml.v3 hands an
  untyped timestamp over as its text), unlike PyYAML's YAML 1.1.
- quoted and block scalars are strings; `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map`
  and `!!seq` are accepted where the value fits them.
- every other tag (`!!binary`, `!!set`, `!!omap`, `!!timestamp`, `!local`) is refused: the CLI
  would hand the program something other than what the file shows, or fail.
- a key given twice in one mapping is an error naming both lines, as in yaml.v3 (PyYAML lets the
  last one win silently); merge keys (`<<`) are refused.

Errors are `StackYamlError`s: the key path (`myhibachi:database.retainedBackups`, empty when the
problem is not under a key), the line and the problem, one line each.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Final

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_CORE: Final = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (
    _CORE + kind for kind in ("str", "int", "float", "bool", "null")
)
_MAP, _SEQ, _TIMESTAMP = _CORE + "map", _CORE + "seq", _CORE + "timestamp"

# An alias can make a few lines expand into millions of values; no stack file needs this many.
MAX_VALUES: Final = 20_000

# yaml.v3's resolve table (resolve.go): the exact spellings it maps to null, booleans and floats.
_FIXED: Final[dict[str, Any]] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "+.inf": math.inf,
    "+.Inf": math.inf,
    "+.INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
}
_FLOAT_TEXT: Final = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INT_TEXT: Final = re.compile(
    r"[-+]?(0b[01]+|0o[0-7]+|0x[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", re.IGNORECASE
)


class StackYamlError(Exception):
    """A stack file's YAML cannot be read as the CLI would read it."""

    def __init__(self, key: str, line: int | None, problem: str) -> None:
        self.key = key
        self.line = line
        self.problem = problem
        where = f" (line {line})" if line is not None else ""
        super().__init__(f"{key + ': ' if key else ''}{problem}{where}")


@dataclass
class _Budget:
    left: int = MAX_VALUES


def parse_yaml(text: str) -> Any:
    """The one document in `text` as plain Python values, resolved as yaml.v3 resolves them."""
    parser = YAML(typ="safe", pure=True)
    parser.version = (1, 2)
    try:
        root = parser.compose(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(error.problem or error.context or "not valid YAML").split())
        raise StackYamlError(
            top_level_key_at(text, line), line, f"not valid YAML: {problem}"
        ) from None
    except YAMLError as error:
        raise StackYamlError("", None, f"not valid YAML: {' '.join(str(error).split())}") from None
    if root is None:
        return None
    return _value(root, text, "", _Budget())


def top_level_key_at(text: str, line: int | None) -> str:
    """The `config:` key whose block holds `line` (1-based), or "" outside of one."""
    if line is None:
        return ""
    lines = text.splitlines()
    key = ""
    in_config = False
    for number, content in enumerate(lines[: max(line, 0)], start=1):
        if not content.strip() or content.lstrip().startswith("#") or "\t" in _lead(content):
            continue
        indent = len(content) - len(content.lstrip())
        if indent == 0:
            in_config = content.startswith("config:")
            key = ""
            continue
        match = re.match(r"\s+(['\"]?)([^\s'\":#][^'\"]*?)\1\s*:(\s|$)", content)
        if in_config and match and indent <= _child_indent(lines, number):
            key = match.group(2)
    return key


def _child_indent(lines: list[str], before: int) -> int:
    """The indentation of `config:`'s first key (the smallest after column 0 above `before`)."""
    indents = [
        len(content) - len(content.lstrip())
        for content in lines[:before]
        if content.strip()
        and not content.lstrip().startswith("#")
        and content[0] == " "
        and "\t" not in _lead(content)
    ]
    return min(indents, default=0)


def _lead(content: str) -> str:
    return content[: len(content) - len(content.lstrip())]


def _value(node: Node, text: str, key: str, budget: _Budget) -> Any:
    budget.left -= 1
    if budget.left < 0:
        raise StackYamlError(key, _line(node), f"more than {MAX_VALUES} values (aliases expand)")
    if isinstance(node, MappingNode):
        _expect_tag(node, _MAP, key)
        return _mapping(node, text, key, budget)
    if isinstance(node, SequenceNode):
        _expect_tag(node, _SEQ, key)
        return [
            _value(item, text, f"{key}[{index}]", budget) for index, item in enumerate(node.value)
        ]
    if isinstance(node, ScalarNode):
        return _scalar(node, text, key)
    raise StackYamlError(key, _line(node), "not a YAML value")  # pragma: no cover (ruamel's nodes)


def _mapping(node: MappingNode, text: str, key: str, budget: _Budget) -> dict[str, Any]:
    result: dict[str, Any] = {}
    lines: dict[str, int | None] = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == "<<" and key_node.style is None:
            raise StackYamlError(key, _line(key_node), "merge keys (<<) are not supported here")
        name = _key_name(key_node, text, key)
        child = f"{key}.{name}" if key else name
        if name in result:
            raise StackYamlError(
                child, None, f"duplicate key (lines {lines[name]} and {_line(key_node)})"
            )
        lines[name] = _line(key_node)
        result[name] = _value(value_node, text, child, budget)
    return result


def _key_name(node: Node, text: str, parent: str) -> str:
    if not isinstance(node, ScalarNode):
        raise StackYamlError(
            parent, _line(node), "a key must be a plain name, not a list or object"
        )
    value = _scalar(node, text, parent)
    if isinstance(value, bool | int | float) or value is None:
        # yaml.v3 would turn the key back into text; a config key is text, so say so.
        return node.value if isinstance(node.value, str) else str(value)
    return str(value)


def _scalar(node: ScalarNode, text: str, key: str) -> Any:
    tag = str(node.tag)
    raw: str = node.value
    if _explicit_tag(node, text):
        if tag == _STR:
            return raw
        if tag in (_INT, _FLOAT, _BOOL, _NULL):
            value = _resolve_plain(raw)
            if tag == _NULL and value is None:
                return None
            if tag == _BOOL and isinstance(value, bool):
                return value
            if tag == _INT and isinstance(value, int) and not isinstance(value, bool):
                return value
            if tag == _FLOAT and isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
            raise StackYamlError(key, _line(node), f"'{raw}' is not a valid {_short(tag)}")
        raise StackYamlError(key, _line(node), _unsupported(tag))
    if node.style is not None:
        return raw  # quoted or block: always a string
    if tag not in (_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP):
        raise StackYamlError(key, _line(node), _unsupported(tag))  # pragma: no cover
    return _resolve_plain(raw)


def _resolve_plain(raw: str) -> Any:
    """yaml.v3's reading of an untagged plain scalar (resolve.go), for a decode into `any`."""
    if raw in _FIXED:
        return _FIXED[raw]
    plain = raw.replace("_", "")
    if _INT_TEXT.fullmatch(plain):
        sign = -1 if plain.startswith("-") else 1
        digits = plain.lstrip("+-").lower()
        if digits.startswith(("0b", "0o", "0x")):
            base = {"b": 2, "o": 8, "x": 16}[digits[1]]
            return sign * int(digits[2:], base)
        if len(digits) > 1 and digits.startswith("0"):
            return sign * int(digits, 8)  # YAML 1.1 octal, which yaml.v3 still reads
        return sign * int(digits)
    if _FLOAT_TEXT.fullmatch(plain):
        return float(plain)
    return raw  # a string: yes/no/on/off, 10:30, dates and times included


def _explicit_tag(node: ScalarNode, text: str) -> bool:
    """Whether the scalar carries a tag in the file (ruamel keeps only the resolved tag)."""
    start = node.start_mark.index
    for token in text[start : start + 256].split()[:2]:
        if token.startswith("!"):
            return True
        if not token.startswith("&"):
            return False
    return False


def _expect_tag(node: Node, tag: str, key: str) -> None:
    if str(node.tag) != tag:
        raise StackYamlError(key, _line(node), _unsupported(str(node.tag)))


def _unsupported(tag: str) -> str:
    return (
        f"the {_short(tag)} tag is not supported in a stack file; write the value as plain YAML "
        "(a string, number, boolean, list or object)"
    )


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _line(node: Node) -> int | None:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else None


__all__ = ["MAX_VALUES", "StackYamlError", "parse_yaml", "top_level_key_at"]
