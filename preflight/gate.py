"""The policy gate: the unmodified policy pack, driven over the Analyzer protocol like the CLI.

One analyzer server per stack (the CLI starts one per `pulumi preview`), configured with
`policy/config/<stack>.json` the way `--policy-pack-config` applies it. As in the engine, each
resource is analyzed as soon as the program registers it and the stack policies as soon as the
program ends: servers start in the background when the stacks are known, and analysis runs in
the servers' processes while this process goes on with the next stack.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from preflight.analyzer import AnalyzerClient, Resource
from preflight.capture import Capture, CapturedResource
from preflight.findings import Findings
from preflight.policy_config import PolicyConfigError, PolicySummary, read_policy_config

Pending = Callable[[], Findings]


def _resource(captured: CapturedResource) -> Resource:
    return Resource(
        type=captured.type,
        name=captured.name,
        properties=captured.inputs,
        urn=captured.urn,
        protect=captured.protect,
        parent=captured.parent,
        dependencies=captured.dependencies,
    )


class _StackSession:
    """One stack's server: started and configured in the background, fed as resources arrive."""

    def __init__(self, client: AnalyzerClient, config_file: Path, config_name: str) -> None:
        self.client = client
        self.config_file = config_file
        self.config_name = config_name
        self._lock = threading.Lock()
        self._ready = False
        self._backlog: list[CapturedResource] = []
        self._pending: list[Pending] = []
        # The whole capture once its program has ended, and its stack policies' findings.
        self._concluded: Capture | None = None
        self._stack_pending: Pending | None = None
        self._error: BaseException | None = None
        self._received = 0
        self._thread = threading.Thread(target=self._prepare, daemon=True)

    def start(self) -> None:
        """Boot and configure the server in the background (once)."""
        if self._thread.ident is None:
            self._thread.start()

    def _prepare(self) -> None:
        try:
            if not self.config_file.is_file():
                raise PolicyConfigError(f"{self.config_name}: no such file")
            self.client.start()
            self.client.configure_stack()
            policies = self.client.analyzer_info().policies
            self.client.configure(read_policy_config(self.config_file, policies))
        except BaseException as error:  # re-raised by finish(), on the main thread
            self._error = error
        with self._lock:
            self._ready = True
            backlog, self._backlog = self._backlog, []
            concluded = self._concluded
        for resource in backlog:
            self._send(resource)
        if concluded is not None:
            self._send_stack(concluded)

    def submit(self, resource: CapturedResource) -> None:
        """Analyze a custom resource now, or as soon as the server is configured."""
        if not resource.custom:
            return
        self._received += 1
        with self._lock:
            if not self._ready:
                self._backlog.append(resource)
                return
        self._send(resource)

    def _send(self, resource: CapturedResource) -> None:
        if self._error is None:
            self._pending.append(self.client.analyze_async(_resource(resource)))

    def conclude(self, capture: Capture) -> None:
        """The program has ended: the stack policies run now, or once the server is ready."""
        if self._concluded is not None:
            return
        self.start()
        if not self._received:
            # The capture did not stream (a capture made elsewhere): analyze it all now.
            for resource in capture.resources:
                self.submit(resource)
        with self._lock:
            self._concluded = capture
            if not self._ready:
                return
        self._send_stack(capture)

    def _send_stack(self, capture: Capture) -> None:
        if self._error is None:
            resources = [_resource(r) for r in capture.resources]
            self._stack_pending = self.client.analyze_stack_async(resources)

    def finish(self, capture: Capture) -> Findings:
        """Every resource's findings, then the stack policies' over all resources."""
        self.conclude(capture)
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._stack_pending is not None  # sent by conclude() or by _prepare()
        per_resource = [result() for result in self._pending]
        return Findings.merged([*per_resource, self._stack_pending()])

    def close(self) -> None:
        """Wait for start-up to end, then stop the server."""
        if self._thread.ident is not None:
            self._thread.join()
        self.client.close()


class PolicyGate:
    """Policy servers for a set of stacks; use as a context manager."""

    def __init__(
        self, project_dir: Path, configs: dict[str, dict[str, str]], pack_dir: Path | None = None
    ) -> None:
        self.pack_dir = (pack_dir or project_dir / "policy").resolve()
        self._sessions = {
            stack: _StackSession(
                AnalyzerClient(self.pack_dir, stack=stack, program_config=values),
                self.pack_dir / "config" / f"{stack}.json",
                f"{self.pack_dir.name}/config/{stack}.json",
            )
            for stack, values in configs.items()
        }
        # Every server boots now, while the first program runs: a later stack's server is then
        # ready for its resources as they come instead of queuing them behind its start-up.
        for session in self._sessions.values():
            session.start()

    def __enter__(self) -> PolicyGate:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def listener(self, stack: str) -> Callable[[CapturedResource], None]:
        """What the capture calls for each registration of this stack."""
        session = self._sessions[stack]
        session.start()
        return session.submit

    def conclude(self, capture: Capture) -> None:
        """The stack's program has ended: its stack policies start while the next one runs."""
        self._sessions[capture.stack].conclude(capture)

    def evaluate(self, capture: Capture) -> Findings:
        """The stack's findings, sorted, each violation with its policy's remediation as `fix`;
        resources not streamed yet are analyzed now."""
        session = self._sessions[capture.stack]
        found = session.finish(capture)
        remediation = {p.name: p.remediation_steps for p in self.policies(capture.stack)}
        violations = [
            replace(v, fix=v.fix or remediation.get(v.policy, "")) for v in found.violations
        ]
        return Findings(
            tuple(sorted(violations, key=lambda v: (v.urn, v.policy, v.message))),
            tuple(sorted(found.not_applicable, key=lambda n: (n.urn, n.policy, n.reason))),
        )

    def policies(self, stack: str) -> tuple[PolicySummary, ...]:
        """The pack's policies as its server reports them (once the stack's session is ready)."""
        return self._sessions[stack].client.analyzer_info().policies

    def close(self) -> None:
        """Stop every server."""
        for session in self._sessions.values():
            session.close()
