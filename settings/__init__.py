"""Typed, validated stack settings: the one place that reads the stack's config.

Each area's settings live in the module named like the component they feed
(`settings/database.py` feeds `components/database.py`); `settings/stack.py` composes them.
"""

from settings.errors import SettingsError
from settings.stack import StackSettings, load_settings, settings_from_runtime

__all__ = ["SettingsError", "StackSettings", "load_settings", "settings_from_runtime"]
