"""Generate `preflight/tfplan/gcp_fields.json`, the part of pulumi-gcp's bridge metadata that the
Terraform plan export needs: for each Google Cloud type the program declares (both stacks), its
Terraform resource type and the shape of its list and block attributes, with their Pulumi names.

    .venv/bin/python scripts/tfplan_fields.py                    # rewrite the file
    .venv/bin/python scripts/tfplan_fields.py --check            # exit 1 when it is out of date
    .venv/bin/python scripts/tfplan_fields.py --metadata FILE    # read the full metadata from FILE

The full metadata is the provider's `provider/cmd/pulumi-resource-gcp/bridge-metadata.json` (3 MB,
not kept here). It is looked up in `$PULUMI_GCP_BRIDGE_METADATA`, then
`data/pulumi-gcp-bridge-metadata.json` and `shared/data/pulumi-gcp-bridge-metadata.json` in this
checkout or any folder above it. Exit codes: 0 done or current, 1 out of date, 2 bad input.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from scripts.bridge_names import pulumi_names  # noqa: E402 - after the path is set

OUTPUT = PROJECT_DIR / "preflight" / "tfplan" / "gcp_fields.json"
METADATA_NAME = "pulumi-gcp-bridge-metadata.json"
METADATA_ENV = "PULUMI_GCP_BRIDGE_METADATA"
STACKS = ("staging", "production")
GCP_PREFIX = "gcp:"


class InputError(Exception):
    """Bad input; the message is one line naming the file and the problem."""


def find_metadata() -> Path | None:
    """The full bridge metadata file, where this checkout can see one."""
    if os.environ.get(METADATA_ENV):
        return Path(os.environ[METADATA_ENV])
    for folder in (PROJECT_DIR, *PROJECT_DIR.parents):
        for candidate in (folder / "data" / METADATA_NAME, folder / "shared/data" / METADATA_NAME):
            if candidate.is_file():
                return candidate
    return None


def declared_gcp_types() -> set[str]:
    """Every Google Cloud resource type the program declares, on any stack."""
    from preflight.capture import capture_stack

    return {
        resource.type
        for stack in STACKS
        for resource in capture_stack(PROJECT_DIR, stack).resources
        if resource.custom and resource.type.startswith(GCP_PREFIX)
    }


def _fields(metadata_path: Path, where: str, fields: Any) -> dict[str, Any]:
    if not isinstance(fields, dict):
        raise InputError(f"{metadata_path}: {where}.fields: expected an object")
    shaped: dict[str, Any] = {}
    for tf_name, field in sorted(fields.items()):
        max_items_one = field.get("maxItemsOne") if isinstance(field, dict) else None
        if not isinstance(max_items_one, bool):
            raise InputError(f"{metadata_path}: {where}.{tf_name}.maxItemsOne: expected a boolean")
        entry: dict[str, Any] = {
            "maxItemsOne": max_items_one,
            "pulumi": pulumi_names(tf_name, max_items_one),
        }
        nested = field.get("elem", {}).get("fields")
        if nested:
            entry["fields"] = _fields(metadata_path, f"{where}.{tf_name}", nested)
        shaped[tf_name] = entry
    return shaped


def build(metadata_path: Path, tokens: set[str]) -> dict[str, Any]:
    """The trimmed document for these Pulumi type tokens."""
    try:
        raw = metadata_path.read_bytes()
        resources = json.loads(raw)["auto-aliasing"]["resources"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"{metadata_path}: auto-aliasing.resources: {error}") from error
    by_token = {entry.get("current"): tf_type for tf_type, entry in resources.items()}
    missing = sorted(tokens - by_token.keys())
    if missing:
        raise InputError(f"{metadata_path}: no Terraform type for {', '.join(missing)}")
    document: dict[str, Any] = {
        "generatedBy": "scripts/tfplan_fields.py",
        "source": {"file": METADATA_NAME, "sha256": hashlib.sha256(raw).hexdigest()},
        "resources": {},
    }
    for token in sorted(tokens):
        tf_type = by_token[token]
        where = f"auto-aliasing.resources.{tf_type}"
        document["resources"][token] = {
            "type": tf_type,
            "fields": _fields(metadata_path, where, resources[tf_type].get("fields", {})),
        }
    return document


def render(document: dict[str, Any]) -> str:
    """Stable text: sorted keys, one field per line, so a regeneration diffs cleanly."""
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Regenerate or check; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    parser.add_argument("--metadata", type=Path, help=f"the full {METADATA_NAME}")
    args = parser.parse_args(argv)
    metadata_path: Path | None = args.metadata or find_metadata()
    if metadata_path is None:
        print(f"error: {METADATA_NAME}: not found; pass --metadata or set {METADATA_ENV}")
        return 2
    try:
        text = render(build(metadata_path, declared_gcp_types()))
    except InputError as error:
        print(f"error: {error}")
        return 2
    relative = OUTPUT.relative_to(PROJECT_DIR)
    if args.check:
        if not OUTPUT.is_file() or OUTPUT.read_text() != text:
            print(f"{relative} is out of date: run .venv/bin/python scripts/tfplan_fields.py")
            return 1
        print(f"{relative} is current")
        return 0
    OUTPUT.write_text(text)
    print(f"wrote {relative}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
