"""Cloudflare edge: zone TLS settings, and what the zone's rules do to requests, by simulation.

Zone settings (pulumi-cloudflare v6) are one `cloudflare:index/zoneSetting:ZoneSetting` per
setting, with `settingId` and `value`. A zone has one value per setting and one entrypoint ruleset
per phase (`cloudflare:index/ruleset:Ruleset`), so only the stack that owns the zone declares them
(config `ownsZoneSettings`, `ownsZoneRulesets`), and its rules must cover every stack's hosts: its
own (`myhibachi:domain` in the stack config) and the other stacks' (`myhibachi:edge.zonePolicy.
otherHosts`).

The rulesets are judged by what they do, not by the words they contain: the standard probes (an
admin page with the session cookie and an admin static asset, an API call, a signed-in customer
page, a customer static asset, login and 2FA POSTs; `edge_probes.standard_probes`) for every host
go through the zone's phases in rule order (`edge_probes.EdgeSimulation`). Private traffic must
never be stored at the edge, public static assets must be, the login and 2FA attempts must be
limited to the configured rate with the block action (other API requests may be challenged),
and the API traffic must run through the managed WAF where the plan has it, no category or rule
of it turned off, downgraded from block or skipped. A phase the simulation cannot evaluate (an
unknown value during preview, an expression outside the supported subset...) makes the policy
not applicable with the simulation's reason; the unsupported expression is itself a finding of
`cloudflare-ruleset-expressions-supported`. The API host's DNS record must be proxied, or none
of this applies to it.

Page Rules and the legacy firewall rules act on the same requests from outside the rulesets, so
the simulation cannot see them (a page rule caching the API host, a firewall rule that bypasses
the WAF): Cloudflare deprecated both in favour of rulesets, and the pack refuses them outright
(`cloudflare-legacy-rules-not-allowed`) rather than judge half of what the zone does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from pulumi_policy import (
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from .edge_probes import (
    BLOCKING_ACTIONS,
    CACHE_PHASE,
    LIMITING_ACTIONS,
    MANAGED_WAF_PHASE,
    RATELIMIT_PHASE,
    EdgeSimulation,
    Probe,
    StandardProbes,
    standard_probes,
)
from .helpers import (
    MISSING,
    STACK_NAMESPACE,
    STRING,
    STRING_LIST,
    Report,
    StackCheck,
    StackReport,
    Undecided,
    as_bool,
    as_number,
    as_str,
    elements,
    fmt_number,
    get,
    is_unknown,
    label,
    of_type,
    param_bool,
    param_number,
    param_str,
    param_strs,
    resource_policy,
    schema,
    stack_policy,
    stack_setting,
    stack_value,
    unknown,
)
from .rules_language import UnsupportedExpressionError, parse

ZONE_SETTING: Final = "cloudflare:index/zoneSetting:ZoneSetting"
RULESET: Final = "cloudflare:index/ruleset:Ruleset"
LEGACY_RULE_TYPES: Final = {
    "cloudflare:index/pageRule:PageRule": "a Page Rule",
    "cloudflare:index/firewallRule:FirewallRule": "a legacy firewall rule",
}
DNS_RECORD_TYPES: Final = ("cloudflare:index/dnsRecord:DnsRecord", "cloudflare:index/record:Record")
WEB_RECORD_TYPES: Final = ("A", "AAAA", "CNAME")
HSTS_MIN_MAX_AGE: Final = 31536000
HOST_ROLES: Final = ("site", "admin", "api")
OTHER_HOSTS: Final = "edge.zonePolicy.otherHosts"
# Cloudflare's public id of its "Cloudflare Managed Ruleset", the same for every account.
CLOUDFLARE_MANAGED_RULESET: Final = "efb7b8c949ac4650a09736fc376e9aee"
DEFAULT_SESSION_COOKIE: Final = "session"
DEFAULT_LOGIN_PATHS: Final = ("/api/v1/auth/login",)
DEFAULT_2FA_PATHS: Final = ("/api/v1/auth/2fa",)
DEFAULT_STATIC_PREFIXES: Final = ("/_next/static/",)
# A content-hashed Next.js chunk, under the first static prefix.
STATIC_ASSET: Final = "/chunks/main-3f2a1b.js"

# --- Zone settings --------------------------------------------------------------------------------


def _setting_value(args: ResourceValidationArgs, setting_id: str) -> Any:
    """The setting's `value` when this ZoneSetting is `setting_id`; None for another setting.

    An unknown `settingId` or `value` leaves the policy undecided: not applicable.
    """
    declared = get(args.props, "settingId")
    if is_unknown(declared):
        args.not_applicable(unknown(label(args), "settingId"))
    if as_str(declared) != setting_id:
        return None
    value = get(args.props, "value")
    if is_unknown(value):
        args.not_applicable(unknown(label(args), "value"))
    return value


SettingCheck = Callable[[ResourceValidationArgs, Report, str, Any], None]
"""Judges the value of one zone setting: (args, report, setting id, value)."""


def _one_of(allowed: tuple[str, ...], text: str) -> SettingCheck:
    def check(args: ResourceValidationArgs, report: Report, setting_id: str, value: Any) -> None:
        if as_str(value) not in allowed:
            report(f"{label(args)}: value of the {setting_id} setting must be {text}.")

    return check


def _first(value: Any, *keys: str) -> Any:
    """The first present of several spellings (camelCase as documented, snake_case too)."""
    for key in keys:
        found = get(value, key)
        if found is not MISSING:
            return found
    return MISSING


def _check_hsts(args: ResourceValidationArgs, report: Report, _: str, value: Any) -> None:
    hsts = _first(value, "strictTransportSecurity", "strict_transport_security")
    if is_unknown(hsts):
        args.not_applicable(unknown(label(args), "value.strictTransportSecurity"))
    minimum = param_number(args.get_config(), "minMaxAge", HSTS_MIN_MAX_AGE) or HSTS_MIN_MAX_AGE
    where = "value.strictTransportSecurity"
    for key, alias in (
        ("enabled", "enabled"),
        ("includeSubdomains", "include_subdomains"),
        ("nosniff", "nosniff"),
    ):
        if as_bool(_first(hsts, key, alias), False) is False:
            report(f"{label(args)}: {where}.{key} must be true.")
    max_age = _first(hsts, "maxAge", "max_age")
    if is_unknown(max_age):
        args.not_applicable(unknown(label(args), f"{where}.maxAge"))
    seconds = as_number(max_age, 0)
    if seconds is None or seconds < minimum:
        report(f"{label(args)}: {where}.maxAge must be at least {fmt_number(minimum)} seconds.")


REQUIRED_SETTINGS: Final = (
    "always_use_https",
    "automatic_https_rewrites",
    "min_tls_version",
    "security_header",
    "ssl",
)


def _check_settings_present(args: StackValidationArgs, report: StackReport) -> None:
    owns = param_bool(args.get_config(), "ownsZoneSettings", True)
    declared: dict[str, list[str]] = {}
    undecided = Undecided()
    for setting in of_type(args.resources, ZONE_SETTING):
        setting_id = get(setting.props, "settingId")
        if is_unknown(setting_id):
            undecided.add(unknown(label(setting), "settingId"))
        elif isinstance(setting_id, str):
            declared.setdefault(setting_id, []).append(setting.urn)
    if not owns:
        for setting_id, urns in sorted(declared.items()):
            for urn in urns:
                report(
                    f"This stack does not own the zone settings (ownsZoneSettings false) but "
                    f"declares the {setting_id} setting; the owning stack manages it.",
                    urn,
                )
        return
    missing = [setting_id for setting_id in REQUIRED_SETTINGS if setting_id not in declared]
    if missing:
        undecided.settle(args, f"the zone settings {', '.join(missing)}")
    for setting_id in missing:
        report(f"The stack must declare the zone setting {setting_id} (ZoneSetting).", None)


# --- The zone's rules, judged by simulating requests -------------------------------------------


@dataclass(frozen=True)
class ZoneProbes:
    """The requests the edge policies send through the zone: the standard probes for each set of
    hosts the zone's rules must cover, and a login and a 2FA attempt per API host and path."""

    sets: tuple[StandardProbes, ...]
    auth: tuple[Probe, ...]

    @property
    def private(self) -> list[Probe]:
        return _unique(probe for probes in self.sets for probe in probes.private)

    @property
    def public_static(self) -> list[Probe]:
        return _unique(probe for probes in self.sets for probe in probes.public_static)

    @property
    def api(self) -> list[Probe]:
        """The requests that reach the API host: an API call and the login and 2FA attempts."""
        return _unique([*(probes.api_request for probes in self.sets), *self.auth])


