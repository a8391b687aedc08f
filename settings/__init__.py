"""Typed, validated stack settings: the one place that reads the stack's config."""

from settings.errors import SettingsError
from settings.load import load_settings, settings_from_runtime
from settings.model import (
    AlertSettings,
    CacheSettings,
    DatabaseSettings,
    DomainSettings,
    FeatureFlags,
    MaintenanceWindow,
    MapsKeySettings,
    SecretSettings,
    SecretSpec,
    StackSettings,
)

__all__ = [
    "AlertSettings",
    "CacheSettings",
    "DatabaseSettings",
    "DomainSettings",
    "FeatureFlags",
    "MaintenanceWindow",
    "MapsKeySettings",
    "SecretSettings",
    "SecretSpec",
    "SettingsError",
    "StackSettings",
    "load_settings",
    "settings_from_runtime",
]
