"""My Hibachi infrastructure: settings in, components out, stack outputs exported."""

import datetime
from typing import TypeVar

import pulumi
from pulumi_gcp import secretmanager

from components.api_ingress import ApiIngress, ApiIngressArgs
from components.api_keys import MapsApiKeys, MapsApiKeysArgs
from components.api_runtime import ApiRuntime, ApiRuntimeArgs
from components.audit import AuditLogging
from components.backups import Backups, BackupsArgs
from components.cache import Cache
from components.code_backups import CodeBackups
from components.data_store import DataStoreArgs
from components.database import Database
from components.edge import Edge, EdgeArgs
from components.frontends import Frontends, FrontendsArgs
from components.identities import WorkloadIdentities, WorkloadIdentitiesArgs
from components.monitoring import Monitoring, MonitoringArgs, UptimeTarget
from components.network import PrivateNetwork, PrivateNetworkArgs
from components.secret_backup_key import SecretBackupKey
from components.secrets import SecretCatalog, SecretCatalogArgs
from components.section_args import SectionArgs
from components.services import ProjectServices, ProjectServicesArgs
from settings import settings_from_runtime
from settings.secrets import SecretGenerator

SettingsT = TypeVar("SettingsT")

settings = settings_from_runtime()
project, region, labels = settings.project, settings.region, settings.labels
protect = settings.protect_stateful_resources

services = ProjectServices("services", ProjectServicesArgs(project=project))
after_services = pulumi.ResourceOptions(depends_on=list(services.services.values()))

network = PrivateNetwork(
    "network", PrivateNetworkArgs(project=project, region=region, labels=labels), after_services
)
identities = WorkloadIdentities(
    "identities", WorkloadIdentitiesArgs(env=settings.env, project=project), after_services
)
secrets = SecretCatalog(
    "secrets",
    SecretCatalogArgs(
        catalog=settings.secrets.catalog,
        # A secret's first rotation is `rotationDays` after the day it is created.
        created_on=datetime.datetime.now(datetime.UTC).date(),
        project=project,
        rotation_days=settings.secrets.rotation_days,
        identities=identities.members(),
        labels=labels,
        protect=protect,
    ),
    after_services,
)


def secret_id(generator: SecretGenerator) -> pulumi.Output[str]:
    """The id of the secret whose value the named component writes."""
    return secrets.secret_ids[settings.secrets.generated(generator).name]


def typed_value(secret: str) -> pulumi.Output[str]:
    """A value people typed into Secret Manager, read at deploy time; it never passes through
    config (seed item 1). The provider returns it as a secret, and it stays one."""
    return secretmanager.get_secret_version_output(project=project, secret=secret).secret_data


def private_store(section: SettingsT, generator: SecretGenerator) -> DataStoreArgs[SettingsT]:
    """A data store on the private network, in the stack's region, created once the private
    service connection exists; its connection URL goes to the secret `generator` writes."""
    return DataStoreArgs(
        network_id=network.network_id,
        project=project,
        region=region,
        settings=section,
        url_secret_id=secret_id(generator),
        labels=labels,
        protect=protect,
        depends_on=[network.service_connection],
    )


def from_section(section: SettingsT) -> SectionArgs[SettingsT]:
    """A component built from its stack-file section, with the stack's env, project and labels,
    protected where the stack protects its data."""
    return SectionArgs(
        env=settings.env, project=project, settings=section, labels=labels, protect=protect
    )


# Before a stack's first values exist (its first `pulumi up`), nothing is read.
values_ready = settings.secrets.values_ready


database = Database(
    "database",
    private_store(settings.database, "database"),
    after_services,
)
cache = Cache(
    "cache",
    private_store(settings.cache, "cache"),
    after_services,
)
maps_keys = MapsApiKeys(
    "maps",
    MapsApiKeysArgs(
        allowed_referrers=(
            f"https://{settings.domain.site}/*",
            f"https://{settings.domain.admin}/*",
        ),
        browser_key_secret_id=secret_id("mapsBrowserKey"),
        env=settings.env,
        generations=settings.maps_keys,
        project=project,
        server_key_secret_id=secret_id("mapsServerKey"),
        protect=protect,
    ),
    after_services,
)

