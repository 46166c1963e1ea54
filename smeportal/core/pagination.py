"""Pagination for lists too long to count exactly on every page view.

A list of findings holds 600,000 rows at scale: counting every match costs more than showing a
page of them. `CappedPaginator` counts at most `cap` rows and pages within them; past the cap
the page says "more than …" and asks for a narrower filter (the summary report has the exact
figures). Below the cap it behaves like Django's Paginator.

`page_with_count` reads a page and the list's number of rows in one query, each row carrying
the number (`window_count()`, or a `CappedCount` up to a cap): a proposal's evidence lists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Count, Expression, IntegerField, QuerySet, Subquery, Window

# A list whose matches are many is counted and paged up to this many rows (10 pages of 25):
# the interview and finding lists, the evidence search, an area's unanswered challenges.
COUNT_CAP = 250


class CountedPaginator(Paginator):
    """Django's Paginator, told the number of rows when the page knows it already (a summary
    counted them, or the database keeps the number): the pages then cost no COUNT query.
    Without a count it counts, as Django's does."""

    def __init__(self, object_list, per_page, *, count: int | None = None):
        super().__init__(object_list, per_page)
        if count is not None:
            self.count = count  # fills the cached property Paginator.count


class CappedPaginator(Paginator):
    """Pages of at most `cap` rows of a queryset.

    `rows(start, stop)`, when given, reads the rows of a page (for a list whose order an
    index serves only in parts, such as findings by area); otherwise the queryset is sliced.
    `counted(limit)`, when given, counts the rows up to `limit` (for a list that is not a
    queryset: pass None as the queryset, and `rows`).
    """

    def __init__(
        self,
        queryset: QuerySet | None,
        per_page: int,
        *,
        cap: int,
        rows: Callable[[int, int], Sequence] | None = None,
        counted: Callable[[int], int] | None = None,
    ):
        super().__init__(() if queryset is None else queryset, per_page)
        self.cap = cap
        self._rows = rows
        self._count_rows = counted

    @cached_property
    def _counted(self) -> int:
        if self._count_rows is not None:
            return self._count_rows(self.cap + 1)
        # The order does not change a count: without it the database stops after cap + 1 rows
        # in whatever order is cheapest.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def is_capped(self) -> bool:
        """True when more rows match than the pages reach."""
        return self._counted > self.cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        # A whole page is asked for (LIMIT 25) even when fewer rows are counted, and cut to the
        # count: a LIMIT 1 for a word found once had Postgres walk the date index for it.
        rows = []
        if top > bottom:
            stop = bottom + self.per_page
            read = self._rows(bottom, stop) if self._rows else self.object_list[bottom:stop]
            rows = list(read)[: top - bottom]
        return self._get_page(rows, number, self)


# --- A page of a list and its number of rows, read together ------------------------------------


class CappedCount(Subquery):
    """The number of rows of a queryset, counted up to `limit`, as a value of another query:
    `(SELECT COUNT(*) FROM (<the rows, LIMIT limit>))`. Not correlated, so the database counts
    once however many rows carry it; the LIMIT stops the count as CappedPaginator's does."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped_rows)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, limit: int):
        super().__init__(queryset.order_by().values("pk")[:limit])


def window_count() -> Window:
    """`COUNT(*) OVER ()`: every row of a page carries the number of rows of the whole list."""
    return Window(Count("pk"))


# No list of the portal has this many rows: a page number past it is past the end.
_ROWS_NO_LIST_REACHES = 2**31


def page_with_count(
    rows_of: Callable[[int], list[dict]],
    number,
    per_page: int,
    *,
    paginator: Callable[[int | None], Paginator],
) -> Page:
    """Page `number` of a list (as Paginator.get_page gives it) in one query, not a COUNT and
    then the rows: `rows_of(number)` reads the page's rows, as values() dicts each carrying
    the number the paginator needs as "listed_total" (`window_count()`, or a CappedCount for
    a CappedPaginator). `paginator(count)` makes the paginator that count fills (None: one
    that counts for itself).

    A page past the end has no row to carry the number: that page, and a number below 1,
    are read the usual way (Django's get_page then shows the last page). So is a number no
    list reaches, whose OFFSET the database could not even hold.
    """
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1  # no number, or not a number: get_page shows the first page
    if 1 <= wanted <= _ROWS_NO_LIST_REACHES // per_page:
        rows = rows_of(wanted)
        counted = rows[0]["listed_total"] if rows else (0 if wanted == 1 else None)
        if counted is not None:
            pages = paginator(counted)
            if wanted <= pages.num_pages:
                # A capped paginator pages within its cap: rows past it are not shown.
                bottom = (wanted - 1) * per_page
                top = min(bottom + per_page, pages.count)
                return pages._get_page(rows[: top - bottom], wanted, pages)
    return paginator(None).get_page(number)


def counted_rows(values: QuerySet, total: Expression, per_page: int) -> Callable[[int], list[dict]]:
    """page_with_count's `rows_of` for a values() queryset: each page built and compiled."""

    def rows_of(number: int) -> list[dict]:
        bottom = (number - 1) * per_page
        return list(values.annotate(listed_total=total)[bottom : bottom + per_page])

    return rows_of
