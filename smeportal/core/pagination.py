"""Pagination for lists too long to count exactly on every page view.

A list of findings holds 600,000 rows at scale: counting every match costs more than showing a
page of them. `CappedPaginator` counts at most `cap` rows and pages within them; past the cap
the page says "more than …" and asks for a narrower filter (the summary report has the exact
figures). Below the cap it behaves like Django's Paginator.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

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
