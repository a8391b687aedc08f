"""Values shaped like credentials, assembled at run time from harmless parts, so that no file of
the repository holds a credential-shaped literal. None of them is, or was, a real credential."""

from __future__ import annotations

import base64
import json

_BODY = "Ab3dEf6hIj9kLm2nOp5qRs8t"  # 24 alphanumerics, reused as the variable part


def b64url(document: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()


def stripe_live_secret_key() -> str:
    return "sk" + "_live_" + _BODY


def stripe_test_secret_key() -> str:
    return "sk" + "_test_" + _BODY


def stripe_restricted_key() -> str:
    return "rk" + "_live_" + _BODY


def stripe_webhook_secret() -> str:
    return "wh" + "sec_" + _BODY


def stripe_publishable_key() -> str:
    return "pk" + "_live_" + _BODY  # public by design: not a credential


def openai_project_key() -> str:
    return "sk" + "-proj-" + _BODY + "-" + _BODY


def openai_legacy_key() -> str:
    return "sk" + "-" + _BODY + _BODY


def google_api_key() -> str:
    return "AI" + "za" + "Sy" + _BODY + "01234-_89"


def aws_access_key_id() -> str:
    return "AK" + "IA" + "ABCDEFGH23456789"


def pem_private_key() -> str:
    return "\n".join(
        ["-----BEGIN " + "RSA PRIVATE" + " KEY-----", "MIIE" + _BODY * 2, "-----END RSA KEY-----"]
    )


def url_with_password() -> str:
    return "postgres://app:" + "Tr0ub4dor-3" + "@10.0.0.3:5432/app"


def jwt() -> str:
    header = b64url({"alg": "HS256", "typ": "JWT"})
    payload = b64url({"sub": "someone", "iat": 1700000000})
    return f"{header}.{payload}.{_BODY}"


ALL: dict[str, tuple[str, str]] = {
    # name: (value, the kind the pack reports)
    "stripe-live": (stripe_live_secret_key(), "a Stripe secret or restricted key"),
    "stripe-test": (stripe_test_secret_key(), "a Stripe secret or restricted key"),
    "stripe-restricted": (stripe_restricted_key(), "a Stripe secret or restricted key"),
    "stripe-webhook": (stripe_webhook_secret(), "a Stripe webhook signing secret"),
    "openai-project": (openai_project_key(), "an OpenAI API key"),
    "openai-legacy": (openai_legacy_key(), "an OpenAI API key"),
    "google": (google_api_key(), "a Google API key"),
    "aws": (aws_access_key_id(), "an AWS access key id"),
    "pem": (pem_private_key(), "a PEM private key"),
    "url": (url_with_password(), "a URL with an embedded password"),
    "jwt": (jwt(), "a JSON Web Token"),
}