def _unique(probes: Iterable[Probe]) -> list[Probe]:
    seen: dict[tuple[str, str, str, str], Probe] = {}
    for probe in probes:
        seen.setdefault((probe.name, probe.method, probe.host, probe.path), probe)
    return list(seen.values())


def _zone_hosts(args: StackValidationArgs) -> dict[str, list[str]]:
    """The hosts by role the zone's rules must cover: the stack's own (`myhibachi:domain`), then
    the other stacks' (`myhibachi:edge.zonePolicy.otherHosts`), since one stack owns the zone."""
    hosts = {role: [stack_setting(args, f"domain.{role}")] for role in HOST_ROLES}
    other = stack_value(OTHER_HOSTS)
    if other is MISSING:
        return hosts
    for role in HOST_ROLES:
        listed = get(other, role)
        if listed is MISSING:
            continue
        if not isinstance(listed, list) or not all(isinstance(h, str) and h for h in listed):
            args.not_applicable(
                f"the stack config's {STACK_NAMESPACE}:{OTHER_HOSTS}.{role} is not a list of hosts"
            )
        hosts[role].extend(listed)
    return hosts


def zone_probes(args: StackValidationArgs) -> ZoneProbes:
    """The probes for every host the zone's rules cover, with the paths and cookie of the
    policy's config."""
    config = args.get_config()
    hosts = _zone_hosts(args)
    cookie = param_str(config, "sessionCookie", DEFAULT_SESSION_COOKIE) or DEFAULT_SESSION_COOKIE
    logins = param_strs(config, "loginPaths", DEFAULT_LOGIN_PATHS) or list(DEFAULT_LOGIN_PATHS)
    two_factor = param_strs(config, "twoFactorPaths", DEFAULT_2FA_PATHS) or list(DEFAULT_2FA_PATHS)
    prefixes = param_strs(config, "staticPathPrefixes", DEFAULT_STATIC_PREFIXES)
    static_path = (prefixes or list(DEFAULT_STATIC_PREFIXES))[0].rstrip("/") + STATIC_ASSET
    sets = []
    for index in range(max(len(listed) for listed in hosts.values())):
        site, admin, api = (hosts[role][min(index, len(hosts[role]) - 1)] for role in HOST_ROLES)
        sets.append(
            standard_probes(
                site_host=site,
                admin_host=admin,
                api_host=api,
                session_cookie=cookie,
                login_path=logins[0],
                two_factor_path=two_factor[0],
                static_path=static_path,
            )
        )
    auth = [
        Probe(name, api, path, method="POST")
        for api in hosts["api"]
        for name, paths in (("login attempt", logins), ("2FA attempt", two_factor))
        for path in paths
    ]
    return ZoneProbes(tuple(sets), tuple(_unique(auth)))


