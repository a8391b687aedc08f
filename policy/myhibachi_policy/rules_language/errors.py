"""The one error the Rules language package raises: an expression outside the supported subset."""

from __future__ import annotations

_MAX_SHOWN = 40


def shown(text: str) -> str:
    """A construct's text for a message: short and on one line."""
    text = " ".join(text.split())
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


class UnsupportedExpressionError(ValueError):
    """A rule expression this package cannot evaluate: invalid syntax, or valid Cloudflare
    syntax outside the supported subset (an unknown field, function, operator, regex feature).

    `construct` names what was not understood (`field cf.waf.score`, `` `)` ``, `a string
    literal`), `position` is its 1-based character offset, `problem` says what is wrong. The
    message never repeats a string literal's content.
    """

    def __init__(self, construct: str, position: int, problem: str) -> None:
        self.construct = construct
        self.position = position
        self.problem = problem
        super().__init__(f"{construct} at character {position}: {problem}")
