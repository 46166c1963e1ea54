"""Readable change history, a page at a time (smeportal/core/history.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from interviews.models import Finding, Interview
from smeportal.core.history import HISTORY_PAGE_SIZE, history_page
from tests.factories import FindingFactory, InterviewFactory, PriorityAreaFactory

pytestmark = pytest.mark.django_db


def _sources(finding):
    return [Finding.history.filter(id=finding.pk)]


def _edit(finding, times: int) -> None:
    for number in range(times):
        finding.text = f"Version {number + 1}"
        finding.save()


def test_a_changed_relation_is_shown_by_name_old_and_new():
    first, second = PriorityAreaFactory(name="Kompetens"), PriorityAreaFactory(name="Lokaler")
    finding = FindingFactory(area=first, text="Svårt att rekrytera")
    finding.area = second
    finding.text = "Svårt att hitta lokaler"
    finding.save()

    with translation.override("sv"):
        _page, (newest, created) = history_page(_sources(finding), 1)

        assert created.changes == []
        text, area = (str(Finding._meta.get_field(name).verbose_name) for name in ("text", "area"))
        changes = {change.label: (change.old, change.new) for change in newest.changes}
        assert changes == {
            text: ("Svårt att rekrytera", "Svårt att hitta lokaler"),
            area: (str(first), str(second)),
        }


def test_relations_that_never_changed_are_not_looked_up():
    finding = FindingFactory(text="Före")
    _edit(finding, 2)

    with CaptureQueriesContext(connection) as queries:
        _page, entries = history_page(_sources(finding), 1)

    # The count, the page's rows, its records, their previous versions: no area, no interview.
    assert len(queries) == 4
    assert [len(entry.changes) for entry in entries] == [1, 1, 0]


def test_a_page_holds_its_share_and_compares_its_oldest_change_with_the_page_after():
    finding = FindingFactory(text="Version 0")
    _edit(finding, HISTORY_PAGE_SIZE)  # one record more than a page: the creation is on page 2

    first, entries = history_page(_sources(finding), 1)
    second, older = history_page(_sources(finding), 2)

    assert first.paginator.count == HISTORY_PAGE_SIZE + 1
    assert len(entries) == HISTORY_PAGE_SIZE and len(older) == 1
    oldest_on_first = entries[-1].changes[0]
    assert (oldest_on_first.old, oldest_on_first.new) == ("Version 0", "Version 1")
    assert older[0].changes == []  # the creation


def test_an_object_and_its_parts_are_merged_newest_first():
    interview = InterviewFactory(grade=3)
    finding = FindingFactory(interview=interview, text="Först")
    interview.grade = 5
    interview.save()
    finding.text = "Sist"
    finding.save()
    sources = [interview.history.all(), Finding.history.filter(interview_id=interview.pk)]

    with translation.override("en"):
        _page, entries = history_page(sources, 1)
        finding_label, interview_label = Finding._meta.verbose_name, Interview._meta.verbose_name

        assert [(entry.what, entry.object_label) for entry in entries] == [
            ("Changed", finding_label),
            ("Changed", interview_label),
            ("Created", finding_label),
            ("Created", interview_label),
        ]
    assert [(change.old, change.new) for change in entries[0].changes] == [("Först", "Sist")]


def test_the_queries_of_a_page_do_not_grow_with_the_history():
    def queries_for(edits: int) -> int:
        finding = FindingFactory(text="Version 0")
        _edit(finding, edits)
        interview = finding.interview
        sources = [interview.history.all(), Finding.history.filter(interview_id=interview.pk)]
        with CaptureQueriesContext(connection) as queries:
            history_page(sources, 1)
        return len(queries)

    # At 75 changes the interview's own records are not on the first page; its source is asked.
    assert queries_for(2) == queries_for(3 * HISTORY_PAGE_SIZE) == 6


def test_an_unknown_page_number_shows_the_last_page():
    finding = FindingFactory()
    page, entries = history_page(_sources(finding), "999")
    assert page.number == 1 and len(entries) == 1


def _unbounded_scans(plan: dict) -> list[str]:
    """The plan's nodes that read a table, or a whole index, instead of looking rows up."""
    found = []
    if plan["Node Type"] == "Seq Scan" or (
        plan["Node Type"] in {"Index Scan", "Index Only Scan"} and "Index Cond" not in plan
    ):
        found.append(f"{plan['Node Type']} on {plan['Relation Name']}")
    for child in plan.get("Plans", []):
        found += _unbounded_scans(child)
    return found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are Postgres's")
def test_every_query_of_a_page_looks_its_rows_up_by_index():
    """An interview's history at scale sits among millions of records: a page that reads a
    history table whole fails (an OR over a subquery did, walking the date index: 0.4 s at
    100,000 interviews)."""
    finding = FindingFactory(text="Version 0")
    _edit(finding, 3)
    interview = finding.interview
    # Other interviews' records, as at scale: a history where every record is the
    # interview's own is best read in date order, filtered, whatever indexes there are.
    FindingFactory.create_batch(30)
    sources = [interview.history.all(), Finding.history.filter(interview_id=interview.pk)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE interviews_historicalinterview")
        cursor.execute("ANALYZE interviews_historicalfinding")
        # A test database is small enough to read whole; priced out, a plan shows whether an
        # index can answer the query at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
    with CaptureQueriesContext(connection) as queries:
        history_page(sources, 1)
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {query['sql']}")
            plan = cursor.fetchone()[0][0]["Plan"]
            assert not _unbounded_scans(plan), (query["sql"], plan)
