"""Component tests: each component built from fixture args under the mocks."""

import pytest

# Shared assertions keep pytest's detailed failure messages.
pytest.register_assert_rewrite("tests.components.backup_bucket")
