"""Cloudflare edge: zone TLS settings, cache rules that never cache private traffic, rate limits.

Zone settings (pulumi-cloudflare v6) are one `cloudflare:index/zoneSetting:ZoneSetting` per
setting, with `settingId` and `value`. Cache rules and rate limits are entrypoint rulesets
(`cloudflare:index/ruleset:Ruleset`) of the phases `http_request_cache_settings` and
`http_ratelimit`; Cloudflare allows one per zone and phase, so only the stack that owns the
zone declares them (config `ownsZoneSettings`, `ownsZoneRulesets`). The admin and API hosts
are the stack's own (`myhibachi:domain` in the stack config, `admin` and `api`).

Cache rules are matched by reading the rule expression (Cloudflare's wirefilter syntax) as a
top-level conjunction (`and`/`&&`) of conditions. A cache-eligible rule
(`actionParameters.cache` true) is accepted when either

1. one conjunct restricts it to static assets: every `or`-alternative of that conjunct is
   `starts_with(http.request.uri.path, "<static prefix>")` (config `staticPathPrefixes`,
   default `/_next/static/`) or a test of `http.request.uri.path.extension`; or
2. it excludes all three kinds of private traffic explicitly:
   - the admin host and the API host: a negated conjunct naming the host
     (`not http.host in {...}`, `http.host ne "..."`, `not (http.host eq "...")`), or a
     positive host conjunct (`http.host eq "..."` / `http.host in {...}`) that lists neither;
   - the session cookie: a negated conjunct naming the cookie
     (`not http.cookie contains "mh_session"`,
     `not any(http.request.cookies["mh_session"][*] ...)`).

And the ruleset must hold enabled bypass rules (`actionParameters.cache` false) whose
expressions together mention the admin host, the API host and the session cookie.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from pulumi_policy import ResourceValidationArgs, Severity, StackValidationArgs

from .helpers import (
    MISSING,
    STRING,
    STRING_LIST,
    Report,
    StackReport,
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
)

ZONE_SETTING: Final = "cloudflare:index/zoneSetting:ZoneSetting"
RULESET: Final = "cloudflare:index/ruleset:Ruleset"
CACHE_PHASE: Final = "http_request_cache_settings"
RATELIMIT_PHASE: Final = "http_ratelimit"
HSTS_MIN_MAX_AGE: Final = 31536000
_TAGS: Final = ("cloudflare",)

# --- Zone settings --------------------------------------------------------------------------------


def _setting_value(args: ResourceValidationArgs, setting_id: str) -> Any:
    """The setting's `value` when this ZoneSetting is `setting_id`; None otherwise or unknown."""
    if as_str(get(args.props, "settingId")) != setting_id:
        return None
    value = get(args.props, "value")
    return None if is_unknown(value) else value


def _one_of(
    setting_id: str, allowed: tuple[str, ...], text: str
) -> Callable[[ResourceValidationArgs, Report], None]:
    def check(args: ResourceValidationArgs, report: Report) -> None:
        value = _setting_value(args, setting_id)
        if value is None:
            return
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


def _check_hsts(args: ResourceValidationArgs, report: Report) -> None:
    value = _setting_value(args, "security_header")
    if value is None:
        return
    hsts = _first(value, "strictTransportSecurity", "strict_transport_security")
    if is_unknown(hsts):
        return
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
    if not is_unknown(max_age):
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
    for setting in of_type(args.resources, ZONE_SETTING):
        setting_id = get(setting.props, "settingId")
        if is_unknown(setting_id):
            return
        if isinstance(setting_id, str):
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
    for setting_id in REQUIRED_SETTINGS:
        if setting_id not in declared:
            report(f"The stack must declare the zone setting {setting_id} (ZoneSetting).", None)


# --- Rule expressions ---------------------------------------------------------------------------

_OPENERS: Final = {"(": ")", "{": "}", "[": "]"}


