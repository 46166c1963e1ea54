"""A substring of a finding's text or quote, within one priority area: the evidence search of
a proposal (workshops) and the free-text search of the finding list, area by area.

A proposal's evidence picker searches the findings of the proposal's own area. A plain
`text__icontains` has a trigram index (interviews migration 0006), but not one that knows the
area: a word common in another area (at scale "bygglov" is in 56,000 findings, none of them in
the area searched) made Postgres fetch and discard every one of those rows to count zero
(0.4-0.6 s). The planner cannot know that a word and an area never meet, so the area goes
into the indexed expression itself: `'#<area id># ' || text_folded`, matched by
`LIKE '#<area id># %<word folded>%'`. Its trigrams include the area's, so the index only
returns findings of that area holding the word (workshops migrations 0004, 0010 and 0012).
`text_folded` is the text folded by portal_fold, stored by Postgres beside it (interviews
migration 0020), so the rows the index preselects are checked without folding each text again.
Case and accents are ignored (smeportal.core.folding: "hallby" finds "Hällby", "CAFE" finds
"Café"), as on other databases (the embedded SQLite), where it is the area filter and a folded
substring match.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Expression, Q

from smeportal.core.folding import fold

from .choices import QuoteConsent

# The columns that have an area-tagged trigram index (workshops migrations 0004 and 0012).
SEARCHABLE = ("text", "quote")


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class FoldedSubstring(Expression):
    """`<column>_folded LIKE '%<text folded>%'` (Postgres), and with `area_id` the indexed form
    `'#' || area_id || '# ' || <column>_folded LIKE '#<area># %<text folded>%'`, whose left
    side is, character for character, the expression of the area-tagged trigram index.
    Without the area no index answers it: for a read that walks the area's findings in its own
    order and checks each row as it goes. The table is the query's base table (findings)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, text: str, area_id: int | None = None):
        super().__init__()
        if column not in SEARCHABLE:
            raise ValueError(f"no folded column for {column!r}")
        self.column, self.text = column, text
        self.area_id = None if area_id is None else int(area_id)

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        folded, pattern = f"{table}.{self.column}_folded", f"%{like_escape(fold(self.text))}%"
        if self.area_id is not None:
            folded = f"('#' || {table}.area_id::text || '# ' || {folded})"
            pattern = f"#{self.area_id}# {pattern}"
        return f"({folded} LIKE %s ESCAPE '\\')", (pattern,)


def area_substring(column: str, area_id: int, text: str, *, by_index: bool = True) -> Q:
    """Findings of the area whose `column` contains `text` (ignoring case and accents).

    `by_index=False`: the same findings, asked so that the trigram index does not answer: for
    a read that walks the area in list order and stops after a page (a word common in the
    area, which the index would hand over in tens of thousands)."""
    if connection.vendor != "postgresql":
        return Q(area_id=area_id, **{f"{column}__folded_contains": text})
    if by_index:
        return Q(FoldedSubstring(column, text, area_id))
    return Q(area_id=area_id) & Q(FoldedSubstring(column, text))


def finding_text_matches(area_id: int, text: str, *, internal: bool, by_index: bool = True) -> Q:
    """Findings of the area whose text or quote holds `text` (`by_index`: as area_substring).
    A quote the reader may not see (interviews.consent: internal use only, for readers outside
    the municipality) must not be found by guessing its words, so it is searched for internal
    readers only."""
    quote = area_substring("quote", area_id, text, by_index=by_index)
    if not internal:
        quote &= ~Q(interview__consent=QuoteConsent.INTERNAL_ONLY)
    return area_substring("text", area_id, text, by_index=by_index) | quote


def sampled_share_sql(
    area_id: int, text: str, *, finding_type: str, share: int, sample_percent: float
) -> tuple[str, tuple]:
    """SQL (Postgres) for whether at least one in `share` of the area's findings (of the type,
    when given) holds `text` in its text or quote, judged from a sample of the table's pages
    (`sample_percent`, always the same pages: REPEATABLE): one row, one boolean, is_common.
    No index is asked: the sample's rows are checked against the stored folded columns."""
    pattern = f"%{like_escape(fold(text))}%"
    of_type = "AND s.type = %s" if finding_type else ""
    # Constants only: the text, area and type are parameters.
    sql = (
        "SELECT COUNT(*) > 0 AND COUNT(*) FILTER (WHERE s.text_folded LIKE %s ESCAPE '\\' "  # noqa: S608
        f"OR s.quote_folded LIKE %s ESCAPE '\\') * {int(share)} >= COUNT(*) AS is_common "
        f"FROM interviews_finding s TABLESAMPLE SYSTEM ({float(sample_percent)}) REPEATABLE (0) "
        f"WHERE s.area_id = %s AND NOT s.is_archived {of_type}"
    )
    return sql, (pattern, pattern, int(area_id), *((finding_type,) if finding_type else ()))
