"""The policy gate: the unmodified policy pack, driven over the Analyzer protocol like the CLI.

One analyzer server per stack (the CLI starts one per `pulumi preview`), configured with
`policy/config/<stack>.json` the way `--policy-pack-config` applies it. Servers start in the
background as soon as the stacks are known, so their start-up overlaps the program's run.
"""

from __future__ import annotations

import threading
from pathlib import Path

from preflight.analyzer import (
    AnalyzerClient,
    AnalyzerError,
    PolicyConfigError,
    Resource,
)
from preflight.analyzer import Violation as AnalyzerViolation
from preflight.capture import Capture
from preflight.report import Violation

__all__ = ["AnalyzerError", "PolicyConfigError", "PolicyGate"]


class PolicyGate:
    """Policy servers for a set of stacks; use as a context manager."""

    def __init__(
        self, project_dir: Path, configs: dict[str, dict[str, str]], pack_dir: Path | None = None
    ) -> None:
        self.pack_dir = pack_dir or project_dir / "policy"
        self.config_dir = self.pack_dir / "config"
        self._clients = {
            stack: AnalyzerClient(self.pack_dir, stack=stack, program_config=values)
            for stack, values in configs.items()
        }
        self._errors: dict[str, BaseException] = {}
        self._threads = [
            threading.Thread(target=self._start, args=(stack,), daemon=True)
            for stack in self._clients
        ]
        for thread in self._threads:
            thread.start()

    def _start(self, stack: str) -> None:
        try:
            self._clients[stack].start()
        except BaseException as error:
            self._errors[stack] = error

    def __enter__(self) -> PolicyGate:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def evaluate(self, capture: Capture) -> list[Violation]:
        """Configure the stack's server from its config file and analyze every resource."""
        for thread in self._threads:
            thread.join()
        if capture.stack in self._errors:
            raise self._errors[capture.stack]
        client = self._clients[capture.stack]
        config_file = self.config_dir / f"{capture.stack}.json"
        if not config_file.is_file():
            raise PolicyConfigError(
                f"{config_file.relative_to(self.pack_dir.parent)}: no such file"
            )
        client.configure_stack()
        client.configure(client.load_config_file(config_file))
        resources = [
            Resource(
                type=r.type,
                name=r.name,
                properties=r.inputs,
                urn=r.urn,
                protect=r.protect,
                parent=r.parent,
                dependencies=r.dependencies,
            )
            for r in capture.resources
        ]
        found = [v for r in resources if _is_custom(capture, r) for v in client.analyze(r)]
        found += client.analyze_stack(resources)
        return [_violation(v) for v in found]

    def close(self) -> None:
        """Stop every server."""
        for thread in self._threads:
            thread.join()
        for client in self._clients.values():
            client.close()


def _is_custom(capture: Capture, resource: Resource) -> bool:
    return any(r.urn == resource.urn and r.custom for r in capture.resources)


def _violation(found: AnalyzerViolation) -> Violation:
    return Violation(
        policy=found.policy_name,
        level=found.enforcement_level,
        message=found.message,
        urn=found.urn,
        pack=found.policy_pack_name,
        description=found.description,
    )