def zone_simulation(args: StackValidationArgs) -> EdgeSimulation:
    """The stack's rulesets of its zone, ready for probes: those of `myhibachi:edge.zoneId` when
    the stack pins it; otherwise (the program looks the zone up by its name, and the rulesets
    carry the id found) every zone ruleset of the stack, so a second entrypoint of a phase
    leaves it undecided rather than passed.

    A stack that does not own the zone's rulesets (config `ownsZoneRulesets`) has nothing to
    judge: the policy is not applicable.
    """
    if not param_bool(args.get_config(), "ownsZoneRulesets", True):
        args.not_applicable("this stack does not own the zone's rulesets (ownsZoneRulesets false)")
    zone_id = stack_value("edge.zoneId")
    rulesets = [ruleset.props for ruleset in of_type(args.resources, RULESET)]
    return EdgeSimulation(rulesets, zone_id=zone_id if isinstance(zone_id, str) else None)


def _phase_urn(args: StackValidationArgs, phase: str) -> str | None:
    """The URN of the stack's ruleset for a phase, for violations to point at."""
    for ruleset in of_type(args.resources, RULESET):
        if get(ruleset.props, "phase") == phase:
            return ruleset.urn
    return None


class _Verdict(Protocol):
    @property
    def evaluated(self) -> bool: ...

    @property
    def reason(self) -> str: ...


