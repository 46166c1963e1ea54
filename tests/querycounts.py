"""Query counts of a page, for the tests that a list costs the same at any data size."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str, data: dict | None = None, *, status: int = 200):
    """(response, number of SQL queries) of one GET."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == status, response.status_code
    return response, len(captured.captured_queries)
