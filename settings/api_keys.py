"""`myhibachi:mapsKey`: the Google Maps API key's generation; bumping it rotates the key."""

from __future__ import annotations

from settings.fields import integer, section, setting


@section
class MapsKeySettings:
    """The key's generation, part of its id, so a new generation replaces the key."""

    generation: int = setting("generation", integer(1, 999))
