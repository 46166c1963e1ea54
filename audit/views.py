from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from api.selectors import api_calls
from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.accounts.roles import has_capability
from smeportal.core.form_token_views import Confirmation, render_confirmation
from smeportal.core.form_tokens import confirmed
from smeportal.core.pagination import CappedPaginator

from .forms import AuditFilterForm, RetentionCriteriaForm, RetentionDecisionForm
from .models import RetentionDecision
from .selectors import (
    CANDIDATE_LIMIT,
    AuditFilter,
    RetentionCriteria,
    audit_rows,
    audit_trail_count,
    audit_trail_keys,
    criteria_from_rule,
    decision_counts,
    decision_effects,
    first_candidates,
    retention_candidate_facts,
    retention_candidate_rows,
    retention_candidates,
    retention_decision_list,
)
from .services import retention_decision_execute

PAGE_SIZE = 50
# 25 changes a page: the trail's rows are its dearest (a record, the one before it, their keys'
# names and links, the changed values formatted), and at 50 the page took three times as long
# as a plain one.
AUDIT_PAGE_SIZE = 25
# The audit trail (700,000 history records at scale) is counted and paged up to this many
# changes (400 pages); the filters reach older ones.
AUDIT_CAP = 10_000


def _query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class AuditListView(CapabilityRequiredMixin, View):
    """Who created, changed, archived or deleted which record, and when, across the domain."""

    required_capability = "audit.view"

    def get(self, request):
        form = AuditFilterForm(request.GET or None)
        status = 200
        audit_filter = AuditFilter()
        if form.is_bound:
            if form.is_valid():
                user = form.cleaned_data["user"]
                audit_filter = AuditFilter(
                    user_id=user.pk if user else None,
                    model_label=form.cleaned_data["object_type"],
                    date_from=form.cleaned_data["date_from"],
                    date_to=form.cleaned_data["date_to"],
                )
            else:
                status = 400

        def counted(limit: int) -> int:
            return 0 if status == 400 else audit_trail_count(audit_filter, limit=limit)

        def page_keys(start: int, stop: int) -> list:
            return [] if status == 400 else audit_trail_keys(audit_filter, start, stop)

        page = CappedPaginator(
            None, AUDIT_PAGE_SIZE, cap=AUDIT_CAP, rows=page_keys, counted=counted
        ).get_page(request.GET.get("page"))
        context = {
            "form": form,
            "page_obj": page,
            "rows": audit_rows(page.object_list, audit_filter.labels(), users=form.users()),
            "query_string": _query_string(request),
        }
        return render(request, "audit/audit_list.html", context, status=status)


class RetentionView(CapabilityRequiredMixin, View):
    """Gallring: choose archived or old records and record a retention decision that covers them.

    Both steps are POST forms, so a searched name never lands in the URL, the access log, the
    browser's history or a Referer. The criteria step (its button is named SHOW_RECORDS) only
    lists the records; the decision form repeats the criteria as hidden fields so the service
    recomputes what they allow. A GET shows the empty criteria form and reads no parameters.
    """

    required_capability = "retention.decide"
    template_name = "audit/retention.html"
    SHOW_RECORDS = "show"

    def get(self, request):
        return self.render_page(request, RetentionCriteriaForm())

    def post(self, request):
        criteria_form = RetentionCriteriaForm(request.POST)
        if not criteria_form.is_valid():
            return self.render_page(request, criteria_form, status=400)
        criteria = self.criteria(criteria_form)
        if self.SHOW_RECORDS in request.POST:
            return self.render_page(
                request, criteria_form, criteria=criteria, decision_form=RetentionDecisionForm()
            )
        candidate_ids = list(retention_candidates(criteria).values_list("pk", flat=True))
        decision_form = RetentionDecisionForm(request.POST, candidate_ids=candidate_ids)
        if decision_form.is_valid():
            data = decision_form.cleaned_data
            record_ids = sorted(candidate_ids if data["cover_all"] else data["records"])
            confirmation = retention_confirmation(criteria, data, record_ids)
            try:
                with confirmed(
                    request, action=confirmation.action, params=confirmation.params
                ) as ok:
                    if ok:
                        decision = retention_decision_execute(
                            user=request.user,
                            criteria=criteria,
                            reference=data["reference"],
                            reason=data["reason"],
                            record_ids=record_ids,
                        )
            except ValidationError as error:
                for message in error.messages:
                    decision_form.add_error(None, message)
            else:
                if not ok:
                    return render_confirmation(request, confirmation)
                messages.success(
                    request,
                    _("The retention decision “%(reference)s” was recorded and carried out.")
                    % {"reference": decision.reference},
                )
                return redirect("audit:decision_list")
        return self.render_page(
            request, criteria_form, criteria=criteria, decision_form=decision_form, status=400
        )

    @staticmethod
    def criteria(form: RetentionCriteriaForm) -> RetentionCriteria:
        return criteria_from_rule(
            form.cleaned_data["rule"],
            search=form.cleaned_data["search"],
            sole_traders_only=form.cleaned_data["sole_traders_only"],
        )

    def render_page(self, request, criteria_form, *, criteria=None, decision_form=None, status=200):
        context = {
            "criteria_form": criteria_form,
            "decision_form": decision_form,
            "has_rules": bool(criteria_form.rules),
            "can_plan": has_capability(request.user, "archive.plan"),
        }
        if criteria is not None:
            context["rule"] = criteria_form.cleaned_data["rule"]
            candidates = retention_candidates(criteria)
            shown = retention_candidate_facts(
                criteria.scope, first_candidates(criteria.scope, candidates, CANDIDATE_LIMIT + 1)
            )
            chosen = set()
            if decision_form is not None and decision_form.is_bound:
                chosen = {str(pk) for pk in request.POST.getlist("records")}
            context.update(
                criteria=criteria,
                candidates=shown[:CANDIDATE_LIMIT],
                candidate_rows=retention_candidate_rows(
                    criteria.scope, shown[:CANDIDATE_LIMIT], chosen
                ),
                # Counted whether or not the list is cut, so that the page makes the same
                # queries however many records match.
                candidate_count=candidates.count(),
                more_candidates=len(shown) > CANDIDATE_LIMIT,
                candidate_limit=CANDIDATE_LIMIT,
                chosen=chosen,
            )
        return render(request, self.template_name, context, status=status)


