"""String literals as Cloudflare reads them: quoted and raw strings, wildcards, simple regexes.

- Quoted strings (`"..."`) accept the escapes `\\"`, `\\\\`, `\\xHH` and three octal digits
  `\\ooo`; any other escape is invalid (wirefilter's lexer). On the right of `matches` a
  quoted string is read with regex escaping instead: `\\"` becomes `"`, every other escape
  reaches the regex engine unchanged.
- Raw strings (`r"..."`, `r#"..."#`, ...) have no escapes at all.
- `wildcard` / `strict wildcard` patterns match the whole value; `*` is any run of characters,
  `\\*` and `\\\\` are a literal star and backslash, `**` is invalid.
- Regular expressions run on Rust's regex engine at Cloudflare. Only patterns built from
  features both engines read the same way are accepted here (literals, `.`, anchors, classes
  without set operations, `\\d \\w \\s` and their negations, escaped punctuation, groups,
  `(?:...)`, alternation, greedy or lazy quantifiers); anything else is outside the subset.
"""

from __future__ import annotations

import re
import string
from typing import Final

from .errors import UnsupportedExpressionError

_RAW: Final = re.compile(r'r(#*)"(.*)"\1', re.DOTALL)


def _problem(position: int, problem: str, construct: str = "a string literal") -> Exception:
    return UnsupportedExpressionError(construct, position, problem)


def quoted_string(token: str, position: int) -> str:
    """The value of a quoted string token (with its quotes), escapes resolved."""
    body = token[1:-1]
    out = bytearray()
    index = 0
    while index < len(body):
        char = body[index]
        if char != "\\":
            out += char.encode()
            index += 1
            continue
        escape = body[index + 1 : index + 2]
        if escape in ('"', "\\"):
            out += escape.encode()
            index += 2
        elif escape == "x" and re.fullmatch(r"[0-9A-Fa-f]{2}", body[index + 2 : index + 4]):
            out.append(int(body[index + 2 : index + 4], 16))
            index += 4
        elif re.fullmatch(r"[0-7]{3}", body[index + 1 : index + 4]):
            out.append(int(body[index + 1 : index + 4], 8) & 0xFF)
            index += 4
        else:
            raise _problem(position + 1 + index, f"invalid escape `\\{escape}` in a string")
    return out.decode("utf-8", errors="surrogateescape")


def raw_string(token: str) -> str:
    """The value of a raw string token: everything between the delimiters, as written."""
    match = _RAW.fullmatch(token)
    if match is None:  # the grammar's terminal only produces well-formed raw strings
        raise AssertionError(token)
    return match.group(2)


def string_value(token: str, position: int) -> str:
    return raw_string(token) if token.startswith("r") else quoted_string(token, position)


def regex_source(token: str) -> str:
    """The regex a `matches` operand denotes: raw as written, quoted with regex escaping."""
    if token.startswith("r"):
        return raw_string(token)
    return re.sub(r'\\"', '"', token[1:-1])


def wildcard_pattern(pattern: str, *, case_sensitive: bool, position: int) -> re.Pattern[str]:
    """A compiled full-match regex for a `wildcard` / `strict wildcard` pattern."""
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            if pattern[index + 1 : index + 2] not in ("*", "\\"):
                raise _problem(position, "a wildcard `\\` must escape `*` or `\\`")
            parts.append(re.escape(pattern[index + 1]))
            index += 2
        elif char == "*":
            if pattern[index + 1 : index + 2] == "*":
                raise _problem(position, "`**` is invalid in a wildcard pattern")
            parts.append(".*")
            index += 1
        else:
            parts.append(re.escape(char))
            index += 1
    flags = re.DOTALL if case_sensitive else re.DOTALL | re.IGNORECASE | re.ASCII
    return re.compile("".join(parts), flags)


_CLASS_ESCAPES: Final = frozenset("dDwWsS")
_CONTROL_ESCAPES: Final = {"n": "\\n", "t": "\\t", "r": "\\r"}
_PUNCTUATION: Final = frozenset(string.punctuation)
_QUANTIFIER: Final = re.compile(r"\{(\d+)(,(\d*))?\}")


