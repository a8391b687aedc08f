"""Which env var names look secret."""

from __future__ import annotations

import pytest

from policy.myhibachi_policy.helpers import looks_secret


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("STRIPE_SECRET_KEY", True),
        ("OPENAI_API_KEY", True),
        ("DATABASE_URL", True),
        ("REDIS_URL", True),
        ("SENTRY_DSN", True),
        ("DB_PASSWORD", True),
        ("JWT_PRIVATE_PEM", True),
        ("GOOGLE_CREDENTIALS", True),
        ("GITHUB_TOKEN", True),
        ("APIKEY", True),
        ("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", False),
        ("NEXT_PUBLIC_API_URL", False),
        ("NEXT_PUBLIC_APP_URL", False),
        ("LOG_LEVEL", False),
        ("FEATURE_FLAG_MATH_CAPTCHA", False),
        ("NEXT_PUBLIC_FEATURE_SMS_CONSENT", False),
        ("STRIPE_PUBLISHABLE_KEY", False),
    ],
)
def test_looks_secret(name: str, secret: bool) -> None:
    assert looks_secret(name) is secret