def split_top(expression: str, operator: str) -> list[str]:
    """Split at a top-level `and`/`or` (also `&&`/`||`), outside quotes and brackets."""
    words = {"and": ("and", "&&"), "or": ("or", "||")}[operator]
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    index = 0
    while index < len(expression):
        char = expression[index]
        if quoted:
            if char == "\\":
                index += 2
                continue
            if char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in _OPENERS:
            depth += 1
        elif char in _OPENERS.values():
            depth -= 1
        elif depth == 0:
            for word in words:
                end = index + len(word)
                boundary_before = index == 0 or not (
                    expression[index - 1].isalnum() or expression[index - 1] == "_"
                )
                boundary_after = end >= len(expression) or not (
                    expression[end].isalnum() or expression[end] == "_"
                )
                if expression.startswith(word, index) and (
                    word in ("&&", "||") or (boundary_before and boundary_after)
                ):
                    parts.append(expression[start:index])
                    start = end
                    index = end - 1
                    break
        index += 1
    parts.append(expression[start:])
    return [part.strip() for part in parts if part.strip()]


def strip_parens(expression: str) -> str:
    text = expression.strip()
    while text.startswith("(") and text.endswith(")") and len(split_top(text[1:-1], "and")) >= 1:
        depth = 0
        closes_at_end = True
        for index, char in enumerate(text):
            depth += char == "("
            depth -= char == ")"
            if depth == 0 and index < len(text) - 1:
                closes_at_end = False
                break
        if not closes_at_end:
            break
        text = text[1:-1].strip()
    return text


def _negated(conjunct: str) -> bool:
    text = strip_parens(conjunct)
    return text.startswith(("not ", "not(", "!")) or " ne " in text or "!=" in text


def _is_static_atom(text: str, prefixes: list[str]) -> bool:
    text = strip_parens(text)
    if _negated(text):
        return False
    if "http.request.uri.path.extension" in text:
        return True
    match = re.fullmatch(r'starts_with\(\s*http\.request\.uri\.path\s*,\s*"([^"]*)"\s*\)', text)
    return bool(match and any(match.group(1).startswith(prefix) for prefix in prefixes))


def _is_static(conjunct: str, prefixes: list[str]) -> bool:
    alternatives = split_top(strip_parens(conjunct), "or")
    return bool(alternatives) and all(_is_static_atom(alt, prefixes) for alt in alternatives)


_HOST_ATOM: Final = re.compile(r'^http\.host\s*(?:eq|==)\s*"[^"]*"$|^http\.host\s+in\s+\{[^}]*\}$')


def _positive_hosts(conjunct: str) -> set[str] | None:
    """Hosts a positive host conjunct allows, or None if it is not one."""
    alternatives = [strip_parens(alt) for alt in split_top(strip_parens(conjunct), "or")]
    if not alternatives or not all(_HOST_ATOM.match(alt) for alt in alternatives):
        return None
    return {host for alt in alternatives for host in re.findall(r'"([^"]*)"', alt)}


def _mentions(text: str, needle: str) -> bool:
    return (
        f'"{needle}"' in text or needle in re.findall(r'"([^"]*)"', text) or f'["{needle}"]' in text
    )


def _excludes_host(conjuncts: list[str], host: str) -> bool:
    for conjunct in conjuncts:
        if _negated(conjunct) and _mentions(conjunct, host):
            return True
        allowed = _positive_hosts(conjunct)
        if allowed is not None and host not in allowed:
            return True
    return False


def _excludes_cookie(conjuncts: list[str], cookie: str) -> bool:
    return any(_negated(c) and cookie in c for c in conjuncts)


def _enabled_rules(props: Any) -> list[Any]:
    return [
        rule
        for rule in elements(get(props, "rules"))
        if as_bool(get(rule, "enabled"), True) is not False
    ]


