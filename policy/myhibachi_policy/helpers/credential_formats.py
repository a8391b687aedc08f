"""Which strings look like credentials, by their shape rather than the name they are stored under.

Each format names the kind of credential for messages ("a Stripe secret or restricted key"),
never the value or any part of it. The patterns are written so that no pattern is itself shaped
like a credential.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final
from urllib.parse import unquote


@dataclass(frozen=True)
class CredentialFormat:
    """A credential's shape: `pattern` finds candidates, `confirm` (if any) checks a match."""

    kind: str
    pattern: re.Pattern[str]
    confirm: Callable[[re.Match[str]], bool] | None = None


def _is_jwt_header(match: re.Match[str]) -> bool:
    """A JWT's first part is base64url JSON naming its algorithm or type."""
    header = match.group(1)
    try:
        decoded = base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))
        document = json.loads(decoded)
    except (binascii.Error, ValueError):
        return False
    return isinstance(document, dict) and ("alg" in document or "typ" in document)


# A URL's password that is clearly not one, read after percent-decoding (so `%24%7BDB_PASSWORD%7D`
# is `${DB_PASSWORD}`). Anything else is a password: `%21...` or `$Tr0ub...` included.
_PLACEHOLDER_PASSWORD: Final = re.compile(
    r"""
    \$\{[A-Za-z_][A-Za-z0-9_]*\}      # ${DB_PASSWORD}
    | \$\([A-Za-z_][A-Za-z0-9_]*\)    # $(DB_PASSWORD)
    | \$[A-Z_]+                       # $DB_PASSWORD: shell style, upper case, no digits
    | <[A-Za-z][A-Za-z_.-]*>           # <password>, <db-password>
    | \{\{\s*[A-Za-z_.][A-Za-z0-9_.]*\s*\}\}  # {{password}}, {{.Values.password}}
    | %s | %\([A-Za-z_]+\)s            # printf style
    | \*+ | [xX]+                      # ****, xxx
    """,
    re.VERBOSE,
)


def _has_real_password(match: re.Match[str]) -> bool:
    """A URL's password that is not a placeholder (`${DB_PASSWORD}`, `<password>`, `****`)."""
    password = match.group(1)
    return not (
        _PLACEHOLDER_PASSWORD.fullmatch(password)
        or _PLACEHOLDER_PASSWORD.fullmatch(unquote(password))
    )


# Word boundaries: a credential starts where no letter or digit precedes it (`_` and `-` join a
# credential to a name just as `=` or a space does: `KEY_sk_live_...`), or right after a
# percent-encoded character (`key%3Dsk_live_...`).
_START: Final = r"(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2}))"
_END: Final = r"(?![A-Za-z0-9])"

FORMATS: Final = (
    CredentialFormat(
        "a Stripe secret or restricted key",
        re.compile(_START + r"(?:s|r)k_(?:live|test)_[A-Za-z0-9]{16,}" + _END),
    ),
    CredentialFormat(
        "a Stripe webhook signing secret",
        re.compile(_START + r"whsec_[A-Za-z0-9+/=]{16,}"),
    ),
    CredentialFormat(
        "an OpenAI API key",
        re.compile(
            _START
            + r"sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{32,}"
            + _END
            + ")"
        ),
    ),
    CredentialFormat(
        "a Google API key",
        re.compile(_START + r"AIza[0-9A-Za-z_-]{35}" + _END),
    ),
    CredentialFormat(
        "an AWS access key id",
        re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])"),
    ),
    CredentialFormat(
        "a PEM private key",
        re.compile("-----BEGIN" + r" (?:[A-Z0-9]+ )*PRIVATE" + " KEY-----"),
    ),
    CredentialFormat(
        "a URL with an embedded password",
        re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]{0,30}://[^\s/:@]{0,256}:([^\s/@]{1,256})@[^\s/@]"),
        _has_real_password,
    ),
    CredentialFormat(
        "a JSON Web Token",
        re.compile(_START + r"(eyJ[A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*"),
        _is_jwt_header,
    ),
)


# Every format starts with one of these: most strings have none and need no further look.
_ANY_START: Final = re.compile(r"[sr]k_|whsec_|sk-|AIza|AKIA|ASIA|-----BEGIN|://|eyJ")


def credential_kinds(text: str) -> list[str]:
    """The kinds of credential `text` contains, in `FORMATS` order, each once."""
    if not _ANY_START.search(text):
        return []
    found = []
    for credential in FORMATS:
        for match in credential.pattern.finditer(text):
            if credential.confirm is None or credential.confirm(match):
                found.append(credential.kind)
                break
    return found


# A name messages may quote: an identifier (env var and Vercel key style) with no credential in it
# and no opaque run of mixed letters and digits (a token pasted where a name goes).
_PLAIN_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_OPAQUE_WORD: Final = re.compile(r"(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{16,}")
WITHHELD: Final = "<name withheld: it may be a credential>"


def quotable(name: str) -> bool:
    """Whether a message may quote `name` (an env var name, a map key) without leaking a value."""
    if not _PLAIN_NAME.fullmatch(name) or credential_kinds(name):
        return False
    return not any(_OPAQUE_WORD.fullmatch(word) for word in name.split("_"))


def shown_name(name: str) -> str:
    """`name` when a message may quote it, else a stand-in that says why it is not."""
    return name if quotable(name) else WITHHELD
