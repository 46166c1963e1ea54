"""Search at scale (issue 12), on Postgres only; nothing changes on SQLite.

- A stored search document per interview (column `search`, tsvector, Swedish), kept current
  by triggers, with a GIN index: see interviews/search.py for what it holds and why the
  database maintains it.
- pg_trgm and trigram GIN indexes on the expressions Django's `icontains` compares
  (UPPER(column) LIKE UPPER('%text%')), so substring searches use an index: company name and
  organisation number (company list), finding text and quote (a proposal's evidence search).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL


DOCUMENT = [
    "ALTER TABLE interviews_interview ADD COLUMN search tsvector",
    # The company's name (weight A), the notes (B), the live findings' texts and quotes (C).
    r"""
    CREATE FUNCTION interviews_interview_document(
        p_interview bigint, p_notes text, p_company bigint
    ) RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT
            setweight(to_tsvector('swedish'::regconfig, coalesce(
                (SELECT c.name FROM interviews_company c WHERE c.id = p_company), ''
            )), 'A')
            || setweight(to_tsvector('swedish'::regconfig, coalesce(p_notes, '')), 'B')
            || setweight(to_tsvector('swedish'::regconfig, coalesce(
                (SELECT string_agg(f.text || E'\n' || f.quote, E'\n' ORDER BY f.id)
                   FROM interviews_finding f
                  WHERE f.interview_id = p_interview AND NOT f.is_archived), ''
            )), 'C')
    $$
    """,
    r"""
    CREATE FUNCTION interviews_interview_search_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search := interviews_interview_document(NEW.id, NEW.notes, NEW.company_id);
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER interviews_interview_search
    BEFORE INSERT OR UPDATE OF notes, company_id ON interviews_interview
    FOR EACH ROW EXECUTE FUNCTION interviews_interview_search_row()
    """,
    # Once per statement: a bulk insert of findings rebuilds each interview it touched once.
    r"""
    CREATE FUNCTION interviews_finding_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE interviews_interview i
               SET search = interviews_interview_document(i.id, i.notes, i.company_id)
             WHERE i.id IN (SELECT n.interview_id FROM new_findings n);
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE interviews_interview i
               SET search = interviews_interview_document(i.id, i.notes, i.company_id)
             WHERE i.id IN (SELECT o.interview_id FROM old_findings o);
        ELSE
            -- Only what the document reads: not a change of importance or key-quote mark.
            UPDATE interviews_interview i
               SET search = interviews_interview_document(i.id, i.notes, i.company_id)
             WHERE i.id IN (
                SELECT unnest(ARRAY[n.interview_id, o.interview_id])
                  FROM new_findings n JOIN old_findings o ON o.id = n.id
                 WHERE n.text IS DISTINCT FROM o.text
                    OR n.quote IS DISTINCT FROM o.quote
                    OR n.is_archived IS DISTINCT FROM o.is_archived
                    OR n.interview_id IS DISTINCT FROM o.interview_id
             );
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER interviews_finding_search_insert
    AFTER INSERT ON interviews_finding REFERENCING NEW TABLE AS new_findings
    FOR EACH STATEMENT EXECUTE FUNCTION interviews_finding_search_refresh()
    """,
    """
    CREATE TRIGGER interviews_finding_search_update
    AFTER UPDATE ON interviews_finding
    REFERENCING OLD TABLE AS old_findings NEW TABLE AS new_findings
    FOR EACH STATEMENT EXECUTE FUNCTION interviews_finding_search_refresh()
    """,
    """
    CREATE TRIGGER interviews_finding_search_delete
    AFTER DELETE ON interviews_finding REFERENCING OLD TABLE AS old_findings
    FOR EACH STATEMENT EXECUTE FUNCTION interviews_finding_search_refresh()
    """,
    r"""
    CREATE FUNCTION interviews_company_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE interviews_interview i
           SET search = interviews_interview_document(i.id, i.notes, i.company_id)
         WHERE i.company_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER interviews_company_search
    AFTER UPDATE OF name ON interviews_company
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION interviews_company_search_refresh()
    """,
    # The interviews already there.
    """
    UPDATE interviews_interview i
       SET search = interviews_interview_document(i.id, i.notes, i.company_id)
    """,
    "CREATE INDEX interviews_interview_search_gin ON interviews_interview USING gin (search)",
]

DOCUMENT_REVERSE = [
    "DROP TRIGGER interviews_company_search ON interviews_company",
    "DROP FUNCTION interviews_company_search_refresh()",
    "DROP TRIGGER interviews_finding_search_delete ON interviews_finding",
    "DROP TRIGGER interviews_finding_search_update ON interviews_finding",
    "DROP TRIGGER interviews_finding_search_insert ON interviews_finding",
    "DROP FUNCTION interviews_finding_search_refresh()",
    "DROP TRIGGER interviews_interview_search ON interviews_interview",
    "DROP FUNCTION interviews_interview_search_row()",
    "DROP FUNCTION interviews_interview_document(bigint, text, bigint)",
    "ALTER TABLE interviews_interview DROP COLUMN search",  # drops its index too
]

# The expressions must be the ones Django writes for icontains on Postgres.
TRIGRAM_INDEXES = {
    "interviews_company_name_trgm": "interviews_company USING gin (UPPER(name::text) gin_trgm_ops)",
    "interviews_company_orgnr_trgm": (
        "interviews_company USING gin (UPPER(organisation_number::text) gin_trgm_ops)"
    ),
    "interviews_finding_text_trgm": "interviews_finding USING gin (UPPER(text) gin_trgm_ops)",
    "interviews_finding_quote_trgm": "interviews_finding USING gin (UPPER(quote) gin_trgm_ops)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0005_interview_export"),
    ]

    operations = [
        PostgresOnlySQL(DOCUMENT, DOCUMENT_REVERSE),
        # CREATE EXTENSION IF NOT EXISTS; a no-op on SQLite.
        TrigramExtension(),
        PostgresOnlySQL(
            [f"CREATE INDEX {name} ON {target}" for name, target in TRIGRAM_INDEXES.items()],
            [f"DROP INDEX {name}" for name in TRIGRAM_INDEXES],
        ),
    ]
