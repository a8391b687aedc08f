"""Turns Lark's parse tree into typed nodes, rejecting what the subset cannot evaluate.

Everything is checked here, before any request is seen: field names, operator and operand
types, function signatures, set items, regular expressions. So an expression either parses
into something that evaluates on every request, or raises `UnsupportedExpressionError`.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Final

from lark import Token, Transformer, v_args
from lark.tree import Meta

from .errors import UnsupportedExpressionError, shown
from .functions import FUNCTIONS
from .literals import regex_source, simple_regex, string_value, wildcard_pattern
from .nodes import (
    Call,
    Comparison,
    Const,
    FieldRef,
    Index,
    Literal,
    Logical,
    Node,
    Not,
    SetItem,
    Test,
    Truthy,
    comparison_type,
    contains,
    member_of,
    ordered,
    pattern,
)
from .scheme import BOOLEAN, FIELDS, INTEGER, IP, STRING, Type, Value, array_of

_SYMBOLS: Final = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_ORDERING: Final = frozenset({"lt", "le", "gt", "ge"})
_STRING_TOKENS: Final = frozenset({"STRING", "RAW_STRING"})
KEYWORDS: Final = frozenset(
    {"and", "or", "xor", "not", "in", "eq", "ne", "lt", "le", "gt", "ge", "contains", "matches"}
    | {"wildcard", "strict", "true", "false"}
)


def _at(token: Token) -> int:
    return (token.start_pos or 0) + 1


def _fail(construct: str, position: int, problem: str) -> UnsupportedExpressionError:
    return UnsupportedExpressionError(construct, position, problem)


def _a(kind: Type) -> str:
    """`a String`, `an Integer`, `an IP address`."""
    return f"{'an' if str(kind)[0] in 'AEIOU' else 'a'} {kind}"


def _shape(node: Node) -> str:
    return f"an array of {node.type}" if node.spread else f"{_a(node.type)} value"


def _condition(node: Node) -> Node:
    """The node as a condition: a Boolean, not an array of them."""
    if node.type != BOOLEAN or node.spread:
        raise _fail(node.describe(), node.position, f"{_shape(node)} where a condition is expected")
    if isinstance(node, FieldRef | Index | Call):
        return Truthy(node, position=node.position)
    return node


def _literal(token: Token) -> Literal:
    """A comparison's right-hand side or a function argument."""
    position = _at(token)
    if token.type in _STRING_TOKENS:
        return Literal(string_value(str(token), position), position=position, type=STRING)
    if token.type == "INT":
        return Literal(int(token), position=position, type=INTEGER)
    if token.type == "IP" and "/" not in token:
        return Literal(_address(token), position=position, type=IP)
    raise _fail(f"`{shown(str(token))}`", position, "CIDR ranges are only accepted in a set")


def _address(token: Token) -> Value:
    try:
        return ipaddress.ip_address(str(token))
    except ValueError as error:
        raise _fail(f"`{shown(str(token))}`", _at(token), "not an IP address") from error


def _set_item(token: Token, kind: Type) -> SetItem:
    text, position = str(token), _at(token)
    expected = {
        STRING: ("STRING", "RAW_STRING"),
        INTEGER: ("INT", "INT_RANGE"),
        IP: ("IP", "IP_RANGE"),
    }.get(kind, ())
    construct = "a string literal" if token.type in _STRING_TOKENS else f"`{shown(text)}`"
    if token.type not in expected:
        raise _fail(construct, position, f"not {_a(kind)}, in a set compared with {_a(kind)}")
    try:
        if token.type in _STRING_TOKENS:
            return string_value(text, position)
        if token.type == "INT":
            return int(text)
        if token.type == "INT_RANGE":
            low, high = (int(part) for part in text.split("..", 1))
            return (low, high)
        if token.type == "IP_RANGE":
            start, end = (ipaddress.ip_address(part) for part in text.split("..", 1))
            return (start, end)
        if "/" in text:
            return ipaddress.ip_network(text, strict=False)
        return ipaddress.ip_address(text)
    except ValueError as error:
        raise _fail(construct, position, f"not a valid set item of type {kind}") from error


def _comparable(left: Node, operator: str, position: int, allowed: tuple[Type, ...]) -> None:
    if left.type not in allowed:
        raise _fail(f"operator `{operator}`", position, f"not defined for {_shape(left)}")


