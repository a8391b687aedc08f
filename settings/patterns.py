"""Shapes of names the stack files use, shared by every settings area."""

from typing import Final

DNS_LABEL: Final = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
DOMAIN: Final = rf"{DNS_LABEL}(?:\.{DNS_LABEL})+"
EMAIL: Final = r"[A-Za-z0-9._%+-]+@" + DOMAIN
LABEL_VALUE: Final = r"[a-z0-9_-]{1,63}"
PG_IDENTIFIER: Final = r"[a-z_][a-z0-9_]{0,62}"
URL_PATH: Final = r"/[A-Za-z0-9._~/-]*"
GCP_PROJECT: Final = r"[a-z][a-z0-9-]{4,28}[a-z0-9]"
GCP_REGION: Final = r"[a-z]+-[a-z]+[1-9][0-9]?"
BUCKET_LOCATION: Final = r"(?:[A-Z]{2,}[A-Z0-9-]*|[a-z]+-[a-z]+[1-9][0-9]?)"
# An IAM member the stack file names: a service account, a group or a user, by address.
IAM_MEMBER: Final = r"(?:serviceAccount|group|user):[A-Za-z0-9._%+-]+@" + DOMAIN
