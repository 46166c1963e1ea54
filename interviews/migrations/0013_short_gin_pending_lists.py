"""Short pending lists for the search indexes (GIN), so that a search after an import stays fast.

A GIN index takes new entries into a pending list, which every search reads through from start
to end until the list is merged into the index (by the writer that fills it past
`gin_pending_list_limit`, 4 MB by default, or by (auto)vacuum). After an import of 5,000
interviews the company-name index held 4,000 pending entries: a search of the company list
read them all (5-7 ms instead of well under 1 ms), and a rare word's interview search took
1.8 ms instead of 0.01 ms. With 128 kB the list stays a few pages long; the writer merges it
more often, in small steps. Postgres only.
"""

from django.db import migrations

from smeportal.core.migration_operations import ShortGinPendingLists

INDEXES = (
    "interviews_interview_search_gin",
    "interviews_company_name_trgm",
    "interviews_company_orgnr_trgm",
)


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0012_follow_up_list_indexes"),
    ]

    operations = [ShortGinPendingLists(INDEXES)]
