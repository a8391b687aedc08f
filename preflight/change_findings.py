"""The gate's own findings, decided on the change against the base, each with how to fix it.

- **Destroying what is protected.** Replacing or deleting a resource the base protects blocks
  (mandatory) in every stack: Pulumi's `protect`, the provider's deletion protection
  (`deletionProtection: true`), or a stateful resource (database, Redis, bucket, secret) in a
  stack whose base sets `myhibachi:protectStatefulResources: true`. A stateful resource the base
  leaves unprotected is reported (advisory): its data goes too. To do it on purpose: a rename
  keeps the resource with an alias; a real replacement is two reviewed changes, the first of
  which lifts the protection (so the second's base no longer has it).
- **Weakening the policy.** A policy config change the base compares laxer
  (`preflight.policy_changes`) blocks in production and is reported elsewhere.
- **The placeholder zone id.** A stack file that pins `myhibachi:edge.zoneId` to the placeholder
  the stack files once shipped with is reported; introducing it where the base had none or a
  real one blocks in production (where the program's settings refuse it anyway, exit 2).

Findings are `Violation`s of the pack `preflight`, so every format lists them with the pack's.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from preflight.capture import Capture
from preflight.code_places import declared_in
from preflight.diff import ResourceChange
from preflight.findings import Violation
from preflight.policy_changes import PolicyChanges
from preflight.report import ADVISORY, MANDATORY
from preflight.stack_checks import PLACEHOLDER_ZONE_ID, ZONE_ID_KEY, zone_id
from preflight.stack_file import stack_file_name
from preflight.urns import display_type
from preflight.value_diff import value_changes

GATE_PACK: Final = "preflight"
DESTROYS_PROTECTED: Final = "preflight-protected-resource-destroyed"
DESTROYS_STATEFUL: Final = "preflight-stateful-resource-destroyed"
POLICY_WEAKENED: Final = "preflight-policy-weakened"
PLACEHOLDER_ZONE: Final = "preflight-placeholder-zone-id"
PRODUCTION_STACKS: Final = frozenset({"production"})
PROTECT_SWITCH: Final = "myhibachi:protectStatefulResources"


def config_changes(base: Mapping[str, str], head: Mapping[str, str]) -> list[str]:
    """The stack-file keys (`myhibachi:database.tier`, `gcp:region`) a change sets or removes."""
    return [change.path for change in value_changes(_decoded(base), _decoded(head))]


def destructive_findings(
    project_dir: Path,
    stack: str,
    changes: Sequence[ResourceChange],
    *,
    base: Capture | None,
    head: Capture,
    base_config: Mapping[str, str],
    head_config: Mapping[str, str],
) -> list[Violation]:
    """One finding per replacement or deletion of something protected or stateful."""
    stack_file = stack_file_name(stack)
    switch_on = base_config.get(PROTECT_SWITCH) == "true"
    keys = config_changes(base_config, head_config)
    created = [c for c in changes if c.operation == "create"]
    found = []
    for change in changes:
        if not change.dangerous:
            continue
        guards = [
            guard
            for guard, on in (
                ("protect", change.protected),
                ("deletion protection", change.deletion_protected),
                (f"{PROTECT_SWITCH}: true", change.stateful and switch_on),
            )
            if on
        ]
        place = declared_in(project_dir, change.urn, head, base) or "components/"
        what = f"{display_type(change.type)} {change.name}"
        verb = "replaces" if change.operation == "replace" else "deletes"
        reasons = f" [diff: {', '.join(change.replace_reasons)}]" if change.replace_reasons else ""
        loss = "; its data would be lost" if change.stateful else ""
        if guards:
            message = f"{verb} {what}{reasons}, which is protected ({', '.join(guards)}){loss}."
        else:
            message = f"{verb} {what}{reasons}{loss} (unprotected in this stack)."
        fix = _fix(change, place, stack_file=stack_file, keys=keys, created=created, guards=guards)
        found.append(
            Violation(
                policy=DESTROYS_PROTECTED if guards else DESTROYS_STATEFUL,
                level=MANDATORY if guards else ADVISORY,
                message=message,
                urn=change.urn,
                pack=GATE_PACK,
                fix=fix,
            )
        )
    return found


def _fix(
    change: ResourceChange,
    place: str,
    *,
    stack_file: str,
    keys: list[str],
    created: list[ResourceChange],
    guards: list[str],
) -> str:
    parts = []
    renamed = _rename_candidate(change, created) if change.operation == "delete" else None
    if renamed is not None:
        parts.append(
            f"If {renamed.name} is this resource renamed, keep it with an alias so nothing is "
            f'replaced: aliases=[pulumi.Alias(name="{change.name}")] in its ResourceOptions '
            f"({place}; a renamed component and each child whose name changes need one)."
        )
    elif change.operation == "delete":
        parts.append(f"It is no longer declared ({place}, or the list in {stack_file}).")
    elif keys:
        parts.append(f"This change sets {', '.join(keys[:4])} in {stack_file}.")
    else:
        parts.append(f"The replacement comes from {place}.")
    if guards:
        lifts = []
        if change.protected or PROTECT_SWITCH in " ".join(guards):
            lifts.append(f"{PROTECT_SWITCH}: false in {stack_file}")
        if change.deletion_protected:
            lifts.append(f"deletionProtection: false where {place} sets it")
        parts.append(
            f"To {'replace' if change.operation == 'replace' else 'delete'} it on purpose, first "
            f"land a separate reviewed change that lifts its protection ({'; '.join(lifts)}), "
            "then this one."
        )
    else:
        parts.append("Nothing guards it in this stack: make sure its data can go.")
    return " ".join(parts)


def _rename_candidate(
    deleted: ResourceChange, created: list[ResourceChange]
) -> ResourceChange | None:
    """The created resource of the same type whose name is closest to the deleted one's."""
    same_type = [c for c in created if c.type == deleted.type]
    if not same_type:
        return None
    return max(same_type, key=lambda c: difflib.SequenceMatcher(None, c.name, deleted.name).ratio())


