"""The Google Cloud regions a stack may name in `gcp:region`.

Source: Google Cloud, "Regions and zones", table "Available regions and zones"
(https://cloud.google.com/compute/docs/regions-zones), as published in June 2025; kept here on
2026-11-26. A region Google opens later is refused until it is added here, with its city, in a
reviewed change: a typo (`us-centrall1`) fails at the preview instead of halfway through a
`pulumi up`.
"""

from __future__ import annotations

from typing import Final

GCP_REGIONS: Final[dict[str, str]] = {
    "africa-south1": "Johannesburg",
    "asia-east1": "Changhua County, Taiwan",
    "asia-east2": "Hong Kong",
    "asia-northeast1": "Tokyo",
    "asia-northeast2": "Osaka",
    "asia-northeast3": "Seoul",
    "asia-south1": "Mumbai",
    "asia-south2": "Delhi",
    "asia-southeast1": "Jurong West, Singapore",
    "asia-southeast2": "Jakarta",
    "asia-southeast3": "Bangkok",
    "australia-southeast1": "Sydney",
    "australia-southeast2": "Melbourne",
    "europe-central2": "Warsaw",
    "europe-north1": "Hamina, Finland",
    "europe-north2": "Stockholm",
    "europe-southwest1": "Madrid",
    "europe-west1": "St. Ghislain, Belgium",
    "europe-west2": "London",
    "europe-west3": "Frankfurt",
    "europe-west4": "Eemshaven, Netherlands",
    "europe-west6": "Zurich",
    "europe-west8": "Milan",
    "europe-west9": "Paris",
    "europe-west10": "Berlin",
    "europe-west12": "Turin",
    "me-central1": "Doha",
    "me-central2": "Dammam, Saudi Arabia",
    "me-west1": "Tel Aviv",
    "northamerica-northeast1": "Montréal",
    "northamerica-northeast2": "Toronto",
    "northamerica-south1": "Querétaro, Mexico",
    "southamerica-east1": "Osasco, São Paulo",
    "southamerica-west1": "Santiago",
    "us-central1": "Council Bluffs, Iowa",
    "us-east1": "Moncks Corner, South Carolina",
    "us-east4": "Ashburn, Virginia",
    "us-east5": "Columbus, Ohio",
    "us-south1": "Dallas",
    "us-west1": "The Dalles, Oregon",
    "us-west2": "Los Angeles",
    "us-west3": "Salt Lake City",
    "us-west4": "Las Vegas",
}