@v_args(meta=True)
class Builder(Transformer[Token, Node]):
    """Bottom-up construction of typed nodes from the parse tree."""

    # --- logic ---------------------------------------------------------------------------------

    def start(self, meta: Meta, children: list[Node]) -> Node:
        return _condition(children[0])

    def _logical(self, operator: str, meta: Meta, children: list[Any]) -> Node:
        items = tuple(_condition(child) for child in children if not isinstance(child, Token))
        return Logical(operator, items, position=meta.start_pos + 1)

    def or_expr(self, meta: Meta, children: list[Any]) -> Node:
        return self._logical("or", meta, children)

    def xor_expr(self, meta: Meta, children: list[Any]) -> Node:
        return self._logical("xor", meta, children)

    def and_expr(self, meta: Meta, children: list[Any]) -> Node:
        return self._logical("and", meta, children)

    def negation(self, meta: Meta, children: list[Any]) -> Node:
        return Not(_condition(children[-1]), position=meta.start_pos + 1)

    def true(self, meta: Meta, children: list[Token]) -> Node:
        return Const(True, position=_at(children[0]))

    def false(self, meta: Meta, children: list[Token]) -> Node:
        return Const(False, position=_at(children[0]))

    # --- operands ------------------------------------------------------------------------------

    def field(self, meta: Meta, children: list[Token]) -> Node:
        [name] = children
        if str(name) in KEYWORDS:
            raise _fail(f"`{name}`", _at(name), "unexpected")
        if str(name) not in FIELDS:
            raise _fail(f"field `{shown(str(name))}`", _at(name), "not in the supported subset")
        return FieldRef(str(name), position=_at(name), type=FIELDS[str(name)])

    def index(self, meta: Meta, children: list[Any]) -> Node:
        base, key_tree = children
        [key] = key_tree.children
        position = _at(key)
        container = base.type
        if key.type == "STAR":
            if base.spread:
                raise _fail("`[*]`", position, "an array is already unpacked here")
            if container.inner is None:
                raise _fail("`[*]`", position, f"a {container} value has no elements")
            return Index(base, None, position=meta.start_pos + 1, type=container.inner, spread=True)
        if key.type == "STRING" and container.name == "Map":
            value: str | int = string_value(str(key), position)
        elif key.type == "INT" and container.name == "Array":
            value = int(key)
        else:
            construct = "a string key" if key.type == "STRING" else f"index `{key}`"
            raise _fail(construct, position, f"cannot index a {container} value")
        assert container.inner is not None
        return Index(
            base, value, position=meta.start_pos + 1, type=container.inner, spread=base.spread
        )

    def call(self, meta: Meta, children: list[Any]) -> Node:
        name, *raw_args = children
        position = _at(name)
        construct = f"function `{shown(str(name))}()`"
        function = FUNCTIONS.get(str(name))
        if function is None:
            raise _fail(construct, position, "not in the supported subset")
        if len(raw_args) != 1 + len(function.literals):
            raise _fail(construct, position, f"takes {1 + len(function.literals)} argument(s)")
        first = raw_args[0]
        if isinstance(first, Token):
            raise _fail(construct, _at(first), "its first argument must be a field, not a literal")
        accepted = str(first.type) in function.first or first.type.name in function.first
        if not accepted or (first.spread and not function.first_may_spread):
            raise _fail(construct, first.position, f"does not take {_shape(first)}")
        args: list[Node] = [first]
        for raw, expected in zip(raw_args[1:], function.literals, strict=True):
            if not isinstance(raw, Token):
                raise _fail(construct, raw.position, "this argument must be a literal")
            literal = _literal(raw)
            if literal.type != expected:
                raise _fail(construct, literal.position, f"this argument must be {_a(expected)}")
            args.append(literal)
        result = array_of(function.result) if first.spread else function.result
        return Call(str(name), tuple(args), function.apply, position=position, type=result)

    # --- comparisons ---------------------------------------------------------------------------

    def compare(self, meta: Meta, children: list[Any]) -> Node:
        left, operator_tree, right = children
        [operator_token] = operator_tree.children
        operator = _SYMBOLS.get(str(operator_token), str(operator_token))
        position = _at(operator_token)
        if operator == "contains":
            _comparable(left, operator, position, (STRING,))
        elif operator in _ORDERING:
            _comparable(left, operator, position, (STRING, INTEGER))
        else:
            _comparable(left, operator, position, (STRING, INTEGER, IP))
        literal = _literal(right)
        if literal.type != left.type:
            raise _fail(
                f"operator `{operator}`",
                position,
                f"compares {_a(left.type)} with {_a(literal.type)} literal",
            )
        test: Test
        if operator == "contains":
            assert isinstance(literal.value, str)
            test = contains(literal.value)
        else:
            test = ordered(operator, literal.value)
        return self._comparison(left, operator, test, position)

    def _comparison(self, left: Node, operator: str, test: Test, position: int) -> Node:
        return Comparison(left, operator, test, position=position, type=comparison_type(left))

    def membership(self, meta: Meta, children: list[Any]) -> Node:
        left, in_token, set_tree = children
        position = _at(in_token)
        _comparable(left, "in", position, (STRING, INTEGER, IP))
        items = [_set_item(token, left.type) for token in set_tree.children]
        return self._comparison(left, "in", member_of(items), position)

    def named_list(self, meta: Meta, children: list[Any]) -> Node:
        list_name = children[-1]
        raise _fail(f"list `{shown(str(list_name))}`", _at(list_name), "named lists are not known")

    def regex_match(self, meta: Meta, children: list[Any]) -> Node:
        left, operator_token, right = children
        position = _at(operator_token)
        _comparable(left, "matches", position, (STRING,))
        regex = simple_regex(regex_source(str(right)), _at(right))
        return self._comparison(left, "matches", pattern(regex, full=False), position)

    def _wildcard(self, children: list[Any], *, strict: bool) -> Node:
        left, *keywords, right = children
        position = _at(keywords[0])
        operator = "strict wildcard" if strict else "wildcard"
        _comparable(left, operator, position, (STRING,))
        source = string_value(str(right), _at(right))
        regex = wildcard_pattern(source, case_sensitive=strict, position=_at(right))
        return self._comparison(left, operator, pattern(regex, full=True), position)

    def wildcard(self, meta: Meta, children: list[Any]) -> Node:
        return self._wildcard(children, strict=False)

    def strict_wildcard(self, meta: Meta, children: list[Any]) -> Node:
        return self._wildcard(children, strict=True)
