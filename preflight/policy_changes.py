"""What a change does to the policy gate itself: its config file and its pack, against the base.

Both configs are reconciled as the CLI reconciles them (`preflight.policy_config`: defaults,
`all`, per-policy entries), each with its own pack's policies, so a default changed in the pack
or an entry removed from the file shows as the effective change it is. Each difference is
judged by `preflight.policy_directions`: weaker, stricter, or changed (not judged).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from preflight.policy_config import (
    PolicyConfig,
    PolicyConfigError,
    PolicySummary,
    parse_policy_config,
    reconcile_policy_config,
)
from preflight.policy_directions import Verdict, judge_level, judge_property

LEVEL = "enforcementLevel"
POLICY = "(policy)"


@dataclass(frozen=True)
class PolicySettingChange:
    """One effective difference in one policy's config; None stands for absent."""

    policy: str
    setting: str
    """`enforcementLevel`, a config property, or `(policy)` for a policy added or removed."""
    old: Any
    new: Any
    verdict: Verdict
    why: str

    @property
    def weaker(self) -> bool:
        """The change loosens the policy."""
        return self.verdict == "weaker"

    def describe(self) -> str:
        """`minRetainedBackups: 30 => 7 (weaker: a lower floor)`; lists by element."""
        if isinstance(self.old, list) and isinstance(self.new, list):
            added = [json.dumps(item) for item in self.new if item not in self.old]
            removed = [json.dumps(item) for item in self.old if item not in self.new]
            parts = [f"+ {item}" for item in added] + [f"- {item}" for item in removed]
            change = ", ".join(parts) or "reordered"
        else:
            change = f"{_shown(self.old)} => {_shown(self.new)}"
        return f"{self.setting}: {change} ({self.verdict}: {self.why})"


@dataclass(frozen=True)
class PolicyChanges:
    """A stack's policy config changes, and the pack files that differ, against the base."""

    config_file: str
    files: tuple[str, ...] = ()
    settings: tuple[PolicySettingChange, ...] = ()

    @property
    def weakened(self) -> list[PolicySettingChange]:
        """The changes that loosen a policy."""
        return [change for change in self.settings if change.weaker]

    def __bool__(self) -> bool:
        return bool(self.files or self.settings)


def compare_policy_configs(
    base_text: str | None,
    head_text: str | None,
    base_policies: Sequence[PolicySummary],
    head_policies: Sequence[PolicySummary],
    source: str,
) -> list[PolicySettingChange]:
    """Every effective difference from the base's config to this checkout's, judged."""
    try:
        before = _effective(base_text, base_policies, f"{source} (base)")
    except PolicyConfigError as error:
        return [PolicySettingChange("(file)", POLICY, None, None, "changed", f"base: {error}")]
    after = _effective(head_text, head_policies, source)
    changes: list[PolicySettingChange] = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if new is None:
            assert old is not None
            if old.enforcement_level != "disabled":
                changes.append(
                    PolicySettingChange(
                        name, POLICY, old.enforcement_level, None, "weaker", "removed from the pack"
                    )
                )
            continue
        if old is None:
            verdict: Verdict = "stricter" if new.enforcement_level != "disabled" else "changed"
            changes.append(
                PolicySettingChange(
                    name, POLICY, None, new.enforcement_level, verdict, "added to the pack"
                )
            )
            continue
        if old.enforcement_level != new.enforcement_level:
            verdict, why = judge_level(old.enforcement_level, new.enforcement_level)
            changes.append(
                PolicySettingChange(
                    name, LEVEL, old.enforcement_level, new.enforcement_level, verdict, why
                )
            )
        for key in sorted(set(old.properties) | set(new.properties)):
            was, now = old.properties.get(key), new.properties.get(key)
            if was != now:
                verdict, why = judge_property(key, was, now)
                changes.append(PolicySettingChange(name, key, was, now, verdict, why))
    return changes


def _effective(
    text: str | None, policies: Sequence[PolicySummary], source: str
) -> Mapping[str, PolicyConfig]:
    raw = parse_policy_config(text or "", source)
    return reconcile_policy_config(policies, raw, source)


def _shown(value: Any) -> str:
    if value is None:
        return "(absent)"
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 120 else text[:117] + "..."


__all__ = ["PolicyChanges", "PolicySettingChange", "compare_policy_configs"]
