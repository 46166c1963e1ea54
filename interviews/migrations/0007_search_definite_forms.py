"""Search: a word's definite neuter form finds the word ("bygglovet" finds "bygglov").

Postgres' Swedish stemmer (Snowball) removes "-en", "-er", "-ar" and more, but not "-et", the
ending of the definite neuter singular: "bygglovet", "företaget", "tillståndet", "området"
stay apart from "bygglov", "företag", "tillstånd", "område". Documents and queries therefore
go through one more step (interviews_search_stem): a word that ends in "-et" after a vowel
and a consonant (inside Snowball's R1 region) loses the "-et", and Snowball stems the rest
again, which gives what the indefinite form stems to ("projektet" → "projekt" → "projek", as
"projekt" itself; "området" → "områd", as "område"). Positions stay, so "quoted phrases"
still match. Postgres only; nothing changes on SQLite.
"""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL


# A lexeme as tsvector and tsquery input read it: quoted, with quotes and backslashes escaped.
QUOTED = r"'''' || replace(replace({}, '\', '\\'), '''', '''''') || ''''"

FORWARD = [
    r"""
    CREATE FUNCTION interviews_search_stem(p_lexeme text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT CASE
            WHEN p_lexeme ~ '^[a-zåäöéü]{3,}et$'
             AND left(p_lexeme, -2) ~ '[aeiouyåäö][^aeiouyåäö]'
            THEN coalesce((ts_lexize('swedish_stem', left(p_lexeme, -2)))[1],
                          left(p_lexeme, -2))
            ELSE p_lexeme
        END
    $$
    """,
    # to_tsvector('swedish', ...) with every lexeme through interviews_search_stem.
    rf"""
    CREATE FUNCTION interviews_search_vector(p_text text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(string_agg(
            {QUOTED.format("interviews_search_stem(u.lexeme)")}
            || ':' || array_to_string(u.positions, ','), ' '), '')::tsvector
        FROM unnest(to_tsvector('swedish'::regconfig, p_text)) AS u
    $$
    """,
    # websearch_to_tsquery('swedish', ...) with every lexeme through interviews_search_stem.
    # IMMUTABLE, so a query's text is turned into a tsquery once, when the query is planned.
    rf"""
    CREATE FUNCTION interviews_search_query(p_text text) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
    DECLARE
        result tsquery := websearch_to_tsquery('swedish'::regconfig, p_text);
        lexeme text;
        stem text;
    BEGIN
        FOR lexeme IN
            SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('swedish'::regconfig, p_text)))
        LOOP
            stem := interviews_search_stem(lexeme);
            IF stem <> lexeme THEN
                result := ts_rewrite(
                    result,
                    ({QUOTED.format("lexeme")})::tsquery,
                    ({QUOTED.format("stem")})::tsquery
                );
            END IF;
        END LOOP;
        RETURN result;
    END
    $$
    """,
    r"""
    CREATE OR REPLACE FUNCTION interviews_interview_document(
        p_interview bigint, p_notes text, p_company bigint
    ) RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT
            setweight(interviews_search_vector(coalesce(
                (SELECT c.name FROM interviews_company c WHERE c.id = p_company), ''
            )), 'A')
            || setweight(interviews_search_vector(coalesce(p_notes, '')), 'B')
            || setweight(interviews_search_vector(coalesce(
                (SELECT string_agg(f.text || E'\n' || f.quote, E'\n' ORDER BY f.id)
                   FROM interviews_finding f
                  WHERE f.interview_id = p_interview AND NOT f.is_archived), ''
            )), 'C')
    $$
    """,
    # Rebuilt without the index, then indexed anew: much faster than updating it row by row.
    "DROP INDEX interviews_interview_search_gin",
    """
    UPDATE interviews_interview i
       SET search = interviews_interview_document(i.id, i.notes, i.company_id)
    """,
    "CREATE INDEX interviews_interview_search_gin ON interviews_interview USING gin (search)",
]

BACKWARD = [
    r"""
    CREATE OR REPLACE FUNCTION interviews_interview_document(
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
    # Rebuilt without the index, then indexed anew: much faster than updating it row by row.
    "DROP INDEX interviews_interview_search_gin",
    """
    UPDATE interviews_interview i
       SET search = interviews_interview_document(i.id, i.notes, i.company_id)
    """,
    "CREATE INDEX interviews_interview_search_gin ON interviews_interview USING gin (search)",
    "DROP FUNCTION interviews_search_query(text)",
    "DROP FUNCTION interviews_search_vector(text)",
    "DROP FUNCTION interviews_search_stem(text)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0006_search"),
    ]

    operations = [PostgresOnlySQL(FORWARD, BACKWARD)]
