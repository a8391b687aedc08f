"""`myhibachi:mapsKeys`: the two Google Maps API keys' generations; bumping one rotates that key.

The browser key (Maps JavaScript API) is restricted to the stack's own https referrers; the
server key (Geocoding and Places web services, which refuse referrer-restricted keys) is
restricted by API only. Each is rotated on its own.
"""

from __future__ import annotations

from settings.fields import integer, nested, section, setting


@section
class KeyGeneration:
    """A key's generation, part of its id, so a new generation replaces the key."""

    generation: int = setting("generation", integer(1, 999))


@section
class MapsKeySettings:
    """The browser key and the server key."""

    browser: KeyGeneration = setting("browser", nested(KeyGeneration))
    server: KeyGeneration = setting("server", nested(KeyGeneration))
