"""Which env var names look like they carry a secret."""

from __future__ import annotations

import re
from typing import Final

_SECRET_WORDS: Final = ("SECRET", "PASSWORD", "PASSWD", "TOKEN", "DSN", "PRIVATE", "CREDENTIAL")
# Whole words that abbreviate a secret: STRIPE_SK, DB_PASS, SMTP_PWD, GCP_CREDS, JWT_SALT.
_SECRET_ABBREVIATIONS: Final = frozenset(
    {"SK", "RK", "PASS", "PWD", "PW", "PASSPHRASE", "CREDS", "CRED", "SALT", "HMAC", "JWT", "PEM"}
)
_SECRET_SUFFIXES: Final = (
    "DATABASE_URL",
    "DATABASE_URI",
    "DB_URL",
    "DB_URI",
    "REDIS_URL",
    "REDIS_URI",
    "POSTGRES_URL",
    "POSTGRESQL_URL",
    "MONGODB_URI",
    "CONNECTION_STRING",
    "CONN_STR",
)
_PUBLIC_PREFIX: Final = "NEXT_PUBLIC_"


def looks_secret(name: str) -> bool:
    """Whether an env var name looks like it carries a secret.

    Secret-looking: a `_`-separated word containing SECRET, PASSWORD, PASSWD, TOKEN, DSN,
    PRIVATE or CREDENTIAL; a word that abbreviates one (SK, RK, PASS, PWD, PW, PASSPHRASE,
    CREDS, CRED, SALT, HMAC, JWT, PEM); a word ending in KEY or KEYS (API_KEY, APIKEY); a name
    ending in a connection URL (DATABASE_URL, DB_URL, REDIS_URL, POSTGRES_URL, MONGODB_URI,
    CONNECTION_STRING, ...: these URLs embed credentials). The name is only a hint: values are
    judged by their shape too (`credential_formats`).
    Not secret, by design: `..._PUBLISHABLE_KEY` (Stripe's publishable key is meant for the
    browser) and `NEXT_PUBLIC_..._URL` (public endpoints such as NEXT_PUBLIC_API_URL).
    """
    upper = name.upper()
    if upper.startswith(_PUBLIC_PREFIX) and upper.endswith("_URL"):
        return False
    words = [word for word in re.split(r"[^A-Z0-9]+", upper) if word]
    for index, word in enumerate(words):
        if any(secret in word for secret in _SECRET_WORDS) or word in _SECRET_ABBREVIATIONS:
            return True
        if word.endswith(("KEY", "KEYS")):
            publishable = index > 0 and words[index - 1] == "PUBLISHABLE"
            if not publishable:
                return True
    return any(upper.endswith(suffix) for suffix in _SECRET_SUFFIXES)
