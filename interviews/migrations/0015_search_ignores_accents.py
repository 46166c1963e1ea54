"""Search: the free-text search of interviews ignores accents, as every other search does
(smeportal.core.folding): "hallby" finds "Hällby", "cafe" finds "Café".

Every lexeme, of documents and of queries alike, is stemmed by the Swedish configuration
first, with å, ä and ö (the stemmer knows its suffixes and stop words with them: folded first,
"för" and "på" would be indexed as the words "for" and "pa"), and then folded (portal_fold:
lower case without diacritics). A word typed without its accent can stem otherwise than the
word written with it ("cafe" stems to "caf", "Café" to "café"): a query's word therefore also
matches its folded form unstemmed, so "cafe" finds "Café" and "boden" finds "Bodén". Postgres
only; nothing changes on SQLite, where the search is a folded substring match.
"""

from django.db import migrations

from smeportal.core.migration_operations import PostgresOnlySQL


def _stem(fold: bool) -> str:
    body = """CASE
            WHEN p_lexeme ~ '^[a-zåäöéü]{3,}et$'
             AND left(p_lexeme, -2) ~ '[aeiouyåäö][^aeiouyåäö]'
            THEN coalesce((ts_lexize('swedish_stem', left(p_lexeme, -2)))[1],
                          left(p_lexeme, -2))
            ELSE p_lexeme
        END"""
    if fold:
        body = f"portal_fold({body})"
    return f"""
    CREATE OR REPLACE FUNCTION interviews_search_stem(p_lexeme text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT {body}
    $$
    """


# A lexeme as tsvector and tsquery input read it (as in migration 0007).
QUOTED = r"'''' || replace(replace({}, '\', '\\'), '''', '''''') || ''''"


def _query(fold: bool) -> str:
    if not fold:  # migration 0007's
        return rf"""
    CREATE OR REPLACE FUNCTION interviews_search_query(p_text text) RETURNS tsquery
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
    """
    # Each word that is not a stop word: its lexeme becomes its folded stem, or also the
    # word folded, unstemmed, when that differs.
    return rf"""
    CREATE OR REPLACE FUNCTION interviews_search_query(p_text text) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
    DECLARE
        result tsquery := websearch_to_tsquery('swedish'::regconfig, p_text);
        word record;
        stem text;
        plain text;
        replacement tsquery;
    BEGIN
        FOR word IN
            SELECT DISTINCT d.lexemes[1] AS lexeme, d.token
              FROM ts_debug('swedish'::regconfig, p_text) AS d
             WHERE coalesce(array_length(d.lexemes, 1), 0) > 0
        LOOP
            stem := interviews_search_stem(word.lexeme);
            plain := portal_fold(word.token);
            replacement := ({QUOTED.format("stem")})::tsquery;
            IF plain <> stem THEN
                replacement := replacement || ({QUOTED.format("plain")})::tsquery;
            END IF;
            IF replacement::text <> ({QUOTED.format("word.lexeme")})::tsquery::text THEN
                result := ts_rewrite(
                    result, ({QUOTED.format("word.lexeme")})::tsquery, replacement
                );
            END IF;
        END LOOP;
        RETURN result;
    END
    $$
    """


# The documents are rebuilt without the index, then indexed anew (as in migration 0007).
REBUILD = [
    "DROP INDEX interviews_interview_search_gin",
    """
    UPDATE interviews_interview i
       SET search = interviews_interview_document(i.id, i.notes, i.company_id)
    """,
    "CREATE INDEX interviews_interview_search_gin ON interviews_interview USING gin (search)",
    "ALTER INDEX interviews_interview_search_gin SET (gin_pending_list_limit = 128)",
    "ANALYZE interviews_interview",
]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_portal_fold"),
        ("interviews", "0014_folded_company_name_index"),
    ]

    operations = [
        PostgresOnlySQL(
            [_stem(True), _query(True), *REBUILD],
            [_stem(False), _query(False), *REBUILD],
        )
    ]
