"""Free-text search of interviews on Postgres: a stored search document per interview.

Each interview row carries a column `search` (tsvector, Swedish configuration) holding its
company's name, its notes and the texts and quotes of its live findings, with a GIN index
(`interviews_interview_search_gin`). A search is then one indexed match on one table,
`search @@ websearch_to_tsquery('swedish', <text>)`, for the page and for its count alike,
instead of stemming every finding's text on every request (issue 12: 29 s for a common word,
97 s for a rare one at 100,000 interviews).

Who may match what: the interview list is for business developers and administrators, who
see confidential findings (business secrets), so the document holds them; archived findings
are hidden everywhere, so it leaves them out. Facilitators never reach this search (their
evidence search reads findings one by one, see workshops.views.evidence).

Why the database keeps the document current (triggers, migration 0006_search), not the
services: the document must follow *every* write of a company name, an interview's notes or
a finding, and several writers bypass the services on purpose: the bulk import
(`interviews_create_many`, bulk_create), the retention decision's name masking
(audit.services, bulk_update of texts), the scale data set (bulk_create), the restore of a
backup (raw saves), and anything an administrator runs in SQL. A document that missed one of
them would find text that retention removed, or miss what was imported. The triggers are:

- BEFORE INSERT or UPDATE OF notes, company_id on interviews: the row's document is rebuilt;
- AFTER INSERT, UPDATE, DELETE on findings (once per statement, with transition tables, so a
  bulk insert of thousands of findings rebuilds each touched interview once): the documents
  of the interviews whose findings changed text, quote, archive state or interview;
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

SEARCH_CONFIG = "swedish"


class DocumentMatches(Expression):
    """`<interviews table>.search @@ websearch_to_tsquery('swedish', text)`, for filter().

    Web-search syntax: words are ANDed, "quoted phrases", `or`, and `-word` to exclude.
    The table is the query's own base table (its alias, should the query become a subquery).
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return (
            f"{table}.search @@ websearch_to_tsquery(%s::regconfig, %s)",
            (SEARCH_CONFIG, self.text),
        )


def search_vectors_refresh_all() -> int:
    """Rebuild every interview's search document in one statement; return how many.

    The triggers keep the documents current, so this is a repair tool (and what
    `seed_scale` calls after its bulk load, to be sure). Postgres only; nothing on SQLite.
    """
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE interviews_interview AS i "
            "SET search = interviews_interview_document(i.id, i.notes, i.company_id)"
        )
        return cursor.rowcount
