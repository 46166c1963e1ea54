"""The information management plan: one rule per kind of record, kept by administrators."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst

from archive.demo import DEMO_PLAN
from archive.models import InformationRule, RecordType
from tests.swedish import sv as _
from tests.swedish import sv_plural as _n

PLAN_URL = reverse("archive:plan")
EMPTY = (
    "The plan is empty. Add a rule for each kind of record, with the decision it rests on; "
    "until then no records can be proposed for retention."
)
CREATE_URL = reverse("archive:rule_create")


def _rule(**fields) -> InformationRule:
    values = {
        "record_type": RecordType.INTERVIEWS,
        "action": InformationRule.Action.DISPOSE,
        "period": 5,
        "period_unit": InformationRule.Unit.YEARS,
        "counted_from": "intervjudatum",
        "decision_reference": "KS 2025/123 § 4",
        "decision_date": "2025-06-10",
        **fields,
    }
    return InformationRule(**values)


@pytest.mark.django_db
def test_a_disposal_rule_needs_a_period():
    for period in (None, 0):
        with pytest.raises(ValidationError) as caught:
            _rule(period=period).full_clean()
        assert (
            _("A disposal rule needs a period of at least 1.")
            in caught.value.message_dict["period"]
        )


@pytest.mark.django_db
def test_a_rule_that_keeps_records_has_no_period():
    with pytest.raises(ValidationError) as caught:
        _rule(action=InformationRule.Action.KEEP, period=3).full_clean()
    assert (
        _("Records kept for good have no disposal period.") in caught.value.message_dict["period"]
    )
    kept = _rule(action=InformationRule.Action.KEEP, period=None)
    kept.full_clean()
    assert kept.counted_from == "" and kept.months == 0


@pytest.mark.django_db
def test_the_period_is_counted_from_a_moment_that_fits_the_record_type():
    with pytest.raises(ValidationError) as caught:
        _rule(counted_from="skickat").full_clean()
    message = " ".join(caught.value.message_dict["counted_from"])
    assert str(_("the interview's date")) in message


@pytest.mark.django_db
def test_months_and_years_give_the_period_in_months():
    assert _rule(period=5).months == 60
    assert _rule(period=18, period_unit=InformationRule.Unit.MONTHS).months == 18


@pytest.mark.django_db
def test_the_demo_plan_has_a_valid_rule_for_every_record_type(plan):
    assert {record_type for record_type, *_rest in DEMO_PLAN} == set(RecordType)
    assert InformationRule.objects.count() == len(RecordType)
    interviews = InformationRule.objects.get(record_type=RecordType.INTERVIEWS)
    assert interviews.period_text == _("disposed of %(length)s after %(moment)s") % {
        "length": _n("%(count)s year", "%(count)s years", 5) % {"count": 5},
        "moment": _("the interview's date"),
    }
    kept = InformationRule.objects.get(record_type=RecordType.REPORTS)
    assert kept.period_text == _("kept for good")


@pytest.mark.django_db
def test_the_administrator_reads_the_plan_as_a_table(admin_client, plan):
    body = admin_client.get(PLAN_URL).content.decode()
    assert "<caption" in body and 'scope="row"' in body
    rule = InformationRule.objects.get(record_type=RecordType.INTERVIEWS)
    with translation.override("sv"):
        shown = capfirst(rule.period_text)
    assert escape(shown) in body
    assert "KS 2025/412 § 7, 2025-06-10" in body
    assert _(EMPTY) not in body


@pytest.mark.django_db
def test_an_empty_plan_says_what_to_do(admin_client):
    body = admin_client.get(PLAN_URL).content.decode()
    assert _(EMPTY) in body
    assert CREATE_URL in body


@pytest.mark.django_db
def test_the_administrator_changes_a_rule_and_the_change_is_kept(admin_client, administrator, plan):
    rule = InformationRule.objects.get(record_type=RecordType.CONTACTS)
    url = reverse("archive:rule_update", args=[rule.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "record_type": "intervjuer",  # disabled: a rule stays its record type's
            "action": "gallras",
            "period": "18",
            "period_unit": "manader",
            "counted_from": "senaste_intervju",
            "decision_reference": "KS 2026/88 § 2",
            "decision_date": "2026-03-01",
            "note": "Ändrad efter dataskyddsombudets granskning.",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.record_type, rule.months, rule.decision_reference) == (
        RecordType.CONTACTS,
        18,
        "KS 2026/88 § 2",
    )
    latest = rule.history.order_by("-history_id").first()
    assert latest.history_user == administrator
    assert rule.history.count() == 2


@pytest.mark.django_db
def test_an_invalid_rule_is_refused_in_swedish_and_not_saved(admin_client, plan):
    rule = InformationRule.objects.get(record_type=RecordType.OUTBOX)
    response = admin_client.post(
        reverse("archive:rule_update", args=[rule.pk]),
        {
            "action": "gallras",
            "period": "",
            "period_unit": "ar",
            "counted_from": "skickat",
            "decision_reference": "KS 2025/412 § 7",
            "decision_date": "2025-06-10",
        },
    )
    assert response.status_code == 400
    assert _("A disposal rule needs a period of at least 1.") in response.content.decode()
    rule.refresh_from_db()
    assert rule.period == 1


@pytest.mark.django_db
def test_a_rule_is_added_for_a_record_type_without_one(admin_client):
    response = admin_client.post(
        CREATE_URL,
        {
            "record_type": "rapporter",
            "action": "bevaras",
            "period": "",
            "decision_reference": "KS 2025/412 § 7",
            "decision_date": "2025-06-10",
        },
    )
    assert response.status_code == 302
    assert InformationRule.objects.get(record_type="rapporter").period_text == _("kept for good")
    # A second rule for the same kind is not offered.
    again = admin_client.post(
        CREATE_URL,
        {
            "record_type": "rapporter",
            "action": "bevaras",
            "decision_reference": "X",
            "decision_date": "2025-06-10",
        },
    )
    assert again.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fixture", ["registrar_client", "developer_client", "facilitator_client", "council_client"]
)
def test_only_administrators_keep_the_plan(request, fixture, plan):
    client = request.getfixturevalue(fixture)
    rule = InformationRule.objects.first()
    for url in (PLAN_URL, CREATE_URL, reverse("archive:rule_update", args=[rule.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
