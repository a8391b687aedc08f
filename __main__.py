"""My Hibachi infrastructure: settings in, components out, stack outputs exported."""

import pulumi

from components.api_keys import MapsApiKey, MapsApiKeyArgs
from components.cache import Cache, CacheArgs
from components.database import Database, DatabaseArgs
from components.identities import WorkloadIdentities, WorkloadIdentitiesArgs
from components.network import PrivateNetwork, PrivateNetworkArgs
from components.secrets import SecretCatalog, SecretCatalogArgs
from components.services import ProjectServices, ProjectServicesArgs
from settings import settings_from_runtime
from settings.model import SecretGenerator

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
        first_rotation=settings.secrets.first_rotation,
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


database = Database(
    "database",
    DatabaseArgs(
        network_id=network.network_id,
        project=project,
        region=region,
        settings=settings.database,
        url_secret_id=secret_id("database"),
        labels=labels,
        protect=protect,
        depends_on=[network.service_connection],
    ),
    after_services,
)
cache = Cache(
    "cache",
    CacheArgs(
        network_id=network.network_id,
        project=project,
        region=region,
        settings=settings.cache,
        url_secret_id=secret_id("cache"),
        labels=labels,
        protect=protect,
        depends_on=[network.service_connection],
    ),
    after_services,
)
maps_key = MapsApiKey(
    "maps",
    MapsApiKeyArgs(
        allowed_referrers=(
            f"https://{settings.domain.site}/*",
            f"https://{settings.domain.admin}/*",
        ),
        env=settings.env,
        generation=settings.maps_key.generation,
        key_secret_id=secret_id("mapsKey"),
        project=project,
    ),
    after_services,
)

pulumi.export("hosts", settings.domain.hosts)
pulumi.export("secretIds", secrets.secret_ids)
pulumi.export("sqlConnectionName", database.connection_name)
pulumi.export("redisHost", cache.host)
pulumi.export("mapsKeyName", maps_key.key_name)
pulumi.export("apiServiceAccount", identities.api.email)
