"""Pages of the API: stable orderings, bounded sizes.

Published data (a few thousand rows at most) comes in numbered pages. The staff collections,
which grow to hundreds of thousands of rows, come in cursor pages: each page costs the same
however deep a client reads, and rows written meanwhile neither repeat nor go missing.
"""

from __future__ import annotations

from rest_framework.pagination import CursorPagination, PageNumberPagination


class PublicPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class StaffCursorPagination(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-pk"
