"""A substring of a finding's text or quote, within one priority area: the evidence search of
a proposal (workshops) and the free-text search of the finding list, area by area.

Each area has trigram indexes of its own on the stored folded columns: partial indexes
`WHERE area_id = <area> AND NOT is_archived` (created here, by interviews migration 0021 for
the areas there were and by interviews.signals for each new one). One trigram index over all
areas cannot know that a word and an area never meet: at scale "bygglov" is in 56,000
findings of one area, and its trigrams and the area's were each in 75,000 rows, which the
index had to intersect to find none in another area (9-13 ms; the area's own index answers
in 0.05 ms). Postgres matches a partial index only when the area is a constant of the
statement, as Django writes its values into the SQL it sends.

What they index is the finding's type and folded text, `'#' || type || '# ' || text_folded`
("#utmaning# bygglovet drojde"), matched by `LIKE '#utmaning# %bygglov%'` for a search of
one type and `LIKE '#%# %bygglov%'` for any (`#%# ` reaches past the type only, as the word is
looked for after it). With the type, a word common in the area but not among its challenges
is not handed over by the index in thousands to be checked against the type one by one
(100 ms for none): the type's trigrams are among those the index intersects. Being an
expression, not a column, it also has no statistics: Postgres estimated a LIKE on the column
from the column's statistics over every area (a word in a tenth of all findings was taken to
be in a tenth of the area searched) and read the area whole rather than ask the index, 120 ms
for none; an expression's estimate follows the pattern (a long word: few rows), so the area's
index answers. The sample of workshops.selectors sends a word common in the area to a walk
of the area in list order instead (`by_index=False`).

`text_folded` is the text folded by portal_fold, stored by Postgres beside it (interviews
migration 0020), so the rows the index preselects are checked without folding each text again.
Case and accents are ignored (smeportal.core.folding: "hallby" finds "Hällby", "CAFE" finds
"Café"), as on other databases (the embedded SQLite), where it is the area filter and a folded
substring match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Expression, Q

from smeportal.core.folding import fold

from .choices import FindingType, QuoteConsent

# A word in at least one in eight of an area's findings (of the type searched) is common
# there: its matches are found by walking the area in list order, which meets a page of them
# within a few hundred rows (250 within about 2,000), and not through the trigram indexes,
# which would hand over every one. The share is estimated from a sample of the table's pages
# (this percentage, always the same pages: REPEATABLE), about 700 findings of an area at
# 100,000 interviews.
COMMON_SHARE = 8
SAMPLE_PERCENT = 0.5
# The folded columns that have trigram indexes of each area.
SEARCHABLE = ("text", "quote")
# As every GIN index of the schema (smeportal.core.migration_operations.ShortGinPendingLists).
PENDING_LIST_KILOBYTES = 128


def has_trigram(text: str) -> bool:
    """Whether a trigram index can narrow a search for `text`: it needs three letters or
    digits in a row. For "kö" it would hand over every entry of the area (2.3 s over six
    areas at scale), so a shorter word is found by walking the area instead."""
    return re.search(r"[^\W_]{3}", fold(text)) is not None


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def area_index_name(column: str, area_id: int) -> str:
    return f"finding_{column}_folded_trgm_area_{int(area_id)}"


def _tagged(table: str, column: str) -> str:
    """The indexed expression: the finding's type, then its folded column."""
    return f"('#' || {table}type || '# ' || {table}{column}_folded)"


def area_index_statements(area_id: int, *, concurrently: bool = False) -> list[str]:
    """CREATE INDEX statements (Postgres) of the area's trigram indexes, if missing."""
    area_id = int(area_id)
    how = "CONCURRENTLY " if concurrently else ""
    return [
        f"CREATE INDEX {how}IF NOT EXISTS {area_index_name(column, area_id)} "
        f"ON interviews_finding USING gin ({_tagged('', column)} gin_trgm_ops) "
        f"WITH (gin_pending_list_limit = {PENDING_LIST_KILOBYTES}) "
        f"WHERE area_id = {area_id} AND NOT is_archived"
        for column in SEARCHABLE
    ]


def area_indexes_create(area_id: int, *, using=connection) -> None:
    """Give an area its trigram indexes (Postgres; nothing elsewhere). Building them reads the
    findings table once (about 2 s at 600,000 findings): outside a transaction without
    holding up those who write findings meanwhile (CONCURRENTLY), otherwise in it."""
    if using.vendor != "postgresql":
        return
    statements = area_index_statements(area_id, concurrently=not using.in_atomic_block)
    with using.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def area_indexes_drop(area_id: int, *, using=connection) -> None:
    """Drop a deleted area's trigram indexes (Postgres; nothing elsewhere)."""
    if using.vendor != "postgresql":
        return
    with using.cursor() as cursor:
        for column in SEARCHABLE:
            cursor.execute(f"DROP INDEX IF EXISTS {area_index_name(column, area_id)}")


