"""The apps depend one way: audit → api → archive → opendata → public_site → reminders → records →
reports, search, letters → actionplan → workshops → interviews → smeportal.

A module may import from its own app and from the apps below it, never from one above: the
lower apps then stay usable and testable without the upper ones, and a change in a report
cannot break an interview. The project's composition roots (settings, the root URLconf, the
Celery app) name every app by design and are left out, as are migrations (Django's own
dependency graph) and the tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lowest first.
LAYERS: list[set[str]] = [
    {"smeportal"},
    {"interviews"},
    {"workshops"},
    {"actionplan"},
    # The one search box reads every domain app, as the reports do.
    {"reports", "search", "letters"},
    # A request for public records may cover a report, as well as interviews and the plan.
    {"records"},
    # The daily reminders name the requests for public records that wait for a decision.
    {"reminders"},
    # The anonymous public page shows the reports' summary, shaped as the dashboard shapes it.
    {"public_site"},
    # Open data files and their DCAT description read what public_site publishes.
    {"opendata"},
    # Delivery packages for the e-archive hold every kind of record, released documents too.
    {"archive"},
    # The API serves the published data as public_site defines it, and every domain app's.
    {"api"},
    # Retention reaches into the reports built from the records it removes, and follows the
    # archive's information management plan. The audit trail lists the API's calls.
    {"audit"},
]
COMPOSITION_ROOTS = {"smeportal/settings", "smeportal/urls.py", "smeportal/celery.py"}


def _layer(app: str) -> int:
    return next(index for index, apps in enumerate(LAYERS) if app in apps)


def _modules():
    for apps in LAYERS:
        for app in apps:
            for path in sorted((ROOT / app).rglob("*.py")):
                relative = path.relative_to(ROOT).as_posix()
                if "/migrations/" in relative:
                    continue
                if any(relative.startswith(root) for root in COMPOSITION_ROOTS):
                    continue
                yield app, relative, path


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return names & set().union(*LAYERS)


def test_every_app_imports_only_itself_and_the_apps_below_it():
    wrong = [
        f"{relative} imports {imported}"
        for app, relative, path in _modules()
        for imported in sorted(_imported_apps(path))
        if imported != app and _layer(imported) >= _layer(app)
    ]
    assert not wrong, "imports against the direction of the layers:\n" + "\n".join(wrong)


@pytest.mark.parametrize("app", ["reports", "audit"])
def test_reports_and_audit_are_top_level_apps(app):
    from django.apps import apps

    assert apps.get_app_config(app).name == app
