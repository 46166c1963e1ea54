"""The bench's parts that the suite can check without gunicorn or the scale data set.

Every URL pattern is benchmarked or named with a reason, so a page added later is measured;
each benchmarked request answers its role at demo size; each import gets a file of the largest
size allowed; the counting application counts; the verdicts follow the issue's targets. No
test here measures or asserts a time.
"""

from __future__ import annotations

import io
import json
from io import StringIO
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from openpyxl import load_workbook

from actionplan import measurement_import
from interviews import imports
from smeportal.accounts.models import User
from tests.security.test_access_matrix import ACCESS
from tests.urlwalk import iter_url_patterns

from . import wsgi
from .bench import IMPORT_FILES, PAGE_MAX_BYTES, page_forms
from .pages import ANONYMOUS, MEASURED_ELSEWHERE, bench_objects, discover, username_for
from .summary import import_verdict, page_verdict, report_verdict

# One process runs this module: its module fixture is built once (make test: --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("bench")]

POST_ONLY = "an action without a page (POST only)"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data set, with every kind of object the URL patterns take."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        objects = bench_objects()
        yield objects
        transaction.set_rollback(True)


class StandIn:
    """An object kind the demo does not hold (a finished export job): any id fills the URL."""

    pk = 1


def _objects(demo) -> dict:
    return {kind: obj if obj is not None else StandIn() for kind, obj in demo.items()}


def test_every_url_pattern_is_benchmarked_or_named_with_its_reason(demo):
    discovery = discover(_objects(demo))
    names = {name for name, _route, _pattern in iter_url_patterns()}
    benchmarked = {page.name for page in discovery.pages}
    assert benchmarked | set(discovery.skipped) == names
    assert not benchmarked & set(discovery.skipped)
    for name, reason in discovery.skipped.items():
        if name in MEASURED_ELSEWHERE:
            assert reason.startswith("measured as")
        else:
            assert reason == POST_ONLY and ACCESS[name]["GET"] is None, name
    # The variants that grow with the data are there too: searches, filters, deep pages.
    keys = {page.key for page in discovery.pages}
    assert "interviews:interview_list [search rare word]" in keys
    assert "interviews:interview_list [page 2000]" in keys
    assert "audit:retention [interviews older than 5 years]" in keys
    assert "reports:dashboard as council" in keys
    assert len(keys) == len(discovery.pages)


def test_every_import_is_benchmarked_with_a_file_of_the_largest_size(demo):
    discovery = discover(_objects(demo))
    assert set(discovery.imports) == {
        "interviews:interview_import",
        "actionplan:measurement_import",
    }
    limits = {
        "interviews:interview_import": (imports.MAX_DATA_ROWS, imports.MAX_IMPORT_BYTES),
        "actionplan:measurement_import": (
            measurement_import.MAX_DATA_ROWS,
            measurement_import.MAX_IMPORT_BYTES,
        ),
    }
    for name in discovery.imports:
        content, rows = IMPORT_FILES[name]()
        max_rows, max_bytes = limits[name]
        assert rows == max_rows
        assert len(content) <= max_bytes
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        assert sum(1 for _row in workbook.worksheets[0].iter_rows()) == rows + 1
        workbook.close()


def _client(role: str) -> Client:
    client = Client()
    username = username_for(role)
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def test_every_benchmarked_request_answers_its_role_at_demo_size(demo):
    """The bench's role, object and query string for each page reach the page itself."""
    failed = []
    for page in discover(demo).pages:
        client = _client(page.role)
        with transaction.atomic():
            if page.method == "POST":
                response = client.post(page.url, page.data)
            else:
                response = client.get(page.url)
            transaction.set_rollback(True)
        if response.status_code >= 400 or (
            page.role != ANONYMOUS and response.status_code == 302 and "login" in response.url
        ):
            failed.append(f"{page.key} as {page.role}: {response.status_code}")
    assert not failed, "\n".join(failed)


def test_the_retention_searches_list_records(demo):
    page = next(page for page in discover(demo).pages if page.key == "audit:retention [contacts]")
    response = _client(page.role).post(page.url, page.data)
    assert response.status_code == 200
    forms = page_forms(response.content.decode())
    assert any(form["method"] == "post" for form in forms)


def test_the_counting_application_writes_one_line_per_marked_request(tmp_path, monkeypatch):
    log = tmp_path / "requests.jsonl"
    monkeypatch.setattr(wsgi, "LOG", str(log))
    environ = {"PATH_INFO": "/healthz/", "HTTP_X_BENCH_ID": "abc", "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    statuses = []
    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = wsgi.application(environ, lambda status, headers: statuses.append(status))
        body = b"".join(result)
        result.close()
        environ.pop("HTTP_X_BENCH_ID")
        wsgi.application(environ, lambda status, headers: None).close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert statuses[0].startswith("200") and body
    record = json.loads(log.read_text())
    assert record["id"] == "abc"
    assert record["queries"] >= 1  # the health check asks the database
    assert record["peak_kb"] is None or record["peak_kb"] >= (record["rss_before_kb"] or 0)
    # The unmarked request passed through without a line.
    assert len(log.read_text().splitlines()) == 1


def test_the_verdicts_follow_the_targets_of_the_issue():
    demo = {"queries": 8, "bytes": 1000}
    page = {"kind": "page", "status": "200", "ratio": 2.5, "queries": 8, "bytes": 2000}
    assert page_verdict(demo, page) == []
    assert page_verdict(demo, {**page, "ratio": 3.2}) == ["3.2x trivial"]
    assert page_verdict(demo, {**page, "queries": 9}) == ["queries 8 -> 9"]
    assert page_verdict(demo, {**page, "bytes": PAGE_MAX_BYTES + 1}) == ["512 KB"]
    assert page_verdict(demo, {**page, "status": "timeout"})[0] == "status timeout"
    export = {"kind": "export", "status": "200", "ratio": 90.0, "peak_extra_mb": 20.0}
    assert page_verdict(demo, export) == []
    assert page_verdict(demo, {**export, "peak_extra_mb": 900.0}) == ["+900 MB"]
    imported = {"status": "200, 302", "preview_ratio": 1.5, "commit_ratio": 1.9}
    assert import_verdict(imported) == []
    assert import_verdict({**imported, "commit_ratio": 2.4}) == ["commit 2.4x parse"]
    report = {"status": "klar", "time_ratio": 1.8, "peak_mb": 300}
    assert report_verdict(report) == []
    assert report_verdict({**report, "peak_mb": 600}) == ["600 MB"]
