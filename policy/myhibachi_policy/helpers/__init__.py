"""What the policies share, one home per idea, re-exported here so area modules import only
from `.helpers`:

- `values`: reading properties safely (unknown, absent, wrong type) and provider defaults;
- `params`: policy config parameters and JSON-schema snippets;
- `durations`: the seconds of a duration such as "7776000s";
- `networks`: authorized network ranges that admit the whole internet;
- `stack_config`: the facts the stack file owns (hosts, secret prefix, project names);
- `catalogue`: each policy's prose and classification, read from `catalogue.toml`;
- `construction`: building resource and stack policies, naming resources in messages;
- `expected`: one property against the value it must have, said the same way everywhere;
- `secret_names`: which env var names look secret;
- `credential_formats`: which strings look like credentials, by their shape;
- `inputs`: walking every input of a resource, whatever its type;
- `iam`: the grants of GCP IAM members, bindings and policies, and who their members are;
- `env_vars`: env vars of Cloud Run containers, Cloud Functions and Vercel;
- `filter_syntax`: the syntax Monitoring filters and Logging queries share;
- `monitoring_filter`: Cloud Monitoring filters read as the terms they require;
- `logging_filter`: Cloud Logging queries evaluated on sample log entries;
- `undecided`: what a policy could not decide, said as "not applicable" rather than passed.
"""

from .construction import (
    Report,
    ResourceCheck,
    StackCheck,
    StackReport,
    label,
    of_type,
    resource_policy,
    stack_policy,
)
from .credential_formats import (
    FORMATS,
    CredentialFormat,
    credential_kinds,
    quotable,
    shown_name,
)
from .durations import SECONDS_PER_DAY, duration_seconds
from .env_vars import (
    CLOUD_FUNCTION_TYPES,
    CLOUD_FUNCTION_V1,
    CLOUD_FUNCTION_V2,
    CLOUD_RUN_JOB_V2,
    CLOUD_RUN_SERVICE_V1,
    CLOUD_RUN_SERVICE_V2,
    CLOUD_RUN_TYPES,
    CONTAINERS_PATH,
    FUNCTION_ENV_PATHS,
    VERCEL_DEPLOYMENT,
    VERCEL_ENV_TYPES,
    VERCEL_ENV_VAR,
    VERCEL_ENV_VARS,
    VERCEL_PROJECT,
    VERCEL_SHARED_ENV_VAR,
    EnvVar,
    VercelVar,
    env_vars,
    function_env_vars,
    vercel_env_vars,
)
from .expected import expect
from .iam import (
    CONSUMER_DOMAINS,
    CUSTOM_ROLE_TYPES,
    HIERARCHY_IAM_TYPES,
    PROJECT_NUMBERS_SCHEMA,
    PUBLIC_PRINCIPALS,
    UNLISTED_AGENT,
    Allowed,
    Grant,
    canonical_role,
    custom_role_name,
    grants,
    iam_kind,
    is_custom_role_name,
    is_gcp_iam,
    member_kind,
    no_public_principals_policy,
    permissions,
    public_grant_key,
    public_principal,
    report_invalid,
    role_in,
    stack_project,
    unlisted_agents,
)
from .inputs import Leaf, leaves
from .logging_filter import UnsupportedQueryError, matches
from .monitoring_filter import FilterSyntaxError, Term, required_terms, requires
from .networks import OPEN_NETWORKS, admits_everyone
from .params import (
    STRING,
    STRING_LIST,
    config_value,
    fmt_number,
    min_retention_days,
    min_retention_days_schema,
    param_bool,
    param_number,
    param_str,
    param_str_map,
    param_strs,
    schema,
)
from .secret_names import looks_secret
from .stack_config import STACK_NAMESPACE, stack_setting, stack_url, stack_value
from .undecided import Undecided, unknown, unless_found
from .values import (
    MISSING,
    PROVIDER_DEFAULTS,
    UNKNOWN,
    as_bool,
    as_number,
    as_str,
    child,
    elements,
    entries,
    get,
    is_unknown,
    prop,
    provider_default_labels,
    strings,
)

__all__ = [
    "CLOUD_FUNCTION_TYPES",
    "CLOUD_FUNCTION_V1",
    "CLOUD_FUNCTION_V2",
    "CLOUD_RUN_JOB_V2",
    "CLOUD_RUN_SERVICE_V1",
    "CLOUD_RUN_SERVICE_V2",
    "CLOUD_RUN_TYPES",
    "CONSUMER_DOMAINS",
    "CONTAINERS_PATH",
    "CUSTOM_ROLE_TYPES",
    "FORMATS",
    "FUNCTION_ENV_PATHS",
    "HIERARCHY_IAM_TYPES",
    "MISSING",
    "OPEN_NETWORKS",
    "PROJECT_NUMBERS_SCHEMA",
    "PROVIDER_DEFAULTS",
    "PUBLIC_PRINCIPALS",
    "SECONDS_PER_DAY",
    "STACK_NAMESPACE",
    "STRING",
    "STRING_LIST",
    "UNKNOWN",
    "UNLISTED_AGENT",
    "VERCEL_DEPLOYMENT",
    "VERCEL_ENV_TYPES",
    "VERCEL_ENV_VAR",
    "VERCEL_ENV_VARS",
    "VERCEL_PROJECT",
    "VERCEL_SHARED_ENV_VAR",
    "Allowed",
    "CredentialFormat",
    "EnvVar",
    "FilterSyntaxError",
    "Grant",
    "Leaf",
    "Report",
    "ResourceCheck",
    "StackCheck",
    "StackReport",
    "Term",
    "Undecided",
    "UnsupportedQueryError",
    "VercelVar",
    "admits_everyone",
    "as_bool",
    "as_number",
    "as_str",
    "canonical_role",
    "child",
    "config_value",
    "credential_kinds",
    "custom_role_name",
    "duration_seconds",
    "elements",
    "entries",
    "env_vars",
    "expect",
    "fmt_number",
    "function_env_vars",
    "get",
    "grants",
    "iam_kind",
    "is_custom_role_name",
    "is_gcp_iam",
    "is_unknown",
    "label",
    "leaves",
    "looks_secret",
    "matches",
    "member_kind",
    "min_retention_days",
    "min_retention_days_schema",
    "no_public_principals_policy",
    "of_type",
    "param_bool",
    "param_number",
    "param_str",
    "param_str_map",
    "param_strs",
    "permissions",
    "prop",
    "provider_default_labels",
    "public_grant_key",
    "public_principal",
    "quotable",
    "report_invalid",
    "required_terms",
    "requires",
    "resource_policy",
    "role_in",
    "schema",
    "shown_name",
    "stack_policy",
    "stack_project",
    "stack_setting",
    "stack_url",
    "stack_value",
    "strings",
    "unknown",
    "unless_found",
    "unlisted_agents",
    "vercel_env_vars",
]
