"""Search: the planner's estimates, and cheaper writes of many findings. Postgres only.

- Statistics on the search column for 10,000 lexemes (the default keeps 1,000): a word the
  statistics do not list is then estimated as rare as it is. With the default, any word not
  listed counted as 0.5 % of the interviews (500 at 100,000), and for a rare word the planner
  walked the date index for the first page and tested the document of every interview (1 s);
  now it reads the few matches from the GIN index and sorts them.
- New findings are appended to their interview's document (their texts come after the
  others' in it) instead of the whole document being rebuilt: the import writes thousands of
  findings in one statement, and each text is now stemmed once. Changed and deleted findings
  still rebuild the document.
- interviews_search_stem without STRICT, so that Postgres inlines it into
  interviews_search_vector (once per word of every document written).
"""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL


STEM = r"""
    CREATE OR REPLACE FUNCTION interviews_search_stem(p_lexeme text) RETURNS text
    LANGUAGE sql IMMUTABLE {strict} PARALLEL SAFE AS $$
        SELECT CASE
            WHEN right(p_lexeme, 2) = 'et'
             AND p_lexeme ~ '^[a-zåäöéü]{{3,}}et$'
             AND left(p_lexeme, -2) ~ '[aeiouyåäö][^aeiouyåäö]'
            THEN coalesce((ts_lexize('swedish_stem', left(p_lexeme, -2)))[1],
                          left(p_lexeme, -2))
            ELSE p_lexeme
        END
    $$
"""

REFRESH = r"""
    CREATE OR REPLACE FUNCTION interviews_finding_search_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {insert}
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
"""

APPEND = r"""
            -- New findings have the highest ids: their texts go at the end of the document.
            UPDATE interviews_interview i
               SET search = CASE
                   WHEN i.search IS NULL
                   THEN interviews_interview_document(i.id, i.notes, i.company_id)
                   ELSE i.search || setweight(interviews_search_vector(n.body), 'C')
               END
              FROM (SELECT f.interview_id,
                           string_agg(f.text || E'\n' || f.quote, E'\n' ORDER BY f.id) AS body
                      FROM new_findings f
                     WHERE NOT f.is_archived
                     GROUP BY f.interview_id) n
             WHERE i.id = n.interview_id;
"""

REBUILD = r"""
            UPDATE interviews_interview i
               SET search = interviews_interview_document(i.id, i.notes, i.company_id)
             WHERE i.id IN (SELECT n.interview_id FROM new_findings n);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0007_search_definite_forms"),
    ]

    operations = [
        PostgresOnlySQL(
            [
                STEM.format(strict=""),
                REFRESH.format(insert=APPEND),
                "ALTER TABLE interviews_interview ALTER COLUMN search SET STATISTICS 1000",
                "ANALYZE interviews_interview",
            ],
            [
                "ALTER TABLE interviews_interview ALTER COLUMN search SET STATISTICS -1",
                REFRESH.format(insert=REBUILD),
                STEM.format(strict="STRICT"),
            ],
        ),
    ]
