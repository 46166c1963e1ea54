from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from interviews.selectors import finding_list
from smeportal.areas.models import PriorityArea
from tests.factories import (
    CompanyFactory,
    FindingFactory,
    InterviewFactory,
    ProposalFactory,
    WorkshopGroupFactory,
)
from workshops.models import Proposal
from workshops.selectors import evidence_summary, proposal_lineage
from workshops.services import (
    evidence_link,
    evidence_unlink,
    proposal_create,
    proposal_set_status,
    proposal_update,
    proposals_merge,
    workshop_votes_save,
)


@pytest.fixture
def group(db):
    return WorkshopGroupFactory()


def _reload(proposal: Proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)


# --- Merging ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_merge_keeps_lineage_and_sums_votes(group):
    survivor = ProposalFactory(group=group, title="Bygglovslots", votes=7)
    first = ProposalFactory(group=group, title="En lots för bygglov", votes=3, description="Text A")
    second = ProposalFactory(group=group, title="Lotsfunktion", votes=5, description="Text B")

    result = proposals_merge(survivor=survivor, duplicates=[first, second])

    assert result.votes == 15
    assert _reload(survivor).votes == 15
    for duplicate, title, description in ((first, "En lots för bygglov", "Text A"),
                                           (second, "Lotsfunktion", "Text B")):  # fmt: skip
        duplicate = _reload(duplicate)
        assert duplicate.merged_into_id == survivor.pk
        assert duplicate.status == "sammanslagen"
        assert duplicate.title == title
        assert duplicate.description == description
        assert duplicate.votes in (3, 5)  # its own count stays for the record
    assert Proposal.objects.count() == 3  # nothing deleted
    assert {p.pk for p in proposal_lineage(survivor)} == {first.pk, second.pk}


@pytest.mark.django_db
def test_lineage_follows_earlier_merges(group):
    first, second, third = (ProposalFactory(group=group, votes=n) for n in (1, 2, 4))
    proposals_merge(survivor=second, duplicates=[first])
    proposals_merge(survivor=third, duplicates=[second])

    assert _reload(third).votes == 7
    assert {p.pk for p in proposal_lineage(third)} == {first.pk, second.pk}


@pytest.mark.django_db
def test_lineage_is_one_query_however_deep(group, django_assert_num_queries):
    chain = [ProposalFactory(group=group, votes=1) for _ in range(4)]
    for older, newer in zip(chain, chain[1:], strict=False):
        proposals_merge(survivor=newer, duplicates=[older])
    with django_assert_num_queries(1):
        lineage = proposal_lineage(chain[-1])
        assert [(p.pk, p.group_name) for p in lineage] == [(p.pk, group.name) for p in chain[:-1]]


@pytest.mark.django_db
def test_merge_carries_evidence_over(group):
    survivor = ProposalFactory(group=group)
    duplicate = ProposalFactory(group=group)
    shared, own = FindingFactory(), FindingFactory()
    survivor.evidence.add(shared)
    duplicate.evidence.add(shared, own)

    proposals_merge(survivor=survivor, duplicates=[duplicate])

    assert set(survivor.evidence.all()) == {shared, own}
    assert set(duplicate.evidence.all()) == {shared, own}  # the record keeps its own links


@pytest.mark.django_db
def test_merging_an_already_merged_proposal_is_refused(group):
    survivor, duplicate, other = (ProposalFactory(group=group, votes=1) for _ in range(3))
    proposals_merge(survivor=survivor, duplicates=[duplicate])

    with pytest.raises(ValidationError, match="redan sammanslaget|already merged"):
        proposals_merge(survivor=other, duplicates=[_reload(duplicate)])
    with pytest.raises(ValidationError):
        proposals_merge(survivor=_reload(duplicate), duplicates=[other])
    assert _reload(other).votes == 1
    assert _reload(survivor).votes == 2


@pytest.mark.django_db
def test_merging_across_workshops_is_refused(group):
    survivor = ProposalFactory(group=group, votes=2)
    stranger = ProposalFactory(votes=3)  # another workshop

    with pytest.raises(ValidationError):
        proposals_merge(survivor=survivor, duplicates=[stranger])
    assert _reload(survivor).votes == 2
    assert _reload(stranger).merged_into_id is None


@pytest.mark.django_db
def test_merging_with_itself_only_is_refused(group):
    survivor = ProposalFactory(group=group)
    with pytest.raises(ValidationError):
        proposals_merge(survivor=survivor, duplicates=[survivor])


# --- Status and editing -------------------------------------------------------------------------


@pytest.mark.django_db
def test_rejection_needs_a_reason(group):
    proposal = ProposalFactory(group=group)
    with pytest.raises(ValidationError) as error:
        proposal_set_status(proposal=proposal, status="avslagen", reason="  ")
    assert "rejection_reason" in error.value.message_dict
    assert _reload(proposal).status == "ny"

    proposal_set_status(proposal=proposal, status="avslagen", reason="Ligger utanför uppdraget")
    assert _reload(proposal).rejection_reason == "Ligger utanför uppdraget"


