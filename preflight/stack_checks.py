"""Sanity checks on a stack file as a file, before the program runs.

The settings judge each value the program reads; these judge what the program cannot see under
the CLI: the other stack files next to this one, whether a value was `secure:` in the file, and
provider keys the program never reads. Errors are one-line `StackFileError`s (exit 2):

- two stacks never share a Google Cloud project or a state location (`backend.url`): a preview
  of one would show, and a deploy would change, the other's resources;
- a provider credential (`gcp:credentials`, `cloudflare:apiToken`, `vercel:apiToken`...) is
  never plain text in a stack file: the stack files are in the repository;
- `gcp:region` is a region Google Cloud has (`preflight.gcp_regions`).

The Cloudflare placeholder zone id (`myhibachi:edge.zoneId` as the stack files once shipped it;
they now leave the id out and the program looks the zone up by name) is a finding of the gate
(`preflight.change_findings`): reported while pinned, blocking when a change puts it in
production; the program's settings refuse it in production before any resource is declared.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Final

from preflight.gcp_regions import GCP_REGIONS
from preflight.stack_file import (
    StackConfig,
    StackFileError,
    read_stack_document,
    stack_file_name,
)

PROJECT_NAMESPACE: Final = "myhibachi"
PLACEHOLDER_ZONE_ID: Final = "0123456789abcdef0123456789abcdef"
ZONE_ID_KEY: Final = "myhibachi:edge.zoneId"
# Provider config keys that hold a credential, by name; the list of each provider's schema.
_CREDENTIAL_NAME: Final = re.compile(
    r"(?i).*(credential|token|secret|password|passwd|apikey|api_key|privatekey|private_key"
    r"|servicekey|service_key|accesskey|access_key).*"
)


def check_stack(config: StackConfig, *project_dirs: Path) -> None:
    """Raise a StackFileError for a harmful stack file.

    The other stacks are the stack files in `project_dirs` (the stack file's own directory,
    and the project's when the file was given from elsewhere).
    """
    name = stack_file_name(config.stack)
    _check_credentials(name, config)
    _check_region(name, config)
    for project_dir in dict.fromkeys(path.resolve() for path in project_dirs):
        _check_apart(project_dir, config)


def zone_id(values: dict[str, str]) -> str | None:
    """`myhibachi:edge.zoneId` from a stack's flat config, if set."""
    try:
        edge = json.loads(values.get("myhibachi:edge", "null"))
    except ValueError:
        return None
    value = edge.get("zoneId") if isinstance(edge, dict) else None
    return value if isinstance(value, str) else None


def _check_credentials(name: str, config: StackConfig) -> None:
    for key in config.values:
        namespace, _, setting = key.partition(":")
        if namespace == PROJECT_NAMESPACE or key in config.secret_keys:
            continue
        if _CREDENTIAL_NAME.fullmatch(setting):
            raise StackFileError(
                f"{name}: {key}: a provider credential in plain text; keep it out of the stack "
                f"file (the provider's environment variable), or encrypt it: "
                f"pulumi config set --secret {key}"
            )


def _check_region(name: str, config: StackConfig) -> None:
    region = config.values.get("gcp:region")
    if region is None or region in GCP_REGIONS:
        return
    close = [known for known in GCP_REGIONS if _near(region, known)]
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise StackFileError(
        f"{name}: gcp:region: '{region}' is not a Google Cloud region{hint}; "
        "the known ones are in preflight/gcp_regions.py"
    )


def _near(typed: str, known: str) -> bool:
    """One character added, dropped or changed."""
    if abs(len(typed) - len(known)) > 1:
        return False
    import difflib

    return difflib.SequenceMatcher(None, typed, known).ratio() >= 0.9


def _check_apart(project_dir: Path, config: StackConfig) -> None:
    name = stack_file_name(config.stack)
    project = config.values.get("gcp:project")
    shared = _project_backend(project_dir)
    if shared is not None:
        raise StackFileError(
            f"Pulumi.yaml: backend.url: every stack would keep its state at {shared}; each stack "
            "has its own state bucket (pulumi login gs://<bucket> per stack, "
            "docs/runbooks/bootstrap.md)"
        )
    for other in sorted(project_dir.glob("Pulumi.*.yaml")):
        if other.name == name or other.name.count(".") != 2:
            continue
        try:
            document = read_stack_document(other)
        except (StackFileError, OSError):
            continue  # its own preview reports it
        other_config = document.get("config") or {}
        if project is not None and other_config.get("gcp:project") == project:
            raise StackFileError(
                f"{name}: gcp:project: '{project}' is also the project of {other.name}; "
                "each stack has a project of its own"
            )
        backend = document.get("backend")
        other_url = backend.get("url") if isinstance(backend, dict) else None
        if config.backend_url is not None and other_url == config.backend_url:
            raise StackFileError(
                f"{name}: backend.url: '{config.backend_url}' is also the state location of "
                f"{other.name}; each stack keeps its state apart"
            )


def _project_backend(project_dir: Path) -> str | None:
    path = project_dir / "Pulumi.yaml"
    if not path.is_file():
        return None
    try:
        document = read_stack_document(path)
    except StackFileError:
        return None
    backend = document.get("backend")
    url = backend.get("url") if isinstance(backend, dict) else None
    return url if isinstance(url, str) and url else None
