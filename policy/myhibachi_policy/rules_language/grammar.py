"""The grammar of the supported subset of Cloudflare's Rules language, as a Lark LALR parser.

Precedence follows Cloudflare's operator reference and wirefilter, its parser: a comparison
binds tightest, then `not`/`!` (applied to one comparison, group or negation), then
`and`/`&&`, then `xor`/`^^`, then `or`/`||`. English operators are lowercase only.
"""

from __future__ import annotations

from functools import cache

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


@cache
def parser() -> Lark:
    """The LALR parser, built once (building it takes a few milliseconds)."""
    return Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)