def _check_cache_rules(args: ResourceValidationArgs, report: Report) -> None:
    if as_str(get(args.props, "phase")) != CACHE_PHASE:
        return
    config = args.get_config()
    cookie = param_str(config, "sessionCookie")
    if cookie is None:
        args.not_applicable("sessionCookie must be configured")
        return
    admin = stack_setting(args, "domain.admin")
    api = stack_setting(args, "domain.api")
    prefixes = param_strs(config, "staticPathPrefixes", ("/_next/static/",))
    rules = get(args.props, "rules")
    if is_unknown(rules):
        return
    bypass_text: list[str] = []
    undecided = False
    for index, rule in enumerate(elements(rules)):
        if is_unknown(rule) or as_bool(get(rule, "enabled"), True) is None:
            undecided = True
            continue
        if as_bool(get(rule, "enabled"), True) is False:
            continue
        cache = get(rule, "actionParameters.cache")
        expression = get(rule, "expression")
        if is_unknown(cache) or is_unknown(expression):
            undecided = True
            continue
        text = as_str(expression) or ""
        if as_bool(cache) is False:
            bypass_text.append(text)
        elif as_bool(cache) is True:
            conjuncts = split_top(strip_parens(text), "and")
            static = any(_is_static(c, prefixes) for c in conjuncts)
            private_excluded = (
                _excludes_host(conjuncts, admin)
                and _excludes_host(conjuncts, api)
                and _excludes_cookie(conjuncts, cookie)
            )
            if not (static or private_excluded):
                report(
                    f"{label(args)}: rules[{index}] caches responses but its expression neither "
                    f"restricts it to static paths ({', '.join(prefixes)} or file extensions) nor "
                    f"excludes {admin}, {api} and requests with the {cookie} cookie."
                )
    if undecided:
        return
    joined = "\n".join(bypass_text)
    missing = [need for need in (admin, api) if not _mentions(joined, need)]
    if cookie not in joined:
        missing.append(f"the {cookie} cookie")
    if missing:
        report(
            f"{label(args)}: a bypass rule (actionParameters.cache false) must match "
            f"{', '.join(missing)}."
        )


def _check_rate_limits(args: StackValidationArgs, report: StackReport) -> None:
    config = args.get_config()
    if not param_bool(config, "ownsZoneRulesets", True):
        args.not_applicable("this stack does not own the zone's rulesets (ownsZoneRulesets false)")
        return
    api = stack_setting(args, "domain.api")
    paths = param_strs(config, "twoFactorPaths")
    expressions: list[str] = []
    for ruleset in of_type(args.resources, RULESET):
        phase = get(ruleset.props, "phase")
        if is_unknown(phase):
            return
        if phase != RATELIMIT_PHASE:
            continue
        for rule in _enabled_rules(ruleset.props):
            expression = get(rule, "expression")
            if is_unknown(rule) or is_unknown(expression):
                return
            expressions.append(as_str(expression) or "")
    joined = "\n".join(expressions)
    for need, what in [(api, "the API host"), *[(path, "the 2FA path") for path in paths]]:
        if need and need not in joined:
            report(
                f"The stack must declare a rate-limit rule (phase {RATELIMIT_PHASE}) "
                f"covering {what} {need}.",
                None,
            )


def _setting_policy(
    name: str,
    setting_id: str,
    description: str,
    *,
    check: Callable[[ResourceValidationArgs, Report], None],
    remediation: str,
    severity: Severity = Severity.HIGH,
    config_schema: Any = None,
) -> Any:
    return resource_policy(
        name=name,
        description=description,
        resource_types=[ZONE_SETTING],
        check=check,
        severity=severity,
        remediation=remediation,
        tags=[*_TAGS, "tls", setting_id],
        config_schema=config_schema,
    )


