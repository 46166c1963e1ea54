"""Scale data set: one summary snapshot, so the dashboard has figures on the first visit.

Only the snapshot the dashboard reads (computed as a report run computes it), not a workbook:
building the report at scale is what the bench measures (`make bench`), not part of seeding.
"""

from __future__ import annotations

from django.utils import timezone

from smeportal.core.scale import ScaleContext

from .models import SummarySnapshot
from .summary import summary_compute


def seed_snapshot_at_scale(ctx: ScaleContext) -> None:
    summary = summary_compute()
    SummarySnapshot.objects.create(taken_at=timezone.now(), data=summary)
    ctx.wrote(SummarySnapshot, 1)
    ctx.say("Reports: summary snapshot taken.")


# Found by `manage.py seed_scale`, which runs the apps' scale seeders in INSTALLED_APPS order.
SCALE_SEED = seed_snapshot_at_scale