class _ProbeFindings:
    """What a zone-rules policy found over its probes: each failure reported against the phase's
    ruleset, and each probe the simulation could not evaluate. `settle` ends the policy as not
    applicable when nothing failed and something was not evaluated."""

    def __init__(self, args: StackValidationArgs, report: StackReport, phase: str) -> None:
        self._args = args
        self._report = report
        self._urn = _phase_urn(args, phase)
        self._undecided = Undecided()
        self._reported = False

    def evaluated(self, probe: Probe, verdict: _Verdict) -> bool:
        """Whether the verdict can be judged; if not, the probe is left undecided."""
        if not verdict.evaluated:
            self._undecided.add(f"{probe}: {verdict.reason}")
        return verdict.evaluated

    def report(self, message: str) -> None:
        self._reported = True
        self._report(message, self._urn)

    def settle(self, what: str) -> None:
        if not self._reported:
            self._undecided.settle(self._args, what)


def _check_private_never_cached(args: StackValidationArgs, report: StackReport) -> None:
    simulation = zone_simulation(args)
    cookie = param_str(args.get_config(), "sessionCookie")
    if cookie is None:
        args.not_applicable("sessionCookie must be configured")
    probes = zone_probes(args)
    findings = _ProbeFindings(args, report, CACHE_PHASE)
    for probe in probes.private:
        verdict = simulation.cache(probe)
        if findings.evaluated(probe, verdict) and verdict.may_be_cached:
            findings.report(
                f"{probe} may be stored at the edge ({verdict.reason}): responses for the admin "
                f"and API hosts and for requests with the {cookie} cookie must never be cached."
            )
    findings.settle("that private traffic is never cached")


def _check_static_cached(args: StackValidationArgs, report: StackReport) -> None:
    simulation = zone_simulation(args)
    findings = _ProbeFindings(args, report, CACHE_PHASE)
    for probe in zone_probes(args).public_static:
        verdict = simulation.cache(probe)
        if findings.evaluated(probe, verdict) and not verdict.may_be_cached:
            findings.report(f"{probe} is not cached at the edge ({verdict.reason}).")
    findings.settle("that public static assets are cached")


def _check_rate_limits(args: StackValidationArgs, report: StackReport) -> None:
    simulation = zone_simulation(args)
    config = args.get_config()
    probes = zone_probes(args)
    findings = _ProbeFindings(args, report, RATELIMIT_PHASE)
    # Login and 2FA attempts are blocked over the limit: a challenge stops scripts, not a
    # person guessing. Other API requests may be challenged.
    auth = (BLOCKING_ACTIONS, "the block action")
    api = (LIMITING_ACTIONS, "a blocking or challenging action")
    limits = [(probe, "maxRequests", "periodSeconds", *auth) for probe in probes.auth]
    limits += [(probe, "apiMaxRequests", "apiPeriodSeconds", *api) for probe in probes.api]
    for probe, requests_key, period_key, actions, actions_text in limits:
        requests = param_number(config, requests_key)
        period = param_number(config, period_key)
        if requests is None or period is None:
            continue  # this limit is not configured for this stack
        verdict = simulation.rate_limits(probe)
        limited = verdict.limited_to(int(requests), int(period), actions=actions)
        if findings.evaluated(probe, verdict) and not limited:
            findings.report(
                f"{probe} must be limited to {fmt_number(requests)} requests per "
                f"{fmt_number(period)} s per client with {actions_text} ({verdict.reason})."
            )
    findings.settle("the rate limits")


def _check_managed_waf(args: StackValidationArgs, report: StackReport) -> None:
    config = args.get_config()
    if not param_bool(config, "managedWafRequired", True):
        args.not_applicable("the zone's plan has no managed WAF (managedWafRequired false)")
    simulation = zone_simulation(args)
    ruleset_id = param_str(config, "managedRulesetId", CLOUDFLARE_MANAGED_RULESET)
    assert ruleset_id is not None  # a default is given
    findings = _ProbeFindings(args, report, MANAGED_WAF_PHASE)
    for probe in zone_probes(args).api:
        verdict = simulation.managed_waf(probe, ruleset_id)
        if findings.evaluated(probe, verdict) and not verdict.enforced:
            findings.report(
                f"{probe} must run through the managed ruleset {ruleset_id} with its own actions "
                f"({verdict.reason})."
            )
    findings.settle("the managed WAF")


