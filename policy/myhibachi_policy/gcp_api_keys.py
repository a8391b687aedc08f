"""API keys: restricted to the approved APIs and to an application (referrers of this stack's
hosts).

A key's `restrictions.apiTargets` must name at least one API and only APIs of the policy config's
`approvedServices` (the Maps APIs). A browser key's referrers must be under the stack's own
customer site or admin panel host (`myhibachi:domain` in the stack config, `site` and `admin`).
A key with no application restriction is allowed only when every API it may call is a web
service called from servers (config `serverOnlyServices`: Geocoding and Places, which refuse
referrer-restricted keys); such a key never reaches a browser. An unknown target or referrer
makes the policy not applicable, naming the key.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    MISSING,
    STRING_LIST,
    Report,
    Undecided,
    as_str,
    elements,
    get,
    is_unknown,
    label,
    param_strs,
    resource_policy,
    schema,
    stack_setting,
    unknown,
)

API_KEY: Final = "gcp:projects/apiKey:ApiKey"
APPLICATION_RESTRICTIONS: Final = (
    "browserKeyRestrictions",
    "serverKeyRestrictions",
    "androidKeyRestrictions",
    "iosKeyRestrictions",
)
# The APIs the Maps keys need (seed item 1: Geocoding, Maps JavaScript, Places).
MAPS_SERVICES: Final = (
    "geocoding-backend.googleapis.com",
    "maps-backend.googleapis.com",
    "places-backend.googleapis.com",
)
# Web services called from servers, which reject HTTP-referrer restrictions.
SERVER_ONLY_SERVICES: Final = (
    "geocoding-backend.googleapis.com",
    "places-backend.googleapis.com",
)
_REFERRERS: Final = "restrictions.browserKeyRestrictions.allowedReferrers"


def _check_api_targets(args: ResourceValidationArgs, report: Report) -> None:
    approved = param_strs(args.get_config(), "approvedServices", MAPS_SERVICES)
    targets = get(args.props, "restrictions.apiTargets")
    if is_unknown(targets):
        args.not_applicable(unknown(label(args), "restrictions.apiTargets"))
    items = elements(targets)
    if not items:
        report(f"{label(args)}: restrictions.apiTargets must list the APIs the key may call.")
        return
    undecided = Undecided()
    for index, target in enumerate(items):
        service = get(target, "service")
        if is_unknown(service):
            undecided.add(unknown(label(args), f"restrictions.apiTargets[{index}].service"))
            continue
        text = as_str(service)
        if text is None or text.strip() in ("", "cloudapis.googleapis.com"):
            report(
                f"{label(args)}: restrictions.apiTargets[{index}].service must name one API, "
                "never cloudapis.googleapis.com."
            )
        elif text.strip().lower() not in approved:
            report(
                f"{label(args)}: restrictions.apiTargets[{index}].service must be one of the "
                f"approved APIs ({', '.join(approved)})."
            )
    undecided.settle(args, "the key's API targets")


def _check_application(args: ResourceValidationArgs, report: Report) -> None:
    restrictions = get(args.props, "restrictions")
    if is_unknown(restrictions):
        args.not_applicable(unknown(label(args), "restrictions"))
    present = [name for name in APPLICATION_RESTRICTIONS if get(restrictions, name) is not MISSING]
    if not present:
        _check_server_only(args, report)
        return
    referrers = get(restrictions, "browserKeyRestrictions.allowedReferrers")
    if "browserKeyRestrictions" in present and is_unknown(referrers):
        args.not_applicable(unknown(label(args), "restrictions.browserKeyRestrictions"))
    if (
        "browserKeyRestrictions" in present
        and not is_unknown(referrers)
        and not elements(referrers)
    ):
        report(
            f"{label(args)}: restrictions.browserKeyRestrictions.allowedReferrers must not be "
            "empty."
        )
    undecided = Undecided()
    known = []
    for index, referrer in enumerate(elements(referrers)):
        if is_unknown(referrer):
            undecided.add(unknown(label(args), f"{_REFERRERS}[{index}]"))
        else:
            known.append((index, referrer))
    if not known:
        undecided.settle(args, "the key's referrers")
        return
    hosts = [stack_setting(args, "domain.site"), stack_setting(args, "domain.admin")]
    allowed = ", ".join(hosts)
    bad = [index for index, referrer in known if not _referrer_ok(as_str(referrer), hosts)]
    if not bad:
        undecided.settle(args, "the key's referrers")
    for index in bad:
        report(
            f"{label(args)}: {_REFERRERS}[{index}] must be https://<host>/... with <host> one "
            f"of {allowed}; no bare or host wildcards."
        )


def _check_server_only(args: ResourceValidationArgs, report: Report) -> None:
    """No application restriction: every target must be a server-only web service."""
    server_only = param_strs(args.get_config(), "serverOnlyServices", SERVER_ONLY_SERVICES)
    targets = get(args.props, "restrictions.apiTargets")
    if is_unknown(targets):
        args.not_applicable(unknown(label(args), "restrictions.apiTargets"))
    services = [get(target, "service") for target in elements(targets)]
    if any(is_unknown(service) for service in services):
        args.not_applicable(unknown(label(args), "restrictions.apiTargets"))
    names = [(as_str(service) or "").strip().lower() for service in services]
    if not names or any(name not in server_only for name in names):
        report(
            f"{label(args)}: restrictions must include an application restriction "
            "(browserKeyRestrictions, serverKeyRestrictions, androidKeyRestrictions or "
            "iosKeyRestrictions), unless every API target is a server-only web service "
            f"({', '.join(server_only)})."
        )


def _referrer_ok(referrer: str | None, hosts: list[str]) -> bool:
    if referrer is None or not referrer.startswith("https://"):
        return False
    parts = urlsplit(referrer)
    return parts.hostname is not None and parts.port is None and parts.netloc in hosts


POLICIES: Final = [
    resource_policy(
        name="gcp-projects-apikey-api-targets-restricted",
        resource_types=[API_KEY],
        check=_check_api_targets,
        config_schema=schema(
            {"approvedServices": {**STRING_LIST, "minItems": 1, "default": list(MAPS_SERVICES)}}
        ),
    ),
    resource_policy(
        name="gcp-projects-apikey-application-restricted",
        resource_types=[API_KEY],
        check=_check_application,
        config_schema=schema(
            {
                "serverOnlyServices": {
                    **STRING_LIST,
                    "default": list(SERVER_ONLY_SERVICES),
                }
            }
        ),
    ),
]
