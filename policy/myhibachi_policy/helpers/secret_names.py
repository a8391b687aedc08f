"""Which env var names look like they carry a secret."""

from __future__ import annotations

import re
from typing import Final

_SECRET_WORDS: Final = ("SECRET", "PASSWORD", "PASSWD", "TOKEN", "DSN", "PRIVATE", "CREDENTIAL")
_SECRET_SUFFIXES: Final = ("DATABASE_URL", "REDIS_URL", "CONNECTION_STRING")
_PUBLIC_PREFIX: Final = "NEXT_PUBLIC_"


def looks_secret(name: str) -> bool:
    """Whether an env var name looks like it carries a secret.

    Secret-looking: a `_`-separated word containing SECRET, PASSWORD, PASSWD, TOKEN, DSN,
    PRIVATE or CREDENTIAL; a word ending in KEY or KEYS (API_KEY, APIKEY); a name ending in
    DATABASE_URL, REDIS_URL or CONNECTION_STRING (these URLs embed credentials).
    Not secret, by design: `..._PUBLISHABLE_KEY` (Stripe's publishable key is meant for the
    browser) and `NEXT_PUBLIC_..._URL` (public endpoints such as NEXT_PUBLIC_API_URL).
    """
    upper = name.upper()
    if upper.startswith(_PUBLIC_PREFIX) and upper.endswith("_URL"):
        return False
    words = [word for word in re.split(r"[^A-Z0-9]+", upper) if word]
    for index, word in enumerate(words):
        if any(secret in word for secret in _SECRET_WORDS):
            return True
        if word.endswith(("KEY", "KEYS")):
            publishable = index > 0 and words[index - 1] == "PUBLISHABLE"
            if not publishable:
                return True
    return any(upper.endswith(suffix) for suffix in _SECRET_SUFFIXES)
