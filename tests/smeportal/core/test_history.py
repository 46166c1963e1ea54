"""Readable change history (smeportal/core/history.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from interviews.models import Finding
from smeportal.core.history import history_entries
from tests.factories import FindingFactory, PriorityAreaFactory

pytestmark = pytest.mark.django_db


def _records(finding):
    return list(Finding.history.filter(id=finding.pk).select_related("history_user"))


def test_a_changed_relation_is_shown_by_name_old_and_new():
    first, second = PriorityAreaFactory(name="Kompetens"), PriorityAreaFactory(name="Lokaler")
    finding = FindingFactory(area=first, text="Svårt att rekrytera")
    finding.area = second
    finding.text = "Svårt att hitta lokaler"
    finding.save()

    with translation.override("sv"):
        newest, created = history_entries(_records(finding))

        assert created.changes == []
        text, area = (str(Finding._meta.get_field(name).verbose_name) for name in ("text", "area"))
        changes = {change.label: (change.old, change.new) for change in newest.changes}
        assert changes == {
            text: ("Svårt att rekrytera", "Svårt att hitta lokaler"),
            area: (str(first), str(second)),
        }


def test_relations_that_never_changed_are_not_looked_up():
    finding = FindingFactory(text="Före")
    for text in ("Efter", "Sist"):
        finding.text = text
        finding.save()
    records = _records(finding)

    with CaptureQueriesContext(connection) as queries:
        entries = history_entries(records)

    assert len(queries) == 0
    assert [len(entry.changes) for entry in entries] == [1, 1, 0]
