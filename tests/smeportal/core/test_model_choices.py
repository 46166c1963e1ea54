"""Model choice fields read their choices by one plain query, never a server-side cursor."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplan.forms import ActivityForm, GoalForm
from interviews.forms import FollowUpForm, InterviewForm
from smeportal.areas.models import PriorityArea
from smeportal.core.model_choices import (
    ChoicesInOneQuery,
    ChoicesInOneQueryMixin,
    ShortModelChoiceField,
    choice_objects_known,
)
from tests.factories import ActionPlanFactory, CompanyFactory
from workshops.forms_proposals import ProposalForm


class _AreaForm(ChoicesInOneQueryMixin, forms.Form):
    area = forms.ModelChoiceField(PriorityArea.objects.order_by("order"), empty_label="Alla")
    areas = forms.ModelMultipleChoiceField(PriorityArea.objects.order_by("order"))


@pytest.mark.django_db
def test_choices_are_the_empty_label_then_each_object_read_in_one_query(
    django_assert_num_queries,
):
    form = _AreaForm()
    with django_assert_num_queries(1):
        choices = [choice for choice in form.fields["area"].choices]  # noqa: C416 (list() counts)
    assert choices[0] == ("", "Alla")
    assert [label for _value, label in choices[1:]] == [
        str(area) for area in PriorityArea.objects.order_by("order")
    ]
    area_count = PriorityArea.objects.count()
    with django_assert_num_queries(1):
        area_choices = [choice for choice in form.fields["areas"].choices]  # noqa: C416
    assert len(area_choices) == area_count


@pytest.mark.parametrize(
    "make_form",
    [
        ActivityForm,
        GoalForm,
        FollowUpForm,
        ProposalForm,
        lambda: InterviewForm(company=CompanyFactory()),
    ],
)
@pytest.mark.django_db
def test_the_portals_forms_with_model_choices_use_one_query(make_form):
    fields = make_form().fields.values()
    model_fields = [field for field in fields if isinstance(field, forms.ModelChoiceField)]
    assert model_fields
    assert all(field.iterator is ChoicesInOneQuery for field in model_fields)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side cursors exist on Postgres only"
)
@pytest.mark.django_db
def test_a_form_page_opens_no_server_side_cursor(developer_client):
    ActionPlanFactory()
    with CaptureQueriesContext(connection) as queries:
        response = developer_client.get(reverse("actionplan:activity_create"))
    assert response.status_code == 200
    assert not [query for query in queries if "DECLARE" in query["sql"]]


class _FilterForm(forms.Form):
    area = ShortModelChoiceField(PriorityArea.objects.order_by("order"), required=False)


@pytest.mark.django_db
def test_a_short_choice_is_checked_and_drawn_from_one_query(django_assert_num_queries):
    area = PriorityArea.objects.order_by("order").last()
    form = _FilterForm({"area": str(area.pk)})
    with django_assert_num_queries(1):
        assert form.is_valid()
        html = str(form["area"])
    assert form.cleaned_data["area"] == area
    assert f'<option value="{area.pk}" selected>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["999999", "x", "1 OR 1=1"])
def test_a_short_choice_outside_the_list_is_an_error_not_a_crash(value):
    form = _FilterForm({"area": value})
    assert not form.is_valid()
    assert form.errors["area"] == [forms.ModelChoiceField.default_error_messages["invalid_choice"]]


@pytest.mark.django_db
def test_a_short_choice_known_by_the_page_costs_no_query(django_assert_num_queries):
    areas = list(PriorityArea.objects.order_by("order"))
    form = _FilterForm({"area": str(areas[0].pk)})
    choice_objects_known(form.fields["area"], areas)
    with django_assert_num_queries(0):
        assert form.is_valid()
        str(form["area"])
