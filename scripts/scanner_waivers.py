"""Read `policy/scanner-waivers.yaml`: the scanner checks the project accepts, and why.

Each waiver names a check ID, its reason and what covers it: pack policies (`policies`), a design
decision (`decision`) or nothing yet (`open`, with what would close it). Bad input is one line
naming the file, the key and the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

COVER_KINDS = ("policies", "decision", "open")
_CHECK_ID = re.compile(r"CKV2?_[A-Z0-9]+_\d+")
_KEYS = {"check", "title", "reason", "covered_by"}


class WaiverError(Exception):
    """The waivers file is unreadable or malformed; the message is one line."""


@dataclass(frozen=True)
class Waiver:
    """One accepted check."""

    check: str
    reason: str
    cover_kind: str
    cover: tuple[str, ...]
    title: str = ""

    @property
    def covered_by(self) -> str:
        """`policies: a, b`, `decision: ...` or `open: ...`, for reports."""
        return f"{self.cover_kind}: {', '.join(self.cover)}"


def load_waivers(path: Path) -> dict[str, Waiver]:
    """The waivers by check ID."""
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        problem = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise WaiverError(f"{path}: cannot read: {problem}") from error
    if not isinstance(document, dict) or not isinstance(document.get("waivers"), list):
        raise WaiverError(f"{path}: waivers: expected a list of waivers")
    waivers: dict[str, Waiver] = {}
    for index, entry in enumerate(document["waivers"]):
        waiver = _waiver(path, f"waivers[{index}]", entry)
        if waiver.check in waivers:
            raise WaiverError(f"{path}: waivers[{index}].check: {waiver.check} is waived twice")
        waivers[waiver.check] = waiver
    return waivers


def _waiver(path: Path, where: str, entry: Any) -> Waiver:
    if not isinstance(entry, dict):
        raise WaiverError(f"{path}: {where}: expected a mapping with check, reason, covered_by")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise WaiverError(f"{path}: {where}.{unknown[0]}: unknown key")
    check = _text(path, f"{where}.check", entry.get("check"))
    if not _CHECK_ID.fullmatch(check):
        raise WaiverError(f"{path}: {where}.check: not a Checkov check ID: {check}")
    reason = _text(path, f"{where}.reason", entry.get("reason"))
    title = _text(path, f"{where}.title", entry.get("title", "-"))
    cover = entry.get("covered_by")
    if not isinstance(cover, dict) or len(cover) != 1 or next(iter(cover)) not in COVER_KINDS:
        kinds = ", ".join(COVER_KINDS)
        raise WaiverError(f"{path}: {where}.covered_by: expected exactly one of {kinds}")
    kind, value = next(iter(cover.items()))
    if kind == "policies":
        if not isinstance(value, list) or not value:
            raise WaiverError(f"{path}: {where}.covered_by.policies: expected a list of names")
        names = tuple(_text(path, f"{where}.covered_by.policies", name) for name in value)
    else:
        names = (_text(path, f"{where}.covered_by.{kind}", value),)
    return Waiver(check, reason, kind, names, "" if title == "-" else title)


def _text(path: Path, where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise WaiverError(f"{path}: {where}: expected a non-empty string")
    return " ".join(value.split())
