"""Scale data set: dialogue events over eight years, their groups, proposals and evidence.

Per 100,000 interviews: 200 workshops of six groups (one per area), 5,000 proposals (a few
merged into another of the same workshop, a quarter in the action plan) and 20,000 links to
findings of the proposal's area heard before the workshop. Texts come from the demo workshop.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

from smeportal.areas.models import PriorityArea
from smeportal.core.scale import (
    ScaleContext,
    at,
    bulk_insert,
    history_insert,
    m2m_history_insert,
    m2m_insert,
    timestamps_as_given,
)

from .choices import Actor, ProposalStatus, TimeHorizon, WorkshopStatus
from .demo import PROPOSALS
from .models import Proposal, Workshop, WorkshopGroup
from .services import proposal_company_counts_refresh

FIRST_DATE = date(2018, 11, 1)
LAST_DATE = date(2026, 11, 11)
WORKSHOPS = 200
PROPOSALS_AT_REFERENCE = 5_000
EVIDENCE_LINKS = 20_000
# Evidence is drawn from the findings heard in the last this-many before the workshop.
RECENT_FINDINGS = 3_000

THEMES = [
    "Företagsdialog", "Frukostmöte", "Branschträff", "Näringslivsdag", "Dialogforum",
    "Workshop om handlingsplanen", "Tillväxtrådets hearing", "Stadsdelsdialog",
]  # fmt: skip
PLACES = [
    "Munktellstaden, Eskilstuna", "Stadshuset, Eskilstuna", "Torshälla stadshotell",
    "Eskilstuna Science Park", "Kvicksunds bygdegård", "Ärla skola", "Mälarsalen, Eskilstuna",
]  # fmt: skip
REJECTION_REASONS = [
    "Ligger utanför kommunens ansvar; lämnas till regionen.",
    "Ryms inte i budgeten för perioden; tas upp igen vid nästa revidering.",
    "Görs redan inom ett pågående uppdrag.",
]
STATUS_WEIGHTS = {
    ProposalStatus.NEW: 25,
    ProposalStatus.UNDER_REVIEW: 25,
    ProposalStatus.IN_PLAN: 30,
    ProposalStatus.REJECTED: 12,
    ProposalStatus.MERGED: 8,
}


def seed_workshops_at_scale(ctx: ScaleContext) -> None:
    rng = ctx.rng("workshops")
    facilitators: list[int] = ctx.shared["facilitators"]
    areas = list(PriorityArea.objects.order_by("order").values_list("pk", flat=True))
    count = ctx.volume(WORKSHOPS)
    span = (LAST_DATE - FIRST_DATE).days
    days = sorted(FIRST_DATE + timedelta(days=rng.randint(0, span)) for _ in range(count))

    with timestamps_as_given(Workshop, Proposal):
        workshops = []
        for day in days:
            companies = rng.randint(10, 60)
            municipality = rng.randint(5, 25)
            other = rng.randint(0, 8)
            workshop = Workshop(
                title=f"{rng.choice(THEMES)} {day:%Y-%m-%d}",
                date=day,
                place=rng.choice(PLACES),
                description="Resultaten från intervjuerna presenterades och varje bord tog ett "
                "prioriterat område.",
                status=WorkshopStatus.HELD if day <= ctx.today else WorkshopStatus.PLANNED,
                participants_total=companies + municipality + other + rng.randint(0, 5),
                participants_companies=companies,
                participants_municipality=municipality,
                participants_other=other,
                created_at=at(day - timedelta(days=30), 9),
            )
            workshop._scale_user = rng.choice(facilitators)
            workshops.append(workshop)
        bulk_insert(ctx, Workshop, workshops)
        history_insert(
            ctx, Workshop, workshops, when=lambda w: w.created_at, user_id=lambda w: w._scale_user
        )
        m2m_insert(
            ctx,
            Workshop,
            "facilitators",
            (
                (workshop.pk, user_id)
                for workshop in workshops
                for user_id in {workshop._scale_user, rng.choice(facilitators)}
            ),
        )

        groups = []
        for workshop in workshops:
            for number, area_id in enumerate(areas, start=1):
                group = WorkshopGroup(
                    workshop_id=workshop.pk,
                    name=f"Bord {number}",
                    area_id=area_id,
                    member_count=rng.randint(4, 16),
                    facilitator_id=workshop._scale_user,
                    notes="Livlig diskussion; flera förslag byggde på varandra."
                    if rng.random() < 0.3
                    else "",
                )
                group._scale_workshop = workshop
                groups.append(group)
        bulk_insert(ctx, WorkshopGroup, groups)

        proposals = _proposals(ctx, rng, groups, areas)
        _evidence(ctx, rng, proposals)
    ctx.say(
        f"Workshops: {len(workshops):,} workshops, {len(groups):,} groups, "
        f"{len(proposals):,} proposals."
    )


def _proposals(ctx, rng, groups, areas) -> list[Proposal]:
    count = ctx.volume(PROPOSALS_AT_REFERENCE, minimum=len(groups))
    # Every group makes at least one proposal; the rest fall where the talk was liveliest.
    owners = list(range(len(groups))) + rng.choices(range(len(groups)), k=count - len(groups))
    owners.sort()
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    proposals = []
    for group_index in owners:
        group = groups[group_index]
        workshop = group._scale_workshop
        spec = rng.choice(PROPOSALS)
        held = workshop.status == WorkshopStatus.HELD
        status = rng.choices(statuses, weights)[0] if held else ProposalStatus.NEW
        title = spec.title if rng.random() < 0.6 else f"{spec.title} ({workshop.date.year})"
        proposal = Proposal(
            group_id=group.pk,
            area_id=group.area_id if rng.random() < 0.95 else rng.choice(areas),
            title=title[:200],
            description=spec.description,
            actor=rng.choice(list(Actor)),
            horizon=rng.choice(list(TimeHorizon)),
            effect=rng.randint(1, 3),
            effort=rng.randint(1, 3),
            votes=rng.randint(0, 40) if held else 0,
            status=status,
            rejection_reason=rng.choice(REJECTION_REASONS)
            if status == ProposalStatus.REJECTED
            else "",
            created_by_id=group.facilitator_id,
            created_at=at(workshop.date, rng.randint(10, 15)),
        )
        proposal._scale_workshop = workshop
        proposals.append(proposal)
    # A merged proposal points at a live one of the same workshop, which carries its votes.
    by_workshop: dict[int, list[Proposal]] = {}
    for proposal in proposals:
        if proposal.status != ProposalStatus.MERGED:
            by_workshop.setdefault(proposal._scale_workshop.pk, []).append(proposal)
    for proposal in proposals:
        if proposal.status == ProposalStatus.MERGED and not by_workshop.get(
            proposal._scale_workshop.pk
        ):
            proposal.status = ProposalStatus.UNDER_REVIEW
    bulk_insert(ctx, Proposal, proposals)
    merged = []
    for proposal in proposals:
        if proposal.status == ProposalStatus.MERGED:
            survivor = rng.choice(by_workshop[proposal._scale_workshop.pk])
            proposal.merged_into_id = survivor.pk
            survivor.votes += proposal.votes
            merged.append(proposal)
    Proposal.objects.bulk_update(merged, ["merged_into"], batch_size=1000)
    survivors = {proposal.merged_into_id for proposal in merged}
    Proposal.objects.bulk_update(
        [p for p in proposals if p.pk in survivors], ["votes"], batch_size=1000
    )
    ctx.shared["proposals"] = [
        (proposal.pk, proposal.area_id, proposal.status, proposal._scale_workshop.date)
        for proposal in proposals
    ]
    return proposals


def _evidence(ctx, rng, proposals) -> None:
    """20,000 links at reference size: findings of the proposal's area heard before the workshop."""
    pool = ctx.shared["findings_by_area"]
    # The survivor of a merge carries the evidence; the merged ones have none of their own.
    live = [proposal for proposal in proposals if proposal.status != ProposalStatus.MERGED]
    total = ctx.volume(EVIDENCE_LINKS)
    per = [total // len(live)] * len(live)
    for index in rng.sample(range(len(live)), total % len(live)):
        per[index] += 1
    # From none to twice the average, in pairs that keep the total.
    for index in range(0, len(live) - 1, 2):
        shift = rng.randint(0, min(per[index], per[index + 1]))
        per[index] += shift
        per[index + 1] -= shift
    links = []
    for proposal, count in zip(live, per, strict=True):
        ids, days = pool.get(proposal.area_id, ((), ()))
        end = bisect_right(days, proposal._scale_workshop.date.toordinal())
        start = max(0, end - RECENT_FINDINGS)
        wanted = min(end - start, count)
        for position in rng.sample(range(start, end), wanted):
            links.append((proposal.pk, ids[position]))
    rows = m2m_insert(ctx, Proposal, "evidence", links)
    # Bulk inserted links fire no signals: count the companies behind each proposal at once.
    proposal_company_counts_refresh()
    linked: dict[int, list[int]] = {}
    for proposal_id, finding_id in links:
        linked.setdefault(proposal_id, []).append(finding_id)
    records = history_insert(
        ctx,
        Proposal,
        proposals,
        when=lambda p: p.created_at,
        user_id=lambda p: p.created_by_id,
    )
    m2m_history_insert(
        ctx,
        Proposal,
        "evidence",
        (
            (record.history_id, rows[record.id, finding_id], record.id, finding_id)
            for record in records
            for finding_id in linked.get(record.id, ())
        ),
    )
    ctx.say(f"Workshops: {len(links):,} links from proposals to findings.")


# Found by `manage.py seed_scale`, which runs the apps' scale seeders in INSTALLED_APPS order.
SCALE_SEED = seed_workshops_at_scale