def policy_findings(stack: str, changes: PolicyChanges | None) -> list[Violation]:
    """One finding per policy config setting the change loosens."""
    if changes is None:
        return []
    blocking = stack in PRODUCTION_STACKS
    return [
        Violation(
            policy=POLICY_WEAKENED,
            level=MANDATORY if blocking else ADVISORY,
            message=f"{setting.policy}: {setting.describe()}.",
            pack=GATE_PACK,
            subject=changes.config_file,
            fix=(
                f"Keep the stricter setting in {changes.config_file}, or get this change approved: "
                "a reviewed change to the policy config must be approved by the code owners of "
                "policy/ (.github/CODEOWNERS)"
                + ("." if blocking else "; in production it would block.")
            ),
        )
        for setting in changes.weakened
    ]


def placeholder_findings(
    stack: str, base_config: Mapping[str, str] | None, head_config: Mapping[str, str]
) -> list[Violation]:
    """The Cloudflare placeholder zone id: reported while pinned, blocking when a change brings
    it to production. A stack file without `zoneId` looks the zone up by its name."""
    if zone_id(dict(head_config)) != PLACEHOLDER_ZONE_ID:
        return []
    stack_file = stack_file_name(stack)
    introduced = base_config is not None and zone_id(dict(base_config)) != PLACEHOLDER_ZONE_ID
    blocking = introduced and stack in PRODUCTION_STACKS
    production = stack in PRODUCTION_STACKS
    return [
        Violation(
            policy=PLACEHOLDER_ZONE,
            level=MANDATORY if blocking else ADVISORY,
            message=(
                f"{ZONE_ID_KEY} is the placeholder zone id"
                + (" (this change puts it back)" if introduced else "")
                + (
                    ": the program refuses it in production."
                    if production
                    else ": Cloudflare resources cannot deploy with it."
                )
            ),
            pack=GATE_PACK,
            subject=stack_file,
            fix=(
                f"Remove zoneId from myhibachi:edge in {stack_file} to look the zone up by its "
                "name (myhibachi:domain.zone), or set it to the zone's real id "
                "(Cloudflare dashboard > Overview > Zone ID)."
            ),
        )
    ]


def with_code_places(
    project_dir: Path, violations: Sequence[Violation], capture: Capture
) -> list[Violation]:
    """The pack's violations with the module declaring each resource added to their fix."""
    placed = []
    for violation in violations:
        place = declared_in(project_dir, violation.urn, capture) if violation.urn else None
        if place and violation.pack != GATE_PACK and place not in violation.fix:
            fix = f"{violation.fix.rstrip('.')} ({place})." if violation.fix else f"See {place}."
            placed.append(replace(violation, fix=fix))
        else:
            placed.append(violation)
    return placed


def _decoded(config: Mapping[str, str]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for key, value in config.items():
        try:
            decoded[key] = json.loads(value)
        except ValueError:
            decoded[key] = value
    return decoded
