"""Vercel: sensitive secrets only in production, nothing secret in NEXT_PUBLIC_*, this stack's
URLs, protection, and custom domains that serve production only.

Env vars are read from every shape the provider offers (`helpers.vercel_env_vars`), a
deployment's own `environment` included. The stack's URLs and its admin project are the stack
file's own (`myhibachi:domain`, `myhibachi:frontends`), read from the stack config. Values are
judged by their shape in `credentials.py`; here names and targets.
"""

from __future__ import annotations

from typing import Any, Final

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    MISSING,
    STRING_LIST,
    VERCEL_DEPLOYMENT,
    VERCEL_ENV_TYPES,
    VERCEL_PROJECT,
    Report,
    VercelVar,
    as_bool,
    as_str,
    elements,
    get,
    is_unknown,
    label,
    looks_secret,
    param_strs,
    resource_policy,
    schema,
    shown_name,
    stack_setting,
    stack_url,
    unless_found,
    vercel_env_vars,
)

PUBLIC_PREFIX: Final = "NEXT_PUBLIC_"
PROTECTED_DEPLOYMENT_TYPES: Final = (
    "standard_protection_new",
    "standard_protection",
    "all_deployments",
    "only_preview_deployments",
)
VERCEL_PROJECT_DOMAIN: Final = "vercel:index/projectDomain:ProjectDomain"


# The config of the three env-var policies: NEXT_PUBLIC_ names that may look secret.
_ALLOWED_PUBLIC_SCHEMA: Final = {"allowedPublicNames": {**STRING_LIST, "default": []}}


def _allowed_public(args: ResourceValidationArgs) -> set[str]:
    return set(param_strs(args.get_config(), "allowedPublicNames"))


def _check_sensitive(args: ResourceValidationArgs, report: Report) -> None:
    allowed = _allowed_public(args)
    for var in vercel_env_vars(args.resource_type, args.props):
        if var.key.startswith(PUBLIC_PREFIX) or var.key in allowed or not looks_secret(var.key):
            continue
        if args.resource_type == VERCEL_DEPLOYMENT:
            report(
                f"{label(args)}: {var.where}{shown_name(var.key)} looks secret, and a deployment's "
                "own environment is never sensitive: use a sensitive project variable."
            )
        elif as_bool(var.sensitive, False) is False:
            report(
                f"{label(args)}: {var.where}sensitive must be true for {shown_name(var.key)}, "
                "whose name looks secret."
            )


def _check_public_names(args: ResourceValidationArgs, report: Report) -> None:
    allowed = _allowed_public(args)
    for var in vercel_env_vars(args.resource_type, args.props):
        if var.key.startswith(PUBLIC_PREFIX) and var.key not in allowed and looks_secret(var.key):
            report(
                f"{label(args)}: {var.where}key {shown_name(var.key)} is NEXT_PUBLIC_ (shipped to "
                "every browser) but its name looks secret."
            )


def _targets(args: ResourceValidationArgs, var: VercelVar) -> list[str | None] | None:
    """The deployment targets a variable reaches; None when unknown during preview."""
    if args.resource_type == VERCEL_DEPLOYMENT:
        production = get(args.props, "production")
        if is_unknown(production):
            return None
        return ["production" if as_bool(production, False) else "preview"]
    if is_unknown(var.targets):
        return None
    if is_unknown(var.custom_environments):
        return None
    targets: list[str | None] = [as_str(target) for target in elements(var.targets)]
    return targets + ["custom environment"] * len(elements(var.custom_environments))


def _check_production_only(args: ResourceValidationArgs, report: Report) -> None:
    allowed = _allowed_public(args)
    unknown = []
    found = False
    for var in vercel_env_vars(args.resource_type, args.props):
        if var.key.startswith(PUBLIC_PREFIX) or var.key in allowed or not looks_secret(var.key):
            continue
        targets = _targets(args, var)
        if targets is None or None in targets:
            unknown.append(shown_name(var.key))
            continue
        if not targets or any(target != "production" for target in targets):
            found = True
            report(
                f"{label(args)}: {var.where}targets of {shown_name(var.key)}, whose name looks "
                "secret, must be production only: preview and development builds run any "
                "branch's code."
            )
    unless_found(args, found, unknown, "targets")


