"""`myhibachi:featureFlags`: every flag the applications read, set explicitly per stack.

Frontend flags render as `NEXT_PUBLIC_FEATURE_<NAME>` (Vercel), backend flags as
`FEATURE_FLAG_<NAME>` (the API); a name outside these sets is a typo, not a new flag.
"""

from __future__ import annotations

from collections.abc import Mapping

from settings.fields import boolean, map_of, section, setting

FRONTEND_FLAGS: tuple[str, ...] = (
    "2FA_VERIFICATION",
    "AI_BOOKING_V3",
    "MATH_CAPTCHA",
    "SMS_CONSENT",
)
BACKEND_FLAGS: tuple[str, ...] = ("AI_BOOKING_V3", "AUDIT_LOGGING", "TRAVEL_FEE_V2")
_EXPLICIT = "set every flag explicitly per stack"


@section
class FeatureFlags:
    """Feature flags per application."""

    backend: Mapping[str, bool] = setting(
        "backend", map_of(boolean(), BACKEND_FLAGS, what="feature flag", missing=_EXPLICIT)
    )
    frontend: Mapping[str, bool] = setting(
        "frontend", map_of(boolean(), FRONTEND_FLAGS, what="feature flag", missing=_EXPLICIT)
    )

    def backend_env(self) -> dict[str, str]:
        """Backend flags as the API reads them (`FEATURE_FLAG_<NAME>`)."""
        return {f"FEATURE_FLAG_{k}": _flag(v) for k, v in sorted(self.backend.items())}

    def frontend_env(self) -> dict[str, str]:
        """Frontend flags as Next.js reads them (`NEXT_PUBLIC_FEATURE_<NAME>`)."""
        return {f"NEXT_PUBLIC_FEATURE_{k}": _flag(v) for k, v in sorted(self.frontend.items())}


def _flag(value: bool) -> str:
    return "true" if value else "false"