domain = settings.domain
api = ApiRuntime(
    "api",
    ApiRuntimeArgs(
        api_host=domain.api,
        env_vars={
            "ALLOWED_ORIGINS": f"https://{domain.site},https://{domain.admin}",
            "ENVIRONMENT": settings.stack,
            "LOG_LEVEL": settings.api.log_level,
            **settings.feature_flags.backend_env(),
        },
        network_id=network.network_id,
        project=project,
        region=region,
        # Every secret the API may read, under the name the application reads it by.
        secret_env={
            spec.key: secrets.secret_ids[spec.name]
            for spec in settings.secrets.catalog
            if "api" in spec.accessors
        },
        service_account_email=identities.api.email,
        service_account_member=identities.api_member,
        settings=settings.api,
        subnet_id=network.subnet.id,
        # Accessor bindings and the generated secrets' first versions exist before a revision.
        depends_on=[secrets, database, cache, maps_keys],
        labels=labels,
        protect=protect,
    ),
    after_services,
)
ingress = ApiIngress(
    "api-ingress",
    ApiIngressArgs(
        api_host=domain.api,
        cloudflare_ranges=settings.edge.cloudflare_ranges,
        env=settings.env,
        project=project,
        region=region,
        service_name=api.service.name,
        labels=labels,
    ),
    after_services,
)
# Where the stack protects its data, the audit trail's retention is locked.
audit = AuditLogging("audit", from_section(settings.audit_logs), after_services)
monitoring = Monitoring(
    "monitoring",
    MonitoringArgs(
        alerts=settings.alerts,
        api_service_name=api.service.name,
        env=settings.env,
        project=project,
        rotation_subscription=secrets.rotation_notices.name,
        rotation_topic=secrets.rotation_topic.name,
        # The on-call tool's webhook URLs carry its token: Secret Manager only.
        webhook_urls=(
            {name: typed_value(secret) for name, secret in settings.alerts.url_secrets.items()}
            if values_ready
            else {}
        ),
        uptime_targets={
            # Deployment protection answers 401 on the admin panel: still up, TLS still valid.
            "admin": UptimeTarget(host=domain.admin, accepted_status_codes=(401,)),
            "api": UptimeTarget(host=domain.api, path=settings.api.health_path),
            "site": UptimeTarget(host=domain.site),
        },
        labels=labels,
    ),
    after_services,
)
backups = Backups(
    "backups",
    BackupsArgs(
        database_name=settings.database.name,
        env=settings.env,
        instance_name=database.instance.name,
        instance_service_account=database.instance.service_account_email_address,
        project=project,
        region=region,
        settings=settings.backups,
        labels=labels,
        protect=protect,
    ),
    after_services,
)
secret_backups = SecretBackupKey(
    "secret-backups", from_section(settings.secret_backups), after_services
)
code_backups = CodeBackups("code-backups", from_section(settings.code_backups), after_services)
stripe_publishable_key = (
    typed_value(f"{settings.env}-frontend-web-NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY")
    if values_ready
    else None
)
frontends = Frontends(
    "frontends",
    FrontendsArgs(
        admin_host=domain.admin,
        api_url=api.url,
        feature_env=settings.feature_flags.frontend_env(),
        maps_browser_key=maps_keys.browser_key_string,
        settings=settings.frontends,
        site_host=domain.site,
        stripe_publishable_key=stripe_publishable_key,
    ),
    pulumi.ResourceOptions(depends_on=[secrets]),
)
edge = Edge(
    "edge",
    EdgeArgs(
        api_origin=ingress.ip_address,
        certificate_record=ingress.certificate_record,
        comment=f"Managed by Pulumi: {pulumi.get_project()}/{settings.stack}",
        hosts=domain.hosts,
        zone=domain.zone,
        zone_id=settings.edge.zone_id,
        zone_policy=settings.edge.zone_policy,
    ),
    # The frontends' records point at their Vercel domains, which must exist first.
    pulumi.ResourceOptions(depends_on=[frontends]),
)

pulumi.export("hosts", settings.domain.hosts)
pulumi.export("secretIds", secrets.secret_ids)
pulumi.export("sqlConnectionName", database.connection_name)
pulumi.export("redisHost", cache.host)
pulumi.export(
    "mapsKeyNames", {"browser": maps_keys.browser_key.name, "server": maps_keys.server_key.name}
)
pulumi.export("apiServiceAccount", identities.api.email)
pulumi.export("apiUrl", api.url)
pulumi.export("apiOriginAddress", ingress.ip_address)
pulumi.export("apiCertificate", ingress.certificate.name)
pulumi.export("apiServiceName", api.service.name)
pulumi.export("migrateJobName", api.migration_job.name)
pulumi.export("rotationTopic", secrets.rotation_topic.name)
pulumi.export("rotationNotices", secrets.rotation_notices.name)
pulumi.export("auditTrailBucket", audit.bucket.name)
pulumi.export("backupBucket", backups.bucket_name)
pulumi.export("secretBackupKey", secret_backups.key_id)
pulumi.export("codeBackupBucket", code_backups.bucket.name)
pulumi.export("codeBackupServiceAccount", code_backups.writer.email)
pulumi.export("vercelProjectIds", frontends.project_ids)