@pytest.mark.django_db
def test_reason_is_cleared_when_no_longer_rejected(group):
    proposal = ProposalFactory(group=group, status="avslagen", rejection_reason="För dyrt")
    proposal.status = "under_beredning"
    proposal_update(proposal=proposal)
    saved = _reload(proposal)
    assert saved.status == "under_beredning"
    assert saved.rejection_reason == ""


@pytest.mark.django_db
def test_merged_status_cannot_be_set_by_hand(group):
    proposal = ProposalFactory(group=group)
    with pytest.raises(ValidationError):
        proposal_set_status(proposal=proposal, status="sammanslagen")
    assert _reload(proposal).status == "ny"
    with pytest.raises(ValidationError):
        proposal_create(
            group=group,
            proposal=Proposal(title="X", actor="kommunen", status="sammanslagen"),
            user=None,
        )


@pytest.mark.django_db
def test_a_merged_proposal_cannot_be_edited(group):
    survivor, duplicate = ProposalFactory(group=group), ProposalFactory(group=group, title="Gammal")
    proposals_merge(survivor=survivor, duplicates=[duplicate])
    duplicate = _reload(duplicate)
    duplicate.title = "Ny titel"
    with pytest.raises(ValidationError, match="slagits (ihop|samman)"):
        proposal_update(proposal=duplicate)
    assert _reload(duplicate).title == "Gammal"
    with pytest.raises(ValidationError):
        evidence_link(proposal=duplicate, findings=[FindingFactory()])
    assert not _reload(duplicate).evidence.exists()


@pytest.mark.django_db
def test_create_takes_the_group_area_unless_given(group):
    other_area = PriorityArea.objects.get(slug="upphandling")
    first = proposal_create(group=group, proposal=Proposal(title="A", actor="kommunen"), user=None)
    second = proposal_create(
        group=group, proposal=Proposal(title="B", actor="kommunen", area=other_area), user=None
    )
    assert first.area_id == group.area_id
    assert second.area_id == other_area.pk


# --- Votes --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_votes_are_saved_and_cannot_be_negative(group):
    proposal = ProposalFactory(group=group, votes=0)
    assert workshop_votes_save(workshop=group.workshop, votes={proposal.pk: 4}) == 1
    assert _reload(proposal).votes == 4
    with pytest.raises(ValidationError):
        workshop_votes_save(workshop=group.workshop, votes={proposal.pk: -1})
    assert _reload(proposal).votes == 4


@pytest.mark.django_db
def test_votes_for_another_workshops_proposal_are_refused(group):
    own = ProposalFactory(group=group, votes=0)
    stranger = ProposalFactory(votes=0)
    with pytest.raises(ValidationError):
        workshop_votes_save(workshop=group.workshop, votes={own.pk: 2, stranger.pk: 3})
    assert _reload(own).votes == 0
    assert _reload(stranger).votes == 0


# --- Evidence -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_evidence_counts_distinct_companies(group):
    proposal = ProposalFactory(group=group)
    manufacturer = CompanyFactory(industry="C", size_class="10-49")
    builder = CompanyFactory(industry="F", size_class="1-9")
    first_interview = InterviewFactory(company=manufacturer)
    second_interview = InterviewFactory(company=manufacturer)
    findings = [
        FindingFactory(interview=first_interview),
        FindingFactory(interview=first_interview),
        FindingFactory(interview=second_interview),
        FindingFactory(interview=InterviewFactory(company=builder)),
    ]
    evidence_link(proposal=proposal, findings=findings)

    summary = evidence_summary(proposal)

    assert summary.finding_count == 4
    assert summary.company_count == 2
    assert sorted(count for _label, count in summary.industries) == [1, 1]
    assert [label for label, _count in summary.sizes] == ["1–9 anställda", "10–49 anställda"]


@pytest.mark.django_db
def test_evidence_summary_lists_the_finding_ids_in_the_finding_lists_order(group):
    proposal = ProposalFactory(group=group)
    first_area, second_area = PriorityArea.objects.order_by("order")[:2]
    older, newer = InterviewFactory(), InterviewFactory()
    findings = [
        FindingFactory(interview=older, area=second_area, importance=3),
        FindingFactory(interview=older, area=first_area, importance=1),
        FindingFactory(interview=newer, area=first_area, importance=1, is_confidential=True),
        FindingFactory(interview=older, area=first_area, importance=3),
        FindingFactory(interview=older, area=first_area, importance=1),
    ]
    evidence_link(proposal=proposal, findings=findings)

    summary = evidence_summary(proposal)

    for internal in (True, False):
        listed = finding_list(audience_is_internal=internal).filter(proposals=proposal)
        assert summary.finding_ids(internal=internal) == [finding.pk for finding in listed]
    assert findings[2].pk not in summary.finding_ids(internal=False)
    assert len(summary.finding_ids(internal=True)) == summary.finding_count == 5


@pytest.mark.django_db
def test_evidence_unlink_removes_only_the_given_findings(group):
    proposal = ProposalFactory(group=group)
    keep, drop = FindingFactory(), FindingFactory()
    evidence_link(proposal=proposal, findings=[keep, drop])
    evidence_unlink(proposal=proposal, findings=[drop])
    assert list(proposal.evidence.all()) == [keep]
    assert evidence_summary(proposal).finding_count == 1