class _RegexScanner:
    """Checks a pattern against the simple subset and writes its Python `re` equivalent."""

    def __init__(self, pattern: str, position: int) -> None:
        self.pattern = pattern
        self.position = position
        self.index = 0
        self.out: list[str] = []
        self.depth = 0
        self.can_repeat = False

    def fail(self, feature: str) -> UnsupportedExpressionError:
        return UnsupportedExpressionError(
            "a regular expression",
            self.position,
            f"{feature} is outside the simple regex subset",
        )

    def peek(self, count: int = 1) -> str:
        return self.pattern[self.index : self.index + count]

    def translate(self) -> str:
        while self.index < len(self.pattern):
            self.step()
        if self.depth:
            raise self.fail("an unclosed group")
        return "".join(self.out)

    def step(self) -> None:
        char = self.pattern[self.index]
        if char == "\\":
            self.out.append(self.escape(in_class=False))
            self.can_repeat = True
        elif char == "[":
            self.character_class()
            self.can_repeat = True
        elif char == "(":
            if self.peek(2) == "(?":
                if self.peek(3) != "(?:":
                    raise self.fail("a group flag or lookaround `(?`")
                self.out.append("(?:")
                self.index += 3
            else:
                self.out.append("(")
                self.index += 1
            self.depth += 1
            self.can_repeat = False
        elif char == ")":
            if not self.depth:
                raise self.fail("an unbalanced `)`")
            self.depth -= 1
            self.out.append(")")
            self.index += 1
            self.can_repeat = True
        elif char in "*+?":
            self.quantifier(char, 1)
        elif char == "{":
            match = _QUANTIFIER.match(self.pattern, self.index)
            if match is None:
                raise self.fail("a `{` that is not a repetition")
            low, high = int(match.group(1)), match.group(3)
            if high and int(high) < low:
                raise self.fail("a repetition with its bounds reversed")
            self.quantifier(match.group(0), len(match.group(0)))
        elif char == "$":
            # Rust's `$` is the end of the text; Python's would also match before a final \n.
            self.out.append(r"\Z")
            self.index += 1
            self.can_repeat = False
        elif char in "^|.":
            self.out.append(char)
            self.index += 1
            self.can_repeat = char == "."
        else:
            self.out.append(re.escape(char))
            self.index += 1
            self.can_repeat = True

    def quantifier(self, text: str, width: int) -> None:
        if not self.can_repeat:
            raise self.fail(f"a repetition `{text}` with nothing to repeat")
        self.out.append(text)
        self.index += width
        if self.peek() == "?":
            self.out.append("?")
            self.index += 1
        self.can_repeat = False

    def escape(self, *, in_class: bool) -> str:
        escaped = self.pattern[self.index + 1 : self.index + 2]
        self.index += 2
        if escaped in _CLASS_ESCAPES:
            return "\\" + escaped
        if escaped in _CONTROL_ESCAPES:
            return _CONTROL_ESCAPES[escaped]
        if escaped in _PUNCTUATION:
            return re.escape(escaped)
        if not escaped:
            raise self.fail("a trailing `\\`")
        raise self.fail(f"the escape `\\{escaped}`")

    def character_class(self) -> None:
        self.index += 1
        parts = ["["]
        if self.peek() == "^":
            parts.append("^")
            self.index += 1
        first = True
        while True:
            if self.index >= len(self.pattern):
                raise self.fail("an unclosed `[`")
            char = self.pattern[self.index]
            if char == "]" and not first:
                self.index += 1
                break
            if char == "[":
                raise self.fail("a nested or POSIX class `[`")
            if self.peek(2) in ("&&", "--", "~~"):
                raise self.fail(f"the class operation `{self.peek(2)}`")
            if char == "\\":
                parts.append(self.escape(in_class=True))
            else:
                parts.append("\\]" if char == "]" else re.escape(char) if char != "-" else "-")
                self.index += 1
            first = False
        parts.append("]")
        self.out.append("".join(parts))


def simple_regex(source: str, position: int) -> re.Pattern[str]:
    """The compiled Python equivalent of a Rust regex from the simple subset (searched, not
    anchored, like `matches`)."""
    translated = _RegexScanner(source, position).translate()
    try:
        return re.compile(translated)
    except re.error as error:
        raise UnsupportedExpressionError(
            "a regular expression", position, "it does not compile"
        ) from error
