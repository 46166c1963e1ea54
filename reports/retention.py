"""Retention decisions reach the stored reports: snapshots and report files forget what went.

audit.services carries out a retention decision; inside its transaction it calls
`reports_remove_records`, which cleans the summary snapshots and removes the report files that
may hold the covered records, and requests new runs. Kept apart from summary.py so that a
decision does not load pandas.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import ReportRun, SummarySnapshot
from .services import report_run_request


@dataclass(frozen=True)
class RemovedRecords:
    """What a retention decision took out of the portal, as the stored reports may hold it.

    `interview_dates`: every date the interviews concerned ever had (an edited date counts
    too), to find the reports whose period could include them. `replacements`: each finding
    text and quote, as it read at any version, mapped to None (deleted) or to its new text
    (a name masked). `attributions`: names of deleted companies, whose named quotes go.
    `held_until`: a run started later cannot hold the records. `changes_figures`: the counts
    of the snapshots concerned change, so each of their periods gets a new run.
    """

    interview_dates: frozenset[date] = frozenset()
    replacements: Mapping[str, str | None] = field(default_factory=dict)
    attributions: frozenset[str] = frozenset()
    # Archived findings were left out of every report started after they were archived.
    held_until: datetime | None = None
    # Whether the stored figures counted the records (deleted interviews and findings did;
    # masked names or findings archived before a report do not change its figures).
    changes_figures: bool = True


@dataclass
class ReportsCleaned:
    """What reports_remove_records changed, by id, for the decision to record."""

    snapshot_ids: list[int] = field(default_factory=list)
    removed_run_ids: list[int] = field(default_factory=list)
    requested_run_ids: list[int] = field(default_factory=list)


SNAPSHOT_BATCH = 50


def _batches(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def reports_remove_records(*, removed: RemovedRecords, decision, user) -> ReportsCleaned:
    """Take what a retention decision removed out of every stored report that may hold it.

    Called by audit.services inside the decision's transaction. Every snapshot and
    report run whose period could include one of the interview dates is concerned; each kind
    is handled the way that keeps it true and cheap:

    - Summary snapshots are cleaned in place (snapshot_scrub below): the
      covered texts go, the figures stay. A snapshot is the record of what the figures were
      when it was taken; recomputing it would rewrite that with today's data (the plan's
      progress, later interviews), and it is small JSON that can be edited exactly.
    - Report files, the workbook and the PDF, are removed: neither can be edited reliably in
      place, and rebuilding them from today's data would again put today's figures under an
      old date. (The PDF holds only figures, but they count the covered records.) The run
      stays, marked with the decision, so every page can say why its files are gone; the
      files themselves are deleted from storage once the decision is committed (a rolled-back
      decision leaves them). A run being built is marked the same way and report_run_execute
      throws its result away, since it may have read the records before they went.
    - For each distinct period concerned a new run is requested (queued when the decision
      commits), so the dashboard and the council have current figures again.

    The runs are locked first: a run that is finishing waits for the decision and then finds
    itself marked, and a queued run cannot start reading until the decision is committed.
    Queries: one for the runs, one for the snapshots' periods, two per 50 snapshots
    concerned, plus the new runs.
    """
    cleaned = ReportsCleaned()
    dates = sorted(removed.interview_dates)
    if not dates:
        return cleaned

    def covers(start: date | None, end: date | None) -> bool:
        index = bisect_left(dates, start) if start is not None else 0
        return index < len(dates) and (end is None or dates[index] <= end)

    periods: dict[tuple[date | None, date | None], None] = {}
    in_flight = [ReportRun.Status.QUEUED, ReportRun.Status.RUNNING]
    # Queued runs are locked too, so none starts reading before the decision is committed;
    # they then read what is left and need nothing more.
    locked = ReportRun.objects.select_for_update().filter(
        Q(status__in=in_flight) | ~Q(file="") | ~Q(pdf_file="")
    )
    runs = [
        run
        for run in locked.only(
            "pk", "period_start", "period_end", "file", "pdf_file", "status", "started_at"
        ).order_by("pk")
        if (run.file or run.pdf_file or run.status == ReportRun.Status.RUNNING)
        and covers(run.period_start, run.period_end)
        and not (
            removed.held_until is not None
            and run.started_at is not None
            and run.started_at > removed.held_until
        )
    ]
    for run in runs:
        periods[run.period_start, run.period_end] = None
        for stored in (run.file, run.pdf_file):
            if stored:
                # After the commit: a decision that is rolled back must leave the file in place.
                transaction.on_commit(
                    lambda storage=stored.storage, name=stored.name: storage.delete(name),
                    robust=True,
                )
    if runs:
        cleaned.removed_run_ids = [run.pk for run in runs]
        ReportRun.objects.filter(pk__in=cleaned.removed_run_ids).update(
            file="", pdf_file="", removed_by=decision, removed_at=timezone.now()
        )

    concerned = [
        (pk, start, end)
        for pk, start, end in SummarySnapshot.objects.order_by("pk").values_list(
            "pk", "period_start", "period_end"
        )
        if covers(start, end)
    ]
    if removed.changes_figures:
        for _pk, start, end in concerned:
            periods[start, end] = None
    for batch in _batches([pk for pk, _start, _end in concerned], SNAPSHOT_BATCH):
        snapshots = list(
            SummarySnapshot.objects.select_for_update()
            .filter(pk__in=batch)
            .only("pk", "period_start", "period_end", "data")
        )
        changed = [
            snapshot
            for snapshot in snapshots
            if snapshot_scrub(
                snapshot.data,
                replacements=removed.replacements,
                attributions=removed.attributions,
            )
        ]
        if changed:
            SummarySnapshot.objects.bulk_update(changed, ["data"])
            cleaned.snapshot_ids.extend(snapshot.pk for snapshot in changed)
            for snapshot in changed:
                periods[snapshot.period_start, snapshot.period_end] = None

    for start, end in periods:
        run = report_run_request(user=user, period_start=start, period_end=end)
        cleaned.requested_run_ids.append(run.pk)
    return cleaned


def snapshot_scrub(
    data: dict,
    *,
    replacements: Mapping[str, str | None],
    attributions: Collection[str] = (),
) -> bool:
    """Take the texts of records a retention decision covered out of a snapshot's `data`.

    The only texts a snapshot holds that come from interviews are, per area, the key quotes
    (a finding's quote with its attribution: the company's name or "ett företag inom …") and
    the gap examples (the text of open challenges); everything else is a count, a share, or
    text from workshops and the plan. `replacements` maps a text exactly as a finding held it
    at some version to what replaces it, or to None to drop it; a key quote attributed to one
    of `attributions` (the names of a deleted company) is dropped whatever its text.

    Changes `data` in place and tells whether anything changed. The figures stay as they
    were: they are counts, not the records, and they say what was known when it was taken.
    """
    changed = False
    for area in data.get("areas") or []:
        quotes = []
        for quote in area.get("key_quotes") or []:
            text = quote.get("text", "")
            if quote.get("attribution") in attributions:
                changed = True
                continue
            if text in replacements:
                changed = True
                if replacements[text] is None:
                    continue
                quote = {**quote, "text": replacements[text]}
            quotes.append(quote)
        if "key_quotes" in area:
            area["key_quotes"] = quotes
        gaps = area.get("gaps") or {}
        examples = []
        for example in gaps.get("challenge_examples") or []:
            if example in replacements:
                changed = True
                example = replacements[example]
                if example is None:
                    continue
            if example not in examples:  # two texts may now read the same
                examples.append(example)
        if "challenge_examples" in gaps:
            gaps["challenge_examples"] = examples
    return changed
