"""The public page's small dialogue (public and unpublished objects, personal-looking values
wherever a person could be named, and a summary), shared with the open data's tests."""

from __future__ import annotations

from tests.public_site.conftest import _empty_cache, anonymous, dialogue  # noqa: F401
