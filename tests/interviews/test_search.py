"""Free-text search of interviews and companies (issue 12).

On Postgres the interview search matches a stored search document (interviews/search.py) kept
current by triggers; these tests write through every kind of path (services, the bulk import,
a plain UPDATE as the retention decision's masking does) and search through the list page.
On SQLite the same behaviour comes from a substring match.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.area_search import area_index_name
from interviews.models import Company, Finding, Interview
from interviews.services import (
    FindingChange,
    InterviewInput,
    NewInterview,
    finding_archive,
    interview_update,
    interviews_create_many,
)
from smeportal.areas.models import PriorityArea
from tests.factories import CompanyFactory, FindingFactory, InterviewFactory, _valid_orgnr

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Postgres only: the stored search document, its GIN index and pg_trgm (SQLite "
    "searches by substring)",
)


def _found(client, text: str) -> list[int]:
    response = client.get(reverse("interviews:interview_list"), {"q": text})
    assert response.status_code == 200
    return [interview.pk for interview in response.context["page_obj"]]


def _companies_found(client, text: str) -> list[int]:
    response = client.get(reverse("interviews:company_list"), {"q": text})
    assert response.status_code == 200
    return [company.pk for company in response.context["page_obj"]]


def _update_input(interview: Interview, user, findings: list[FindingChange]) -> InterviewInput:
    return InterviewInput(
        fields={
            "date": interview.date,
            "format": interview.format,
            "status": interview.status,
            "consent": interview.consent,
            "grade": interview.grade,
            "notes": interview.notes,
        },
        interviewers=[user],
        findings=findings,
    )


# --- Behaviour, on both databases ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_word_inside_a_longer_form_is_found(developer_client):
    hit = FindingFactory(text="Bygglovet dröjer i månader").interview
    InterviewFactory(notes="Inget om lov")
    assert _found(developer_client, "bygglov") == [hit.pk]


@pytest.mark.django_db
def test_the_search_follows_an_edit_of_a_finding(developer_client, developer):
    interview = InterviewFactory(interviewers=[developer])
    finding = FindingFactory(interview=interview, text="Parkeringen vid Fristadstorget saknas")
    assert _found(developer_client, "Fristadstorget") == [interview.pk]

    change = FindingChange(data={"text": "Cykelställen vid Munktellstaden saknas"}, finding=finding)
    interview_update(
        interview=interview,
        expected_version=interview.version,
        data=_update_input(interview, developer, [change]),
        user=developer,
    )
    assert _found(developer_client, "Fristadstorget") == []
    assert _found(developer_client, "Munktellstaden") == [interview.pk]


@pytest.mark.django_db
def test_the_search_follows_notes_and_a_new_finding(developer_client, developer):
    interview = InterviewFactory(interviewers=[developer], notes="Samtal om fjärrvärme")
    area = PriorityArea.objects.order_by("order").first()
    new = FindingChange(
        data={
            "area": area,
            "type": "ide",
            "text": "Gemensam laddinfrastruktur i industriområdet",
            "importance": 2,
            "quote": "Vi vill dela laddstolpar",
            "is_key_quote": False,
            "is_confidential": False,
        }
    )
    data = _update_input(interview, developer, [new])
    data.fields["notes"] = "Samtal om solceller"
    interview_update(interview=interview, expected_version=interview.version, data=data)

    assert _found(developer_client, "fjärrvärme") == []
    assert _found(developer_client, "solceller") == [interview.pk]
    assert _found(developer_client, "laddinfrastruktur") == [interview.pk]
    assert _found(developer_client, "laddstolpar") == [interview.pk]


@pytest.mark.django_db
def test_an_archived_finding_no_longer_matches(developer_client, developer):
    finding = FindingFactory(text="Snöröjningen på Kungsgatan brister")
    assert _found(developer_client, "snöröjningen") == [finding.interview_id]
    finding_archive(finding=finding, user=developer)
    assert _found(developer_client, "snöröjningen") == []


@pytest.mark.django_db
def test_a_confidential_finding_is_found_by_business_developers(developer_client):
    finding = FindingFactory(text="Planerar en ny fabrik i Kjula", is_confidential=True)
    assert _found(developer_client, "fabrik") == [finding.interview_id]


@pytest.mark.django_db
def test_a_text_rewritten_by_a_plain_update_is_searched_as_it_reads_now(developer_client):
    # The retention decision masks names with bulk UPDATEs, past the services.
    finding = FindingFactory(text="Åsa Lindqvist vill ha besked om bygglovet")
    Finding.objects.filter(pk=finding.pk).update(
        text="[namn borttaget] vill ha besked om bygglovet"
    )
    Interview.objects.filter(pk=finding.interview_id).update(notes="Möte med [namn borttaget]")
    assert _found(developer_client, "Lindqvist") == []
    assert _found(developer_client, "besked") == [finding.interview_id]


@pytest.mark.django_db
def test_a_renamed_company_is_found_by_its_new_name(developer_client):
    interview = InterviewFactory(company=CompanyFactory(name="Gjuteriet Hällby AB"))
    Company.objects.filter(pk=interview.company_id).update(name="Torshälla Metall AB")
    assert _found(developer_client, "Hällby") == []
    assert _found(developer_client, "Metall") == [interview.pk]


@pytest.mark.django_db
def test_an_imported_interview_is_found(developer_client, developer):
    area = PriorityArea.objects.order_by("order").first()
    company = Company(
        name="Importerade Svets AB",
        organisation_number=_valid_orgnr(5569100000),
        industry="C",
        size_class="10-49",
        district="centrum",
    )
    finding = {
        "area": area,
        "type": "utmaning",
        "text": "Svårt att hitta plåtslagare",
        "importance": 2,
        "quote": "Vi annonserar i månader",
        "is_key_quote": False,
        "is_confidential": False,
    }
    fields = {
        "date": date(2025, 3, 14),
        "format": "besok",
        "duration_minutes": 60,
        "status": "klar",
        "grade": 4,
        "consent": "anonymt",
        "notes": "Samtal om lärlingar",
    }
    created = interviews_create_many(
        user=developer,
        interviews=[NewInterview(company=company, fields=fields, findings=[finding])],
    )
    pk = created.interviews[0].pk
    for word in ("plåtslagare", "annonserar", "lärlingar", "Importerade"):
        assert _found(developer_client, word) == [pk], word


@pytest.mark.django_db
def test_company_list_searches_part_of_a_name_or_an_organisation_number(developer_client):
    company = CompanyFactory(
        name="Rekarne Rör & Värme AB", organisation_number=_valid_orgnr(5591234560)
    )
    CompanyFactory(name="Ärla Bageri AB", organisation_number=_valid_orgnr(5597654320))
    assert _companies_found(developer_client, "rne rör") == [company.pk]
    assert _companies_found(developer_client, "9123-45") == [company.pk]
    # A name with a digit in it is still found by its name.
    numbered = CompanyFactory(name="Bygg 2000 AB", organisation_number=_valid_orgnr(5590000010))
    assert _companies_found(developer_client, "bygg 2000") == [numbered.pk]


# --- Postgres: stemming and the plans ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("Hällby Åkeri har svårt att rekrytera", "hallby"),
        ("Hällby Åkeri har svårt att rekrytera", "HÄLLBY"),
        ("Caféet vid ån vill ha uteservering", "cafe"),
        ("Bageri i Torshälla", "TORSHALLA"),
    ],
)
def test_case_and_accents_are_ignored_on_both_databases(developer_client, written, searched):
    """As every search of the portal (smeportal.core.folding): on Postgres the stems are
    folded (interviews migration 0015), on SQLite the substring is."""
    hit = FindingFactory(text=written).interview
    InterviewFactory(notes="Inget om det")
    assert _found(developer_client, searched) == [hit.pk]


@pytest.mark.django_db
def test_a_company_name_is_found_without_its_accents(developer_client):
    hit = InterviewFactory(company=CompanyFactory(name="Ärlinghedens Verkstäder AB"))
    InterviewFactory()
    assert _found(developer_client, "arlinghedens") == [hit.pk]


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("Bygglov dröjer", "bygglovet"),  # the definite form finds the word
        ("Bygglovet dröjer", "bygglov"),
        ("Bygglovets handläggning", "bygglov"),
        ("Området kring stationen", "område"),
        ("Projektet med skolan", "projekt"),
        ("Kommunen svarar inte", "kommun"),
    ],
)
def test_swedish_forms_of_a_word_find_each_other(developer_client, written, searched):
    hit = FindingFactory(text=written).interview
    InterviewFactory(notes="Samtal om annat")
    assert _found(developer_client, searched) == [hit.pk]


@postgres_only
@pytest.mark.django_db
def test_web_search_syntax(developer_client):
    permit = FindingFactory(text="Bygglovet dröjer").interview
    both = FindingFactory(text="Bygglov och parkering").interview
    assert set(_found(developer_client, "bygglov")) == {permit.pk, both.pk}
    assert _found(developer_client, "bygglov -parkering") == [permit.pk]
    assert _found(developer_client, '"bygglovet dröjer"') == [permit.pk]
    assert _found(developer_client, "och") == []  # a stop word alone finds nothing


def _plans(sqls: list[str]) -> list[str]:
    plans = []
    with connection.cursor() as cursor:
        for sql in sqls:
            cursor.execute(f"EXPLAIN {sql}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@postgres_only
@pytest.mark.django_db
def test_the_interview_search_reads_the_gin_index_for_page_and_count(developer_client):
    for number in range(30):
        FindingFactory(text=f"Synpunkt {number} om handläggningstider")
    FindingFactory(text="Bygglovet dröjer")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE interviews_interview")
        cursor.execute("ANALYZE interviews_finding")
        # A test database is small enough to read whole, or to walk in date order testing
        # each row; with both priced out the plan shows whether an index can answer the search
        # at all. (At scale the planner chooses by the word's frequency: the date index for a
        # common word's first page, the GIN index for a rare word and for the count.)
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    with CaptureQueriesContext(connection) as queries:
        assert len(_found(developer_client, "bygglovet")) == 1
    searches = [q["sql"] for q in queries.captured_queries if "interviews_search_query" in q["sql"]]
    assert len(searches) == 2, searches  # the count and the page, nothing else
    count, page = _plans(searches)
    assert "COUNT" in searches[0]
    for plan in (count, page):
        assert "interviews_interview_search_gin" in plan, plan
        assert "Seq Scan" not in plan, plan
        # The stored document is matched; nothing is stemmed row by row.
        assert "to_tsvector" not in plan, plan
        assert "interviews_finding" not in plan, plan


@postgres_only
@pytest.mark.django_db
def test_substring_searches_can_use_the_trigram_indexes():
    CompanyFactory.create_batch(5)
    FindingFactory.create_batch(5)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    from interviews.selectors import company_list

    # Without the list's order, which an index on the name serves by walking all of it.
    companies = company_list("rör").order_by().explain()
    assert "interviews_company_name_fold_trgm" in companies, companies
    # A search without a digit cannot be part of an organisation number: one index, not two.
    assert "interviews_company_orgnr_trgm" not in companies, companies
    numbers = company_list("5591").order_by().explain()
    assert "interviews_company_name_fold_trgm" in numbers, numbers
    assert "interviews_company_orgnr_trgm" in numbers, numbers
    # A finding's text and quote are searched through the stored document (interviews) or each
    # area's own trigram indexes (interviews.area_search): their plain trigram indexes only cost writes.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'interviews_finding' "
            "AND indexname IN ('interviews_finding_text_trgm', 'interviews_finding_quote_trgm')"
        )
        assert {name for (name,) in cursor.fetchall()} == set()


@postgres_only
@pytest.mark.django_db
def test_bulk_findings_stem_each_text_once():
    # An insert appends the new findings to the document; the result is the same as a rebuild.
    interview = InterviewFactory(notes="Anteckningar om projektet", company__name="Kvarnen AB")
    area = PriorityArea.objects.order_by("order").first()
    Finding.objects.bulk_create(
        Finding(interview=interview, area=area, type="ide", text=text, quote=quote)
        for text, quote in [("Området behöver belysning", "Mörkt"), ("Arkivet", "")]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search::text, interviews_interview_document(id, notes, company_id)::text "
            "FROM interviews_interview WHERE id = %s",
            [interview.pk],
        )
        stored, rebuilt = cursor.fetchone()
    lexemes = {item.split(":")[0] for item in stored.split()}
    assert lexemes == {item.split(":")[0] for item in rebuilt.split()}
    assert {"'kvarn'", "'projek'", "'omrad'", "'arkiv'"} <= lexemes


@postgres_only
@pytest.mark.django_db
def test_every_search_index_keeps_a_short_pending_list():
    """Every GIN index of the schema (the search document, the trigram indexes): a search reads
    the whole pending list, which after an import of 5,000 rows made it 5-7 ms instead of well
    under one (interviews migration 0013)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, coalesce(array_to_string(c.reloptions, ','), '') "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'gin' AND n.nspname = current_schema()"
        )
        indexes = dict(cursor.fetchall())

    area = PriorityArea.objects.order_by("pk").first()
    assert {"interviews_interview_search_gin", area_index_name("text", area.pk)} <= set(indexes)
    assert {name for name, options in indexes.items()} == {
        name for name, options in indexes.items() if "gin_pending_list_limit=128" in options
    }


@postgres_only
@pytest.mark.django_db
def test_a_word_found_once_is_read_as_a_whole_page(developer_client):
    """The page of a search asks for a whole page of rows however few are counted: LIMIT 1 for
    a word found once made Postgres walk the date index looking for it."""
    InterviewFactory(notes="Besök hos en knivsmedja i Torshälla.")
    InterviewFactory.create_batch(2)

    with CaptureQueriesContext(connection) as queries:
        assert len(_found(developer_client, "knivsmedja")) == 1

    page_query = [q["sql"] for q in queries if "ORDER BY" in q["sql"] and "@@" in q["sql"]]
    assert page_query and all("LIMIT 25" in sql for sql in page_query)