class FoldedSubstring(Expression):
    """`('#' || type || '# ' || <column>_folded) LIKE '#<type># %<text folded>%'` (`#%# ` for
    any type) on Postgres: with `area_id = <area>` in the same statement, what the area's
    trigram index answers. `by_index=False` writes `strpos(<column>_folded, '<text folded>') >
    0`, which no index answers (and leaves the type to the query): for a read that walks the
    area's findings in its own order and checks each row as it goes. The table is the query's
    base table (findings)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, text: str, *, finding_type: str = "", by_index: bool = True):
        super().__init__()
        if column not in SEARCHABLE:
            raise ValueError(f"no folded column for {column!r}")
        if finding_type not in ("", *FindingType.values):
            raise ValueError(f"no finding type {finding_type!r}")
        self.column, self.text, self.by_index = column, text, by_index
        self.finding_type = finding_type

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias()) + "."
        if not self.by_index:
            return f"(strpos({table}{self.column}_folded, %s) > 0)", (fold(self.text),)
        pattern = f"#{self.finding_type or '%'}# %{like_escape(fold(self.text))}%"
        return f"({_tagged(table, self.column)} LIKE %s ESCAPE '\\')", (pattern,)


def area_substring(
    column: str, area_id: int, text: str, *, finding_type: str = "", by_index: bool = True
) -> Q:
    """Findings of the area (of the type, when given) whose `column` contains `text`
    (ignoring case and accents).

    `by_index=False`: the same findings, asked so that the trigram index does not answer: for
    a read that walks the area in list order and stops after a page (a word common in the
    area, which the index would hand over in tens of thousands)."""
    of_type = Q(type=finding_type) if finding_type else Q()
    by_index = by_index and has_trigram(text)
    if connection.vendor != "postgresql":
        return Q(area_id=area_id, **{f"{column}__folded_contains": text}) & of_type
    tagged = FoldedSubstring(column, text, finding_type=finding_type, by_index=by_index)
    return Q(area_id=int(area_id)) & of_type & Q(tagged)


def finding_text_matches(
    area_id: int, text: str, *, internal: bool, finding_type: str = "", by_index: bool = True
) -> Q:
    """Findings of the area (of the type, when given) whose text or quote holds `text`
    (`by_index`: as area_substring).
    A quote the reader may not see (interviews.consent: internal use only, for readers outside
    the municipality) must not be found by guessing its words, so it is searched for internal
    readers only."""
    quote = area_substring("quote", area_id, text, finding_type=finding_type, by_index=by_index)
    if not internal:
        quote &= ~Q(interview__consent=QuoteConsent.INTERNAL_ONLY)
    text_matches = area_substring(
        "text", area_id, text, finding_type=finding_type, by_index=by_index
    )
    return text_matches | quote


@dataclass(frozen=True)
class AreaTextSearch:
    """A text search of findings area by area (the finding list): each area's condition,
    through the area's own trigram indexes or, in the areas in `common` (areas_where_common),
    by walking the area in list order. Called with an area's id, the area's condition."""

    text: str
    internal: bool
    finding_type: str = ""
    common: frozenset[int] = frozenset()

    def by_index(self, area_id: int) -> bool:
        return area_id not in self.common

    def condition(self, area_id: int, *, by_index: bool | None = None) -> Q:
        return finding_text_matches(
            area_id,
            self.text,
            internal=self.internal,
            finding_type=self.finding_type,
            by_index=self.by_index(area_id) if by_index is None else by_index,
        )

    def __call__(self, area_id: int) -> Q:
        return self.condition(area_id)


def sampled_share_sql(
    area_ids: Sequence[int], text: str, *, finding_type: str
) -> tuple[str, tuple]:
    """SQL (Postgres) for the areas where at least one in COMMON_SHARE of the findings (of the
    type, when given) holds `text` in its text or quote, judged from a sample of the table's
    pages (SAMPLE_PERCENT, always the same pages: REPEATABLE): a row (area_id, is_common) for
    each area the sample holds. No index is asked: the sample's rows are checked against the
    stored folded columns."""
    pattern = f"%{like_escape(fold(text))}%"
    of_type = "AND s.type = %s" if finding_type else ""
    # Constants only: the text, areas and type are parameters.
    sql = (
        "SELECT s.area_id, COUNT(*) FILTER (WHERE s.text_folded LIKE %s ESCAPE '\\' "  # noqa: S608
        f"OR s.quote_folded LIKE %s ESCAPE '\\') * {int(COMMON_SHARE)} >= COUNT(*) AS is_common "
        f"FROM interviews_finding s TABLESAMPLE SYSTEM ({float(SAMPLE_PERCENT)}) REPEATABLE (0) "
        f"WHERE s.area_id = ANY(%s) AND NOT s.is_archived {of_type} GROUP BY s.area_id"
    )
    areas = [int(area_id) for area_id in area_ids]
    return sql, (pattern, pattern, areas, *((finding_type,) if finding_type else ()))


def areas_where_common(area_ids: Sequence[int], text: str, *, finding_type: str = "") -> set[int]:
    """The areas in which `text` is common (sampled_share_sql), whose matches are best found by
    walking the area in list order (`by_index=False`). Elsewhere than on Postgres: none (there
    the search always walks)."""
    if connection.vendor != "postgresql" or not area_ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(*sampled_share_sql(area_ids, text, finding_type=finding_type))
        return {area_id for area_id, is_common in cursor.fetchall() if is_common}
