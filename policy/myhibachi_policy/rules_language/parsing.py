"""Lark's side of parsing: text to typed nodes, Lark's errors to `UnsupportedExpressionError`."""

from __future__ import annotations

from lark import Token
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from .builder import KEYWORDS, Builder
from .errors import UnsupportedExpressionError, shown
from .grammar import parser
from .nodes import Node


def syntax_tree(text: str) -> Node:
    """The typed tree of an expression, or `UnsupportedExpressionError`."""
    try:
        tree = parser().parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(text, error) from None
    try:
        return Builder().transform(tree)
    except VisitError as error:
        # Lark wraps what a transformer raises; the builder only raises our error.
        if isinstance(error.orig_exc, UnsupportedExpressionError):
            raise error.orig_exc from None
        raise


def _syntax_error(text: str, error: UnexpectedInput) -> UnsupportedExpressionError:
    if isinstance(error, UnexpectedCharacters):
        offset = error.pos_in_stream or 0
        word = text[offset:].split(maxsplit=1)[0] if text[offset:].strip() else text[offset]
        if word != word.lower() and word.lower() in KEYWORDS:
            return UnsupportedExpressionError(
                f"`{word}`", offset + 1, "operators in English notation must be lowercase"
            )
        if text[offset] == '"':
            return UnsupportedExpressionError("a string literal", offset + 1, "not closed")
        return UnsupportedExpressionError(f"`{shown(text[offset])}`", offset + 1, "unexpected")
    if isinstance(error, UnexpectedToken) and isinstance(error.token, Token):
        token = error.token
        if token.type == "$END":
            return UnsupportedExpressionError("the end", len(text) + 1, "the expression is cut")
        if token.type in ("STRING", "RAW_STRING"):
            construct = "a string literal"
        else:
            construct = f"`{shown(str(token))}`"
        return UnsupportedExpressionError(construct, (token.start_pos or 0) + 1, "unexpected")
    if isinstance(error, UnexpectedEOF):
        return UnsupportedExpressionError("the end", len(text) + 1, "the expression is cut")
    return UnsupportedExpressionError("the expression", 1, "not understood")
