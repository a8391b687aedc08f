"""Tests of the secret scripts, offline, with fakes at the client boundary.

The boundary module is imported first: it silences google-api-core's Python-version notice
before any test module imports Google's libraries, as it does for the scripts.
"""

import scripts.secret_clients  # noqa: F401