def _check_expressions_supported(args: ResourceValidationArgs, report: Report) -> None:
    rules = get(args.props, "rules")
    undecided = Undecided()
    if is_unknown(rules):
        undecided.add(unknown(label(args), "rules"))
    for index, rule in enumerate(elements(rules)):
        enabled = as_bool(get(rule, "enabled"), True)
        if is_unknown(rule) or enabled is None:
            undecided.add(unknown(label(args), f"rules[{index}]"))
            continue
        if not enabled:
            continue
        for path in ("expression", "ratelimit.countingExpression"):
            text = get(rule, path)
            if is_unknown(text):
                undecided.add(unknown(label(args), f"rules[{index}].{path}"))
            elif isinstance(text, str) and (path == "expression" or text.strip()):
                try:
                    parse(text)
                except UnsupportedExpressionError as error:
                    report(
                        f"{label(args)}: rules[{index}].{path} is outside the Rules language "
                        f"subset the edge policies evaluate ({error.problem} at character "
                        f"{error.position}), so they cannot verify what the zone does."
                    )
    undecided.settle(args, "the ruleset's expressions")


def _check_no_legacy_rules(args: ResourceValidationArgs, report: Report) -> None:
    what = LEGACY_RULE_TYPES[args.resource_type]
    report(
        f"{label(args)}: {what} acts on the zone's requests outside its rulesets, where the edge "
        "policies cannot verify what it does; write it as a rule of the phase's entrypoint "
        "ruleset (cloudflare:index/ruleset:Ruleset) instead."
    )


# --- DNS: the API reaches Cloudflare -----------------------------------------------------------


def _record_host(name: str, zone: str | None) -> str:
    host = name.strip().lower().rstrip(".")
    if zone is None:
        return host
    if host == "@":
        return zone
    return host if host == zone or host.endswith(f".{zone}") else f"{host}.{zone}"


def _check_api_proxied(args: StackValidationArgs, report: StackReport) -> None:
    api = stack_setting(args, "domain.api").lower()
    zone_value = stack_value("domain.zone")
    zone = zone_value.lower() if isinstance(zone_value, str) and zone_value else None
    wildcard = "*." + api.split(".", 1)[-1]
    undecided = Undecided()
    exact: list[PolicyResource] = []
    covering: list[PolicyResource] = []
    for record in of_type(args.resources, *DNS_RECORD_TYPES):
        name, kind = get(record.props, "name"), get(record.props, "type")
        if is_unknown(name) or is_unknown(kind):
            undecided.add(unknown(label(record), "name" if is_unknown(name) else "type"))
            continue
        if not isinstance(name, str) or as_str(kind) not in WEB_RECORD_TYPES:
            continue
        host = _record_host(name, zone)
        if host == api:
            exact.append(record)
        elif host == wildcard:
            covering.append(record)
    # A wildcard answers for the host only where no record has the host's own name.
    serving = exact or covering
    reported = False
    for record in serving:
        proxied = as_bool(get(record.props, "proxied"), False)
        if proxied is None:
            undecided.add(unknown(label(record), "proxied"))
        elif not proxied:
            reported = True
            report(
                f"{label(record)}: proxied must be true: the API host {api} must reach the API "
                "through Cloudflare (TLS settings, WAF, cache bypass and rate limits).",
                record.urn,
            )
    if not reported:
        undecided.settle(args, f"the DNS records of {api}")
    if not serving:
        report(f"The stack must declare a proxied DNS record (A, AAAA or CNAME) for {api}.", None)


# Config shared by the zone-rule policies: who owns the rulesets, and the probes' paths.
_OWNERSHIP: Final[dict[str, Any]] = {"ownsZoneRulesets": {"type": "boolean", "default": True}}
_PROBE_PATHS: Final[dict[str, Any]] = {
    "loginPaths": {**STRING_LIST, "default": list(DEFAULT_LOGIN_PATHS)},
    "twoFactorPaths": {**STRING_LIST, "default": list(DEFAULT_2FA_PATHS)},
    "staticPathPrefixes": {**STRING_LIST, "default": list(DEFAULT_STATIC_PREFIXES)},
}


