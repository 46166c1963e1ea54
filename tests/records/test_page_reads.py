"""What the request's page and the review page read: their lists in one statement, the same
choices as the forms' own, a fixed number of queries, and no read of what is not there."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan.models import ActionPlan
from records.content import item_sections, item_units
from records.forms import CoveredItemForm, DecisionForm, MaskForm, read_choices_together
from records.models import CoveredItem, SecrecyGround
from records.services import mask_add
from records.views import REVIEW_PAGE_SIZE
from reports.models import ReportRun
from tests.factories import ActionPlanFactory, InterviewFactory, UserFactory, WorkshopFactory
from tests.querycounts import page_queries

from .conftest import PUBLIC_TEXT

pytestmark = pytest.mark.django_db


def _grow_choices(count: int) -> None:
    user = UserFactory()
    for number in range(count):
        WorkshopFactory(
            title=f"Workshop {number} & <b>fet</b>",
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number % 3),
        )
        ActionPlanFactory(title=f"Plan {number % 2}", start_year=2024 + number)
        ReportRun.objects.create(requested_by=user, status=ReportRun.Status.DONE)
    ReportRun.objects.create(requested_by=user, status=ReportRun.Status.FAILED)
    SecrecyGround.objects.get_or_create(
        reference="99 kap. 1 § OSL", defaults={"title": "Ur bruk", "is_active": False}
    )


def _choices(form, name: str) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in form.fields[name].choices]


def test_the_lists_read_together_are_the_forms_own_choices(django_assert_num_queries):
    _grow_choices(4)
    expected_item, expected_decision = CoveredItemForm(), DecisionForm()
    item_form, decision_form = CoveredItemForm(), DecisionForm()
    with django_assert_num_queries(1):
        read_choices_together(item_form, decision_form)
        drawn = {name: _choices(item_form, name) for name in item_form.label_fields}
        drawn["grounds"] = _choices(decision_form, "grounds")
    for name in item_form.label_fields:
        assert drawn[name] == _choices(expected_item, name), name
    assert drawn["grounds"] == _choices(expected_decision, "grounds")
    assert len(drawn["report"]) == 1 + 4  # the empty choice, then the finished runs
    # A second form reads the same statement again, compiled once.
    with django_assert_num_queries(1):
        read_choices_together(CoveredItemForm(), DecisionForm())


def test_a_mask_forms_grounds_are_read_in_one_query(django_assert_num_queries):
    _grow_choices(1)
    form = MaskForm(fields=[])
    with django_assert_num_queries(1):
        read_choices_together(form)
        drawn = _choices(form, "ground")
    assert drawn == _choices(MaskForm(fields=[]), "ground")
    assert "99 kap. 1 § OSL" not in str(drawn)


def test_the_request_page_costs_the_same_with_more_choices(registrar_client, record_request):
    url = reverse("records:request_detail", args=[record_request.pk])
    _grow_choices(2)
    small_page, small = page_queries(registrar_client, url)
    _grow_choices(12)
    page, large = page_queries(registrar_client, url)
    assert small == large
    html = page.content.decode()
    assert html.count("Workshop 11 &amp; &lt;b&gt;fet&lt;/b&gt;") == 1
    assert "<b>fet</b>" not in html
    assert f'<option value="{ActionPlan.objects.order_by("title", "pk").first().pk}"' in html


def test_a_choice_from_the_page_is_accepted(registrar_client, record_request):
    _grow_choices(3)
    plan = ActionPlan.objects.order_by("title", "pk").last()
    response = registrar_client.post(
        reverse("records:item_add", args=[record_request.pk]),
        {"kind": CoveredItem.Kind.ACTION_PLAN, "plan": plan.pk},
    )
    assert response.status_code == 302
    item = record_request.items.get()
    assert item.target_id == plan.pk
    assert plan.title in item.label


def _mask_public_text(covered, registrar, reason: str) -> None:
    sections = item_sections(covered, item_units(covered))
    field = next(f for section in sections for f in section.fields if PUBLIC_TEXT in f.text)
    mask_add(
        item=covered,
        field=field,
        passage="Bygglovet",
        ground=SecrecyGround.objects.filter(is_active=True).first(),
        reason=reason,
        user=registrar,
    )


def test_the_request_page_reads_no_files_or_decisions_before_there_are_any(
    registrar_client, record_request, covered, registrar
):
    url = reverse("records:request_detail", args=[record_request.pk])
    _page, without = page_queries(registrar_client, url)
    _mask_public_text(covered, registrar, "Provmaskering")
    page, with_log = page_queries(registrar_client, url)
    assert with_log == without + 1
    assert "Provmaskering" in page.content.decode()


def test_the_review_pages_count_their_units_only_past_a_full_page(
    registrar_client, covered, company_interview
):
    url = reverse("records:item_review", args=[covered.pk])
    _page, one_page = page_queries(registrar_client, url)
    for day in range(REVIEW_PAGE_SIZE + 2):
        InterviewFactory(
            company=company_interview.company,
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=day),
        )
    first, counted = page_queries(registrar_client, url)
    assert counted == one_page + 1  # the COUNT of a list longer than a page
    assert first.context["page_obj"].paginator.num_pages == 2
    last, _queries = page_queries(registrar_client, url, {"page": "2"})
    assert len(last.context["page_obj"].object_list) == 3
    # A page that is no number, or past the end, is the first or the last page, as before.
    assert page_queries(registrar_client, url, {"page": "x"})[0].context["page_obj"].number == 1
    assert page_queries(registrar_client, url, {"page": "9"})[0].context["page_obj"].number == 2


def test_the_review_page_reads_the_log_once_there_is_a_decision(
    registrar_client, covered, registrar
):
    url = reverse("records:item_review", args=[covered.pk])
    _page, without = page_queries(registrar_client, url)
    _mask_public_text(covered, registrar, "Provmaskering")
    page, with_log = page_queries(registrar_client, url)
    assert with_log == without + 1
    html = page.content.decode()
    assert "Provmaskering" in html
    assert PUBLIC_TEXT not in html  # its first word is masked now
    assert timezone.localdate().isoformat() in html