def retention_confirmation(criteria: RetentionCriteria, data: dict, record_ids: list[int]):
    """The last step before records are destroyed: bound to exactly these records and words.

    If the records the criteria cover change between the steps (a colleague archived another
    finding), the confirmation no longer matches and is asked for again with the new count.
    """
    scope = RetentionDecision.Scope(criteria.scope)
    return Confirmation(
        action="audit.retention_decision",
        params={
            "scope": criteria.scope,
            "rule": criteria.rule_id,
            "older_than_months": criteria.months,
            "search": criteria.search,
            "sole_traders_only": criteria.sole_traders_only,
            "records": record_ids,
            "reference": data["reference"],
            "reason": data["reason"],
        },
        title=_("Confirm the retention decision"),
        question=_("Carry out the retention decision “%(reference)s” now?")
        % {"reference": data["reference"]},
        consequences=[
            ngettext(
                "%(scope)s: %(count)s record.",
                "%(scope)s: %(count)s records.",
                len(record_ids),
            )
            % {"scope": scope.label, "count": len(record_ids)},
            _(
                "Stored summaries and report files that hold these records are cleaned or "
                "removed, and new reports are requested."
            ),
            _("This cannot be undone. The decision itself is kept for good."),
        ],
        confirm_label=_("Carry out the decision"),
        cancel_url=reverse("audit:retention"),
    )


class DecisionListView(CapabilityRequiredMixin, View):
    """Every retention decision, kept for good: who, when, why and what it covered."""

    required_capability = "retention.decide"

    def get(self, request):
        page = Paginator(retention_decision_list(), PAGE_SIZE).get_page(request.GET.get("page"))
        effects = decision_effects(list(page.object_list))
        for decision in page.object_list:
            decision.count_rows = decision_counts(decision)
            decision.effect_rows = effects.get(decision.pk, [])
        return render(
            request,
            "audit/decision_list.html",
            {"page_obj": page, "query_string": _query_string(request)},
        )


API_CALLS_PAGE_SIZE = 50


class ApiCallListView(CapabilityRequiredMixin, View):
    """Every call of the API by a signed-in caller, newest first: who, with which token, what
    path (never the query string) and the answer. Paged by position, not by counting: the log
    grows by every call, and page 2,000 costs what page 1 does."""

    required_capability = "audit.view"

    def get(self, request):
        calls = api_calls()
        user_id = request.GET.get("anvandare", "")
        if user_id.isdigit():
            calls = calls.filter(user_id=int(user_id))
        before = request.GET.get("fore", "")
        if before.isdigit():
            calls = calls.filter(pk__lt=int(before))
        rows = list(calls[: API_CALLS_PAGE_SIZE + 1])
        more = len(rows) > API_CALLS_PAGE_SIZE
        rows = rows[:API_CALLS_PAGE_SIZE]
        return render(
            request,
            "audit/api_calls.html",
            {
                "calls": rows,
                "next_before": rows[-1].pk if more else None,
                "user_id": user_id if user_id.isdigit() else "",
                "is_first_page": not before.isdigit(),
            },
        )