def _setting_policy(
    name: str, setting_id: str, *, check: SettingCheck, config_schema: Any = None
) -> ResourceValidationPolicy:
    """A policy on the value of one zone setting; other ZoneSettings pass it."""

    def judge(args: ResourceValidationArgs, report: Report) -> None:
        value = _setting_value(args, setting_id)
        if value is not None:
            check(args, report, setting_id, value)

    return resource_policy(
        name=name, resource_types=[ZONE_SETTING], check=judge, config_schema=config_schema
    )


def _zone_rules_policy(
    *,
    name: str,
    check: StackCheck,
    settings: Mapping[str, Any],
    required: Sequence[str] = (),
) -> StackValidationPolicy:
    """A policy on what the zone owner's rules do to the probes: configured with who owns the
    rulesets and the probes' paths, then its own `settings`."""
    return stack_policy(
        name=name,
        check=check,
        config_schema=schema({**_OWNERSHIP, **_PROBE_PATHS, **settings}, required=required),
    )


POLICIES: Final = [
    _setting_policy(
        "cloudflare-zone-setting-always-use-https",
        "always_use_https",
        check=_one_of(("on",), '"on"'),
    ),
    _setting_policy(
        "cloudflare-zone-setting-min-tls-version",
        "min_tls_version",
        check=_one_of(("1.2", "1.3"), '"1.2" or "1.3"'),
    ),
    _setting_policy(
        "cloudflare-zone-setting-ssl-strict",
        "ssl",
        check=_one_of(("strict",), '"strict" (Full (strict))'),
    ),
    _setting_policy(
        "cloudflare-zone-setting-hsts",
        "security_header",
        check=_check_hsts,
        config_schema=schema(
            {"minMaxAge": {"type": "integer", "minimum": 0, "default": HSTS_MIN_MAX_AGE}}
        ),
    ),
    _setting_policy(
        "cloudflare-zone-setting-automatic-https-rewrites",
        "automatic_https_rewrites",
        check=_one_of(("on",), '"on"'),
    ),
    stack_policy(
        name="cloudflare-zone-settings-present",
        check=_check_settings_present,
        config_schema=schema(
            {"ownsZoneSettings": {"type": "boolean"}}, required=["ownsZoneSettings"]
        ),
    ),
    _zone_rules_policy(
        name="cloudflare-ruleset-cache-private-never-cached",
        check=_check_private_never_cached,
        settings={"sessionCookie": STRING},
        required=["sessionCookie"],
    ),
    _zone_rules_policy(
        name="cloudflare-ruleset-static-assets-cached",
        check=_check_static_cached,
        settings={"sessionCookie": STRING},
    ),
    _zone_rules_policy(
        name="cloudflare-ruleset-rate-limits",
        check=_check_rate_limits,
        settings={
            "twoFactorPaths": {**STRING_LIST, "minItems": 1},
            "maxRequests": {"type": "integer", "minimum": 1, "default": 10},
            "periodSeconds": {"type": "integer", "minimum": 1, "default": 60},
            "apiMaxRequests": {"type": "integer", "minimum": 1},
            "apiPeriodSeconds": {"type": "integer", "minimum": 1},
        },
        required=["twoFactorPaths"],
    ),
    _zone_rules_policy(
        name="cloudflare-ruleset-managed-waf",
        check=_check_managed_waf,
        settings={
            "managedWafRequired": {"type": "boolean", "default": True},
            "managedRulesetId": {**STRING, "default": CLOUDFLARE_MANAGED_RULESET},
        },
    ),
    resource_policy(
        name="cloudflare-ruleset-expressions-supported",
        resource_types=[RULESET],
        check=_check_expressions_supported,
    ),
    stack_policy(
        name="cloudflare-dns-record-api-proxied",
        check=_check_api_proxied,
    ),
    resource_policy(
        name="cloudflare-legacy-rules-not-allowed",
        resource_types=LEGACY_RULE_TYPES.keys(),
        check=_check_no_legacy_rules,
    ),
]
