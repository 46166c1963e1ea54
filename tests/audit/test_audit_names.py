"""The audit trail names objects and formats values as the objects and the rest of the portal do.

The trail reads only the columns it shows (audit.selectors.NAME_FIELDS for the objects a record
points at) instead of loading the objects; these tests hold it to what str() and the history
page show.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from audit.selectors import NAME_FIELDS, _name, _stand_in
from smeportal.areas.models import PriorityArea
from tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    GoalFactory,
    IndicatorFactory,
    InterviewFactory,
    MeasurementFactory,
    PriorityAreaFactory,
    ProposalFactory,
    UserFactory,
    WorkshopFactory,
    WorkshopGroupFactory,
)

URL = reverse("audit:audit_list")


def _record_request():
    """A request for public documents (records), handled by an administrator."""
    from records.services import record_request_create
    from smeportal.accounts.roles import Role

    handler = UserFactory(role=Role.ADMINISTRATOR)
    return record_request_create(
        received_on=datetime.date(2026, 11, 2),
        channel="e-post",
        description="Intervjuerna",
        handler=handler,
        user=handler,
    )


def _covered_item():
    from records.models import CoveredItem

    return CoveredItem.objects.create(
        request=_record_request(), kind="foretag", target_id=1, label="Alla intervjuer med AB"
    )


def _secrecy_ground():
    from records.models import SecrecyGround

    return SecrecyGround.objects.create(reference="18 kap. 8 § OSL", title="Säkerhet")


EXAMPLES = {
    "interviews.company": CompanyFactory,
    "interviews.contact": ContactFactory,
    "interviews.interview": InterviewFactory,
    "interviews.finding": FindingFactory,
    "areas.priorityarea": lambda: PriorityAreaFactory(name="Kompetens", name_en="Skills"),
    "workshops.workshop": WorkshopFactory,
    "workshops.workshopgroup": WorkshopGroupFactory,
    "workshops.proposal": ProposalFactory,
    "actionplan.actionplan": ActionPlanFactory,
    "actionplan.activity": ActivityFactory,
    "actionplan.goal": GoalFactory,
    "actionplan.indicator": IndicatorFactory,
    "records.recordrequest": _record_request,
    "records.covereditem": _covered_item,
    "records.secrecyground": _secrecy_ground,
}


def _rows(response):
    return response.context["rows"]


def test_every_named_model_has_an_example():
    assert {model._meta.label_lower for model in NAME_FIELDS} == set(EXAMPLES)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("label", sorted(EXAMPLES))
def test_the_columns_read_name_an_object_as_it_names_itself(label, language):
    """A model whose __str__ reads another field than NAME_FIELDS lists fails here."""
    obj = EXAMPLES[label]()
    model = type(obj)
    values = model._base_manager.filter(pk=obj.pk).values(*NAME_FIELDS[model]).get()
    with translation.override(language):
        assert _name(_stand_in(model, obj.pk, values)) == str(obj)


@pytest.mark.django_db
def test_a_changed_key_shows_both_objects_by_name(admin_client):
    finding = FindingFactory(text="Svårt att hitta lokaler")
    old_interview, old_area = finding.interview, finding.area
    finding.interview = InterviewFactory(company=CompanyFactory(name="Nya Gjuteriet AB"))
    finding.area = PriorityArea.objects.exclude(pk=old_area.pk).order_by("order").first()
    finding.save()

    [changed] = [row for row in _rows(admin_client.get(URL)) if row.changes]
    assert changed.object_label == "Svårt att hitta lokaler"
    assert {(change.old, change.new) for change in changed.changes} == {
        (str(old_interview), str(finding.interview)),
        (str(old_area), str(finding.area)),
    }


@pytest.mark.django_db
def test_values_are_formatted_as_the_portal_formats_them(admin_client):
    """Decimals keep their places with a decimal comma, booleans read Ja/Nej, dates ISO: on
    SQLite as on Postgres."""
    indicator = IndicatorFactory(name="NKI företag", target_value=Decimal("70.00"))
    indicator.target_value = Decimal("72.50")
    indicator.target_date = datetime.date(2027, 12, 31)
    indicator.save()
    finding = FindingFactory()
    finding.is_key_quote = True
    finding.save()
    measurement = MeasurementFactory(indicator=indicator, value=Decimal("3.40"))

    rows = _rows(admin_client.get(URL))
    expected = f"NKI företag: 3.40 ({measurement.date.isoformat()})"
    assert rows[0].object_label == str(measurement) == expected
    by_label = {row.object_label: row for row in rows if row.changes}
    assert {(c.old, c.new) for c in by_label["NKI företag"].changes} >= {
        ("70,00", "72,50"),
        ("2030-06-01", "2027-12-31"),
    }
    assert [(c.old, c.new) for c in by_label[str(finding)].changes] == [("Nej", "Ja")]


@pytest.mark.django_db
def test_links_are_named_as_the_linked_objects_name_themselves(admin_client):
    interview = InterviewFactory()
    interviewer = UserFactory(first_name="Karin", last_name="Ek")
    contact = ContactFactory(company=interview.company, name="Per Holm", role="VD")
    interview.interviewers.add(interviewer)
    interview.interviewees.add(contact)

    changed = [row for row in _rows(admin_client.get(URL)) if row.link_changes]
    added = {name for row in changed for change in row.link_changes for name in change.added}
    assert added == {"Karin Ek", "Per Holm (VD)"}


@pytest.mark.django_db
def test_the_users_are_read_once_for_the_filter_and_the_rows(admin_client, developer):
    FindingFactory().history.update(history_user=developer)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(URL)
    user_lists = [
        query["sql"]
        for query in captured.captured_queries
        if 'FROM "accounts_user"' in query["sql"] and "ORDER BY" in query["sql"]
    ]
    assert len(user_lists) == 1
    assert not any("DECLARE" in query["sql"] for query in captured.captured_queries)
    assert str(developer) in {row.who for row in _rows(response)}
    assert f">{developer}</option>" in response.content.decode()

    # Choosing a user is checked against the same list: no query of its own.
    with CaptureQueriesContext(connection) as filtered:
        response = admin_client.get(URL, {"user": developer.pk})
    assert len(filtered.captured_queries) == len(captured.captured_queries)
    assert {row.who for row in _rows(response)} == {str(developer)}


@pytest.mark.django_db
def test_an_object_gone_since_is_shown_by_its_id(admin_client):
    activity = ActivityFactory()
    goal = GoalFactory(plan=activity.plan)
    activity.goal = goal
    activity.save()
    activity.goal = None
    activity.save()
    goal_id = goal.pk
    goal.delete()

    rows = [row for row in _rows(admin_client.get(URL)) if row.changes]
    assert ("–", f"#{goal_id}") in {(c.old, c.new) for row in rows for c in row.changes}
