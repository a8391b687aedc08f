"""Address ranges that admit the whole internet, as database authorized networks write them."""

from __future__ import annotations

from typing import Final

OPEN_NETWORKS: Final = frozenset({"0.0.0.0/0", "::/0", "0.0.0.0"})


def admits_everyone(cidr: str | None) -> bool:
    """Whether an authorized network's range is the whole internet (0.0.0.0/0, ::/0)."""
    return cidr is not None and cidr.strip() in OPEN_NETWORKS