def _check_domain_branch(args: ResourceValidationArgs, report: Report) -> None:
    branch = get(args.props, "gitBranch")
    if is_unknown(branch):
        args.not_applicable("gitBranch is unknown until the update runs")
    if branch is not MISSING and as_str(branch, "") != "":
        report(
            f"{label(args)}: gitBranch must not be set: the custom domain would serve that "
            "branch's deployments instead of production."
        )


def _check_urls(args: ResourceValidationArgs, report: Report) -> None:
    public_urls = [
        var
        for var in vercel_env_vars(args.resource_type, args.props)
        if var.key in ("NEXT_PUBLIC_API_URL", "NEXT_PUBLIC_APP_URL") and not is_unknown(var.value)
    ]
    if not public_urls:
        return
    api_url = stack_url(args, "api")
    app_urls = [stack_url(args, "site"), stack_url(args, "admin")]
    for var in public_urls:
        value = (as_str(var.value) or "").rstrip("/")
        if var.key == "NEXT_PUBLIC_API_URL":
            base = api_url.rstrip("/")
            if not (value == base or value.startswith(base + "/")):
                report(
                    f"{label(args)}: {var.where}value of NEXT_PUBLIC_API_URL must be {api_url} "
                    "(or a path under it)."
                )
        allowed = {url.rstrip("/") for url in app_urls}
        if var.key == "NEXT_PUBLIC_APP_URL" and value not in allowed:
            report(
                f"{label(args)}: {var.where}value of NEXT_PUBLIC_APP_URL must be one of "
                f"{', '.join(app_urls)}."
            )


def _deployment_type(args: ResourceValidationArgs) -> str | Any | None:
    value = get(args.props, "vercelAuthentication.deploymentType")
    return value if is_unknown(value) or value is MISSING else as_str(value, "")


def _check_protection(args: ResourceValidationArgs, report: Report) -> None:
    kind = _deployment_type(args)
    if is_unknown(kind):
        return
    if kind is MISSING or kind not in PROTECTED_DEPLOYMENT_TYPES:
        report(
            f"{label(args)}: vercelAuthentication.deploymentType must be set explicitly to a "
            "protection (not none; absent inherits the team default, which code does not show)."
        )


def _check_admin_protection(args: ResourceValidationArgs, report: Report) -> None:
    admin = stack_setting(args, "frontends.admin.projectName")
    name = get(args.props, "name")
    if is_unknown(name) or as_str(name) != admin:
        return
    kind = _deployment_type(args)
    if not is_unknown(kind) and kind != "all_deployments":
        report(
            f"{label(args)}: the admin project {admin} must protect all deployments: "
            "vercelAuthentication.deploymentType = all_deployments."
        )


POLICIES: Final = [
    resource_policy(
        name="vercel-env-secret-sensitive",
        resource_types=VERCEL_ENV_TYPES,
        check=_check_sensitive,
        config_schema=schema(_ALLOWED_PUBLIC_SCHEMA),
    ),
    resource_policy(
        name="vercel-env-next-public-no-secrets",
        resource_types=VERCEL_ENV_TYPES,
        check=_check_public_names,
        config_schema=schema(_ALLOWED_PUBLIC_SCHEMA),
    ),
    resource_policy(
        name="vercel-env-secret-production-only",
        resource_types=VERCEL_ENV_TYPES,
        check=_check_production_only,
        config_schema=schema(_ALLOWED_PUBLIC_SCHEMA),
    ),
    resource_policy(
        name="vercel-project-domain-production-only",
        resource_types=[VERCEL_PROJECT_DOMAIN],
        check=_check_domain_branch,
    ),
    resource_policy(
        name="vercel-env-public-urls-match-stack",
        resource_types=VERCEL_ENV_TYPES,
        check=_check_urls,
    ),
    resource_policy(
        name="vercel-project-deployment-protection",
        resource_types=[VERCEL_PROJECT],
        check=_check_protection,
    ),
    resource_policy(
        name="vercel-project-admin-all-deployments-protected",
        resource_types=[VERCEL_PROJECT],
        check=_check_admin_protection,
    ),
]
