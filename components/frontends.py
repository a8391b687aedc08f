"""The Next.js frontends on Vercel: the customer site and the admin panel of one stack.

Decisions:
- One Vercel project per app *per stack* (names from settings: `myhibachi-customer-staging`,
  `myhibachi-admin-staging`, `myhibachi-customer`, `myhibachi-admin`).
  A stack's project builds the stack's branch as Vercel "production" and everything else as
  "preview"; env vars target both, so a preview of the staging project talks to the staging
  API, never to production. Stacks never share a project, so they never fight over settings.
- Env vars per app: `NEXT_PUBLIC_API_URL`, `NEXT_PUBLIC_APP_URL` (the app's own host) and
  `NEXT_PUBLIC_FEATURE_*` rendered from the same settings as the API's `FEATURE_FLAG_*`.
- `NEXT_PUBLIC_GOOGLE_MAPS_BROWSER_KEY` (both apps) is the Maps browser key the program creates,
  a Vercel sensitive variable; it works only from the stack's own https sites.
- `NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY` is read from Secret Manager at deploy time and stays a
  Pulumi secret and a Vercel *sensitive* variable. It ends up in the browser bundle by design
  (a publishable key), but it is rotated with the secret key and kept out of config and logs.
- Deployment protection: Vercel Authentication on previews and generated URLs of the customer
  site (its custom domain is public), and on every deployment of the admin panel, custom
  domain included: only members of the Vercel team reach the admin panel at all; the app's
  own login and 2FA come on top.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumiverse_vercel as vercel

from components.component import Component
from settings.frontends import FrontendSettings

TARGETS: tuple[str, ...] = ("preview", "production")
STRIPE_KEY = "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY"
MAPS_KEY = "NEXT_PUBLIC_GOOGLE_MAPS_BROWSER_KEY"


@dataclass(frozen=True)
class FrontendsArgs:
    """The stack's hosts, its flags and where the publishable key comes from."""

    admin_host: str
    api_url: str
    feature_env: Mapping[str, str]
    # The Maps JavaScript API key, referrer-restricted to the stack's sites (a secret output).
    maps_browser_key: pulumi.Input[str]
    settings: FrontendSettings
    site_host: str
    # None until the key's first secret version exists (a new stack's first `pulumi up`).
    stripe_publishable_key: pulumi.Input[str] | None


class Frontends(Component[FrontendsArgs]):
    """The customer and admin Vercel projects, their domains and env vars."""

    type_token = "myhibachi:frontends:Frontends"

    projects: dict[str, vercel.Project]
    project_ids: dict[str, pulumi.Output[str]]

    def _declare(self, name: str, args: FrontendsArgs) -> pulumi.Inputs:
        child = pulumi.ResourceOptions(parent=self)
        apps = {
            # Every deployment, custom domain included.
            "admin": (args.settings.admin, args.admin_host, "all_deployments"),
            # Previews and generated URLs; the production custom domain stays public.
            "customer": (args.settings.customer, args.site_host, "standard_protection_new"),
        }
        self.projects = {}
        for app, (settings, host, protection) in apps.items():
            project = vercel.Project(
                f"{name}-{app}",
                name=settings.project_name,
                framework="nextjs",
                root_directory=settings.root_directory,
                git_repository=vercel.ProjectGitRepositoryArgs(
                    type="github",
                    repo=args.settings.repository,
                    production_branch=args.settings.production_branch,
                ),
                vercel_authentication=vercel.ProjectVercelAuthenticationArgs(
                    deployment_type=protection
                ),
                opts=child,
            )
            self.projects[app] = project
            vercel.ProjectDomain(
                f"{name}-{app}-domain", project_id=project.id, domain=host, opts=child
            )
            plain = {
                "NEXT_PUBLIC_API_URL": args.api_url,
                "NEXT_PUBLIC_APP_URL": f"https://{host}",
                **args.feature_env,
            }
            for key, value in sorted(plain.items()):
                vercel.ProjectEnvironmentVariable(
                    f"{name}-{app}-{key}",
                    project_id=project.id,
                    key=key,
                    value=value,
                    targets=list(TARGETS),
                    sensitive=False,
                    opts=child,
                )
            # Public in the browser bundle by design (its referrers protect it), but generated
            # by Pulumi as a secret and kept out of logs: sensitive.
            vercel.ProjectEnvironmentVariable(
                f"{name}-{app}-{MAPS_KEY}",
                project_id=project.id,
                key=MAPS_KEY,
                value=pulumi.Output.secret(args.maps_browser_key),
                targets=list(TARGETS),
                sensitive=True,
                opts=child,
            )
        # The publishable key belongs to the customer site only (scope `frontend-web`).
        if args.stripe_publishable_key is not None:
            vercel.ProjectEnvironmentVariable(
                f"{name}-customer-{STRIPE_KEY}",
                project_id=self.projects["customer"].id,
                key=STRIPE_KEY,
                value=pulumi.Output.secret(args.stripe_publishable_key),
                targets=list(TARGETS),
                sensitive=True,
                opts=child,
            )
        self.project_ids = {app: project.id for app, project in self.projects.items()}
        return {"project_ids": self.project_ids}
