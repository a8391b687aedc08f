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
        ("STRIPE_SK", True),
        ("DB_PASS", True),
        ("SMTP_PWD", True),
        ("GCP_CREDS", True),
        ("SESSION_SALT", True),
        ("POSTGRES_URL", True),
        ("DB_URL", True),
        ("MONGODB_URI", True),
        ("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", False),
        ("NEXT_PUBLIC_API_URL", False),
        ("NEXT_PUBLIC_APP_URL", False),
        ("LOG_LEVEL", False),
        ("FEATURE_FLAG_MATH_CAPTCHA", False),
        ("NEXT_PUBLIC_FEATURE_SMS_CONSENT", False),
        ("STRIPE_PUBLISHABLE_KEY", False),
        ("APP_CONFIG", False),  # a name says nothing: the value's shape is judged too
        ("PASSENGER_COUNT", False),
        ("SKU_LIST", False),
    ],
)
def test_looks_secret(name: str, secret: bool) -> None:
    assert looks_secret(name) is secret
