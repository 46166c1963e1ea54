"""Free-text search of interviews on Postgres: a stored search document per interview.

Each interview row carries a column `search` (tsvector, Swedish configuration) holding its
company's name, its notes and the texts and quotes of its live findings, with a GIN index
(`interviews_interview_search_gin`). A search is then one indexed match on one table,
`search @@ interviews_search_query(<text>)`, for the page and for its count alike, instead of
stemming every finding's text on every request (issue 12: 29 s for a common word, 97 s for a
rare one at 100,000 interviews).

Words are stemmed by Postgres' Swedish configuration plus one step it lacks: the definite
neuter "-et" ("bygglovet" finds "bygglov", "området" finds "område"), applied alike to the
documents (interviews_search_vector) and to the query (interviews_search_query, web-search
syntax: words are ANDed, "quoted phrases", `or`, `-word`); see migration 0007. The column
keeps statistics on 10,000 words, so the planner tells a rare word from a common one
(migration 0008): a common word's first page comes from the date index, stopping at the 25th
match; a rare word's few matches come from the GIN index.

Who may match what: the interview list is for business developers and administrators, who
see confidential findings (business secrets), so the document holds them; archived findings
are hidden everywhere, so it leaves them out. Facilitators never reach this search: their
evidence search (workshops.views.evidence) matches the findings they may see, one by one, by
substring, and decides per finding whether its quote may be searched.

Substring searches have trigram indexes (pg_trgm) on exactly the expressions they compare:
the company name folded (smeportal.core.folding: case and accents ignored, migration 0014)
and the organisation number (the company list, migration 0006), finding text and quote
within an area (the evidence search and the finding list, interviews.area_search).

The exact count of a word found in a third of the interviews still reads most of the table
(0.1-0.7 s at 100,000: the matches are spread over every page); a list that must stay fast
for such words counts up to a cap (smeportal.core.pagination.CappedPaginator).

Why the database keeps the document current (triggers, migration 0006_search), not the
services: the document must follow *every* write of a company name, an interview's notes or
a finding, and several writers bypass the services on purpose: the bulk import
(`interviews_create_many`, bulk_create), the retention decision's name masking
(audit.services, bulk_update of texts), the scale data set (bulk_create), the restore of a
backup (raw saves), and anything an administrator runs in SQL. A document that missed one of
them would find text that retention removed, or miss what was imported. The triggers are:

- BEFORE INSERT or UPDATE OF notes, company_id on interviews: the row's document is rebuilt;
- AFTER INSERT, UPDATE, DELETE on findings, once per statement (transition tables), so a
  bulk insert of thousands of findings costs one UPDATE: new findings' texts are appended to
  their interviews' documents; a change of a finding's text, quote, archive state or
  interview, or its deletion, rebuilds the documents of the interviews concerned;
- AFTER UPDATE OF name on companies, when the name changed: the company's interviews.

The column is not a Django model field: Django never reads it (no interview query or export
carries a few kilobytes of document per row), never writes a stale copy back, and the
history tables and backups do not hold it (a backup restored on Postgres gets it rebuilt by
the triggers). On SQLite (the embedded default) there is no column and no trigger; the
search there is a case-insensitive substring match (interviews.selectors).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Expression


class DocumentMatches(Expression):
    """`<interviews table>.search @@ interviews_search_query(text)`, for filter().

    The table is the query's own base table (its alias, should the query become a subquery).
    The function is IMMUTABLE: the planner turns the text into a tsquery once and estimates
    from the column's statistics how many interviews match (a common word or a rare one).
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.search @@ interviews_search_query(%s)", (self.text,)


def search_vectors_refresh_all(*, rebuild: bool = False) -> int:
    """After a bulk load: make sure every interview has its document, and let the planner
    know the words; return how many documents were written. Postgres only (0 on SQLite).

    The triggers fill the documents as rows are written, so after `seed_scale` nothing is
    missing and what matters is the ANALYZE: without statistics on the new words the planner
    takes any word for a common one and, for a rare word, walks the whole date index for the
    first page (see migration 0008). `rebuild=True` rewrites every document (a repair after
    the triggers were disabled, say); at 100,000 interviews that takes minutes.
    """
    if connection.vendor != "postgresql":
        return 0
    where = "" if rebuild else " WHERE i.search IS NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE interviews_interview AS i "
            "SET search = interviews_interview_document(i.id, i.notes, i.company_id)" + where
        )
        written = cursor.rowcount
        cursor.execute("ANALYZE interviews_interview")
    return written