POLICIES: Final = [
    _setting_policy(
        "cloudflare-zone-setting-always-use-https",
        "always_use_https",
        "The zone redirects every HTTP request to HTTPS: always_use_https = on "
        "(seed item 8; no CIS or Checkov ID covers Cloudflare zones).",
        check=_one_of("always_use_https", ("on",), '"on"'),
        remediation='Set the always_use_https ZoneSetting value to "on".',
    ),
    _setting_policy(
        "cloudflare-zone-setting-min-tls-version",
        "min_tls_version",
        "The zone accepts TLS 1.2 or later only: min_tls_version 1.2 or 1.3 (seed item 8; "
        "PCI DSS 4.2.1 strong cryptography).",
        check=_one_of("min_tls_version", ("1.2", "1.3"), '"1.2" or "1.3"'),
        remediation='Set the min_tls_version ZoneSetting value to "1.2".',
    ),
    _setting_policy(
        "cloudflare-zone-setting-ssl-strict",
        "ssl",
        "The zone validates the origin certificate: ssl = strict, i.e. Full (strict) "
        "(seed item 8).",
        check=_one_of("ssl", ("strict",), '"strict" (Full (strict))'),
        remediation='Set the ssl ZoneSetting value to "strict" with a valid origin certificate.',
    ),
    _setting_policy(
        "cloudflare-zone-setting-hsts",
        "security_header",
        "The zone sends HSTS: security_header.strictTransportSecurity enabled, includeSubdomains, "
        "nosniff, maxAge of at least one year (seed item 8; OWASP ASVS V14.4.5).",
        check=_check_hsts,
        remediation="Set the security_header ZoneSetting value to {strictTransportSecurity: "
        "{enabled: true, maxAge: 31536000, includeSubdomains: true, nosniff: true}}.",
        config_schema=schema(
            {"minMaxAge": {"type": "integer", "minimum": 0, "default": HSTS_MIN_MAX_AGE}}
        ),
    ),
    _setting_policy(
        "cloudflare-zone-setting-automatic-https-rewrites",
        "automatic_https_rewrites",
        "The zone rewrites insecure links to HTTPS: automatic_https_rewrites = on (seed item 8).",
        check=_one_of("automatic_https_rewrites", ("on",), '"on"'),
        remediation='Set the automatic_https_rewrites ZoneSetting value to "on".',
        severity=Severity.LOW,
    ),
    stack_policy(
        name="cloudflare-zone-settings-present",
        description="The stack that owns the zone (config ownsZoneSettings) declares the TLS "
        "zone settings always_use_https, automatic_https_rewrites, min_tls_version, "
        "security_header and ssl; a stack that does not own it declares none (seed item 8).",
        check=_check_settings_present,
        severity=Severity.HIGH,
        remediation="Declare the missing ZoneSetting resources in the owning stack, or remove "
        "zone settings from a stack that does not own the zone.",
        tags=[*_TAGS, "tls"],
        config_schema=schema(
            {"ownsZoneSettings": {"type": "boolean"}}, required=["ownsZoneSettings"]
        ),
    ),
    resource_policy(
        name="cloudflare-ruleset-cache-private-never-cached",
        description="Cache rules never cache the admin host, the API host or requests with a "
        "session cookie: each cache-eligible rule is restricted to static paths or excludes "
        "all three, and a bypass rule matches all three (seed item 12; OWASP ASVS V8.2.1).",
        resource_types=[RULESET],
        check=_check_cache_rules,
        severity=Severity.CRITICAL,
        remediation="Restrict cache-eligible rules to /_next/static/ or file extensions, and "
        "add a first rule with cache = false for the admin host, the API host and the session "
        "cookie.",
        tags=[*_TAGS, "cache"],
        config_schema=schema(
            {
                "sessionCookie": STRING,
                "staticPathPrefixes": {**STRING_LIST, "default": ["/_next/static/"]},
            },
            required=["sessionCookie"],
        ),
    ),
    stack_policy(
        name="cloudflare-ruleset-rate-limits",
        description="The zone owner's stack rate-limits its API host (stack config "
        "myhibachi:domain) and the 2FA endpoints (config twoFactorPaths): an enabled "
        "http_ratelimit rule's expression mentions each (seed item 12; OWASP ASVS V2.2.1).",
        check=_check_rate_limits,
        severity=Severity.HIGH,
        remediation="Add http_ratelimit rules whose expressions match the API host and each 2FA "
        "path.",
        tags=[*_TAGS, "rate-limit"],
        config_schema=schema(
            {
                "ownsZoneRulesets": {"type": "boolean", "default": True},
                "twoFactorPaths": {**STRING_LIST, "minItems": 1},
            },
            required=["twoFactorPaths"],
        ),
    ),
]
