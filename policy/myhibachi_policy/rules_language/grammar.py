"""The grammar of the supported subset of Cloudflare's Rules language, as a Lark LALR parser.

Precedence follows Cloudflare's operator reference and wirefilter, its parser: a comparison
binds tightest, then `not`/`!` (applied to one comparison, group or negation), then
`and`/`&&`, then `xor`/`^^`, then `or`/`||`. English operators are lowercase only.
"""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path

from lark import Lark

GRAMMAR = r"""
start: expr

?expr: or_expr
?or_expr: xor_expr (_or xor_expr)*
?xor_expr: and_expr (_xor and_expr)*
?and_expr: unary (_and unary)*
?unary: _not unary -> negation
      | atom
?atom: "(" expr ")"
     | operand
     | operand cmp_op literal            -> compare
     | operand IN set                    -> membership
     | operand IN LIST_NAME              -> named_list
     | operand _matches string           -> regex_match
     | operand WILDCARD string           -> wildcard
     | operand STRICT WILDCARD string    -> strict_wildcard
     | TRUE                              -> true
     | FALSE                             -> false

?operand: NAME                           -> field
        | NAME "(" [arg ("," arg)*] ")"  -> call
        | operand "[" index_key "]"      -> index

?arg: expr | literal
index_key: STRING | INT | STAR

cmp_op: EQ | EQ_SIGN | NE | NE_SIGN | LT | LT_SIGN | LE | LE_SIGN | GT | GT_SIGN | GE | GE_SIGN
      | CONTAINS
?literal: string | INT | IP
?string: STRING | RAW_STRING
set: "{" set_item* "}"
?set_item: STRING | RAW_STRING | INT | INT_RANGE | IP | IP_RANGE

_or: OR | OR_SIGN
_xor: XOR | XOR_SIGN
_and: AND | AND_SIGN
_not: NOT | NOT_SIGN
_matches: MATCHES | MATCHES_SIGN

// Each spelling is its own string terminal, so that Lark lexes `android` as a NAME and
// `and` as the keyword (a keyword must be a whole word).
OR: "or"
OR_SIGN: "||"
XOR: "xor"
XOR_SIGN: "^^"
AND: "and"
AND_SIGN: "&&"
NOT: "not"
NOT_SIGN: "!"
IN: "in"
MATCHES: "matches"
MATCHES_SIGN: "~"
WILDCARD: "wildcard"
STRICT: "strict"
TRUE: "true"
FALSE: "false"
EQ: "eq"
EQ_SIGN: "=="
NE: "ne"
NE_SIGN: "!="
LT: "lt"
LT_SIGN: "<"
LE: "le"
LE_SIGN: "<="
GT: "gt"
GT_SIGN: ">"
GE: "ge"
GE_SIGN: ">="
CONTAINS: "contains"
STAR: "*"

NAME: /[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*/
LIST_NAME: /\$[a-z0-9_]+/
STRING: /"(?:[^"\\]|\\.)*"/s
RAW_STRING.3: /r"[^"]*"|r#".*?"#|r##".*?"##|r###".*?"###/s
_IPV4: /\d{1,3}(\.\d{1,3}){3}/
_IPV6: /[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}/
IP.5: (_IPV4 | _IPV6) ("/" /\d{1,3}/)?
IP_RANGE.6: _IPV4 ".." _IPV4 | _IPV6 ".." _IPV6
INT_RANGE.4: /-?\d+\.\.-?\d+/
INT.2: /-?\d+/

%ignore /\s+/
"""


_BUILDING = threading.Lock()


def parser() -> Lark:
    """The LALR parser, built once per process even when the server's worker threads first ask
    for it together."""
    with _BUILDING:
        return _built_parser()


@cache
def _built_parser() -> Lark:
    # Building the LALR tables takes 30-70 ms in each policy server; lark keeps them in a cache
    # file that it reuses only while the grammar, its options and lark's version match.
    return Lark(
        GRAMMAR,
        parser="lalr",
        propagate_positions=True,
        maybe_placeholders=False,
        cache=_cache_file(),
    )


def _cache_file() -> str | bool:
    """The user's own cache directory, never a shared temporary one: lark unpickles the file.
    Without a usable home directory the parser is simply built each time."""
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path("~/.cache").expanduser())
    except RuntimeError:  # no home directory to expand
        return False
    if not base.is_absolute():
        return False
    directory = base / "myhibachi-policy"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    return str(directory / "rules-language.lark")
