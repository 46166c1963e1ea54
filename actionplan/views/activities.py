"""Activities: the form, creation from workshop proposals, the activity page and its progress."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaks_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from interviews.consent import Audience, audience_for, visible_quote
from interviews.models import Finding
from smeportal.accounts.permissions import CapabilityRequiredMixin
from smeportal.accounts.roles import has_capability
from smeportal.areas.models import PriorityArea
from smeportal.core.choices import choice_labels
from smeportal.core.form_token_views import SubmitOnceMixin
from smeportal.core.form_tokens import submission_once
from smeportal.core.model_choices import choice_objects
from smeportal.core.views import HistorySubject
from workshops.models import Proposal

from ..forms import ActivityForm, ActivityFromProposalsForm, ActivityProgressForm, AreaFilterForm
from ..models import Activity, Milestone
from ..selectors import plan_progress, proposal_pick, shows_staff_names, single_goal_for
from ..selectors_activity import activity_chain_summary, activity_findings, activity_page
from ..selectors_forms import activity_for_form
from ..selectors_proposals import (
    AreaProposals,
    first_proposals_per_area,
    proposal_counts_by_area,
    proposals_of_ids,
)
from ..services import (
    activity_create_from_proposals,
    activity_save,
    activity_set_progress,
    can_update_activity,
)
from .plans import (
    MAX_ID_DIGITS,
    attach_service_errors,
    forget_failed_create,
    staff_history_response,
)

# The new-activity-from-proposals page lists the first five per area (most companies behind
# them first, as on the coverage page), or one area's a page at a time.
CHOICES_PER_AREA = 5
# The activity page lists the findings behind it this many at a time.
FINDINGS_PAGE_SIZE = 20
PAGE_SIZE = 50

# The activity form lists the proposals that match its search, at most this many.
PROPOSAL_PICK_LIMIT = 50
MAX_PROPOSAL_SEARCH = 200

# The largest id a database column holds; a larger "id" in a query string matches nothing.
MAX_ID = 2**63 - 1


def _ids(values) -> list[int]:
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    return [
        int(value)
        for value in map(str, values)
        if value.isdecimal() and len(value) <= MAX_ID_DIGITS and int(value) <= MAX_ID
    ]


class ActivityCreateView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    required_capability = "actionplan.edit"
    template_name = "actionplan/activity_form.html"

    def get(self, request):
        if request.htmx:
            return self.render_pick(request)
        initial = {}
        parent_id = request.GET.get("parent", "")
        parent = (
            Activity.objects.filter(pk=int(parent_id)).first()
            if parent_id.isdecimal() and len(parent_id) <= MAX_ID_DIGITS
            else None
        )
        plan_id = request.GET.get("plan", "")
        if parent is not None:
            initial.update({"parent": parent.pk, "plan": parent.plan_id})
        elif plan_id.isdecimal() and len(plan_id) <= MAX_ID_DIGITS:
            initial["plan"] = int(plan_id)
        # Otherwise the form preselects the current plan.
        chosen = _ids(request.GET.getlist("proposal"))
        if chosen:
            initial["proposals"] = chosen
        return self.render_form(request, ActivityForm(initial=initial), None, chosen)

    def post(self, request):
        return self.save(request, ActivityForm(request.POST))

    def pick_context(self, request, chosen: list[int]) -> dict:
        search = request.GET.get("proposal_q", "").replace("\x00", "").strip()
        pick = proposal_pick(
            chosen_ids=chosen, search=search[:MAX_PROPOSAL_SEARCH], limit=PROPOSAL_PICK_LIMIT
        )
        return {"pick": pick, "pick_limit": PROPOSAL_PICK_LIMIT}

    def render_pick(self, request):
        """The search of the picker with htmx: only the list of proposals, with those ticked
        on the page (sent as ?proposals=) still ticked, so what was typed in the form stays."""
        chosen = _ids(request.GET.getlist("proposals"))
        context = self.pick_context(request, chosen)
        response = render(request, f"{self.template_name}#proposal-pick-found", context)
        patch_vary_headers(response, ("HX-Request",))  # without htmx the URL is the whole page
        return response

    def render_form(self, request, form, activity, chosen: list[int], status: int = 200):
        """The form with its proposals as a bounded picker: the chosen ones ticked, and the
        proposals matching ?proposal_q=. The search is a GET form of its own, so it works
        without JavaScript (the page reloads with the proposals chosen so far); with htmx it
        swaps only the list (render_pick)."""
        keep = {name: request.GET[name] for name in ("plan", "parent") if request.GET.get(name)}
        context = {
            "form": form,
            "activity": activity,
            "has_plan": activity is not None or bool(form.plan_choices()),
            "pick_keep": keep.items(),
            **self.pick_context(request, chosen),
        }
        response = render(request, self.template_name, context, status=status)
        patch_vary_headers(response, ("HX-Request",))  # with htmx the same URL is the list only
        return response

    def save(self, request, form: ActivityForm, activity: Activity | None = None):
        if form.is_valid():
            try:
                with submission_once(request) as submission:
                    saved = activity_save(
                        activity=form.instance,
                        areas=form.cleaned_data["areas"],
                        proposals=form.cleaned_data["proposals"],
                    )
                    submission.lead_to(reverse("actionplan:activity_detail", args=[saved.pk]))
            except ValidationError as error:
                if activity is None:
                    forget_failed_create(form.instance)
                attach_service_errors(form, error)
            else:
                messages.success(request, _("The activity was saved."))
                return redirect("actionplan:activity_detail", pk=saved.pk)
        chosen = _ids(request.POST.getlist("proposals"))
        return self.render_form(request, form, activity, chosen, status=400)


def _activity_for_form(pk: int) -> Activity:
    activity = activity_for_form(pk)
    if activity is None:
        raise Http404
    return activity


class ActivityUpdateView(ActivityCreateView):
    def get(self, request, pk: int):
        activity = _activity_for_form(pk)
        if request.htmx:
            return self.render_pick(request)
        form = ActivityForm(instance=activity)
        # The linked proposals, and those ticked before a search of the picker.
        chosen = list(
            dict.fromkeys(form.linked_proposal_ids + _ids(request.GET.getlist("proposal")))
        )
        form.initial["proposals"] = chosen
        return self.render_form(request, form, activity, chosen)

    def post(self, request, pk: int):
        activity = _activity_for_form(pk)
        return self.save(request, ActivityForm(request.POST, instance=activity), activity)


class ActivityFromProposalsView(SubmitOnceMixin, CapabilityRequiredMixin, View):
    """Pick one or more workshop proposals and create the activity that realises them."""

    required_capability = "actionplan.edit"
    template_name = "actionplan/activity_from_proposals.html"

    def get(self, request):
        chosen = _ids(request.GET.getlist("proposal"))
        chosen_proposals = (
            list(Proposal.objects.filter(pk__in=chosen).order_by("pk")) if chosen else []
        )
        initial = {"proposals": chosen}  # the form preselects the current plan
        if len(chosen_proposals) == 1:
            initial["title"] = chosen_proposals[0].title
            initial["description"] = chosen_proposals[0].description
        areas = sorted({proposal.area_id for proposal in chosen_proposals})
        if areas:
            initial["areas"] = areas  # the proposals' areas, as the service defaults to
        form = ActivityFromProposalsForm(initial=initial)
        # The plan's goal for the proposals' area, when there is exactly one such goal.
        goal = single_goal_for(form.initial.get("plan"), areas)
        if goal is not None:
            form.initial["goal"] = goal
        return self.render_page(request, form, chosen)

    def post(self, request):
        form = ActivityFromProposalsForm(request.POST)
        chosen = _ids(request.POST.getlist("proposals"))
        if form.is_valid():
            proposals = list(form.cleaned_data["proposals"])
            try:
                with submission_once(request) as submission:
                    activity = activity_create_from_proposals(
                        activity=form.instance,
                        proposals=proposals,
                        areas=form.cleaned_data["areas"] or None,
                    )
                    submission.lead_to(reverse("actionplan:activity_detail", args=[activity.pk]))
            except ValidationError as error:
                forget_failed_create(form.instance)
                attach_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The activity was created; %(count)s proposal is now in the action plan.",
                        "The activity was created; %(count)s proposals are now in the action plan.",
                        len(proposals),
                    )
                    % {"count": len(proposals)},
                )
                return redirect("actionplan:activity_detail", pk=activity.pk)
        return self.render_page(request, form, chosen, status=400)

    def render_page(self, request, form, chosen: list[int], status: int = 200):
        """The proposals to choose from: the chosen ones, and per area the first few not in
        the plan (?area= lists one area's a page at a time), so the page stays the same size
        with 5,000 proposals."""
        # The areas not archived: the form's choices of areas for a new activity.
        active = [area for area in choice_objects(form.fields["areas"]) if not area.is_archived]
        area_form = AreaFilterForm(request.GET if request.GET.get("area") else None, areas=active)
        area = area_form.cleaned_data["area"] if area_form.is_valid() else None
        listed = proposals_of_ids(chosen, details=True) if chosen else []
        page = None
        counts = proposal_counts_by_area()
        if area is None:
            candidates = first_proposals_per_area(
                area_ids=list(counts), per_area=CHOICES_PER_AREA, details=True
            )
        else:
            page = Paginator(AreaProposals(area.pk, details=True), PAGE_SIZE).get_page(
                request.GET.get("page")
            )
            candidates = list(page.object_list)
        listed += [proposal for proposal in candidates if proposal.pk not in set(chosen)]
        listed.sort(key=_ranked)
        # Labels once per page, not get_FOO_display() per row (smeportal.core.choices).
        actor, status_label = choice_labels(Proposal, "actor"), choice_labels(Proposal, "status")
        for proposal in listed:
            proposal.actor_label = actor.get(proposal.actor, proposal.actor)
            proposal.status_label = status_label.get(proposal.status, proposal.status)
        shown = Counter(proposal.area_id for proposal in candidates)
        more_in_area = (
            {area_id: count for area_id, count in counts.items() if count > shown[area_id]}
            if area is None
            else {}
        )
        # Area by area, as {% regroup %} would group them, each with the number of all its
        # proposals when only its first are listed.
        groups: list[ProposalGroup] = []
        for proposal in listed:
            if not groups or groups[-1].area.pk != proposal.area_id:
                groups.append(ProposalGroup(proposal.area, [], more_in_area.get(proposal.area_id)))
            groups[-1].proposals.append(proposal)
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "proposals": listed,
            "proposal_groups": groups,
            "chosen": {str(pk) for pk in chosen},
            "has_plan": bool(form.plan_choices()),
            "area": area,
            "page_obj": page,
            "query_string": query.urlencode(),
            "chosen_query": "&".join(f"proposal={pk}" for pk in chosen),
        }
        return render(request, self.template_name, context, status=status)


@dataclass(frozen=True)
class ProposalGroup:
    area: PriorityArea
    proposals: list[Proposal]
    more: int | None  # all the area's proposals, when only its first are listed


def _ranked(proposal: Proposal) -> tuple:
    """The order of proposals_not_in_plan(): area, companies, votes, title, id."""
    area = proposal.area
    return (area.order, area.name, -proposal.company_count, -proposal.votes, proposal.title,
            proposal.pk)  # fmt: skip


class ActivityDetailView(CapabilityRequiredMixin, View):
    """Everything about an activity, and why we do it: proposals, findings, companies."""

    required_capability = "actionplan.view"

    def get(self, request, pk: int):
        page = activity_page(pk, timezone.localdate())
        activity = page.activity
        audience = audience_for(request.user)
        internal = audience is Audience.INTERNAL
        # The page's body is drawn by Jinja2 (activity_detail_body.html): its plurals and the
        # description's paragraphs come ready, as {% blocktranslate count %} and |linebreaks
        # would give them.
        context = {
            "activity": activity,
            "description_html": linebreaks_filter(activity.description, autoescape=True),
            "areas": page.areas,
            "milestones": page.milestones,
            "children": page.children,
            "proposals": page.proposals,
            "proposals_text": ngettext(
                "The activity realises %(counter)s proposal from the SME dialogue.",
                "The activity realises %(counter)s proposals from the SME dialogue.",
                len(page.proposals),
            ),
            "celebrations": page.celebrations,
            "is_internal": internal,
            "show_names": shows_staff_names(request.user),
            "can_edit": has_capability(request.user, "actionplan.edit"),
            "can_update": can_update_activity(request.user, activity),
        }
        if page.proposals:  # the findings stand behind the proposals: none without them
            summary = activity_chain_summary(pk)
            # The findings a page at a time: an activity may stand on hundreds. The summary
            # has the ids of those this audience may read, in the page's order: a page is
            # read by id.
            shown = summary.finding_ids(internal=internal)
            finding_page = Paginator(shown, FINDINGS_PAGE_SIZE).get_page(request.GET.get("page"))
            findings = activity_findings(finding_page.object_list)
            groups: list[FindingGroup] = []
            for finding in findings:
                finding.visible_quote = visible_quote(finding, audience)
                if not groups or groups[-1].area.pk != finding.area_id:
                    groups.append(FindingGroup(finding.area, []))
                groups[-1].findings.append(finding)
            hidden = summary.finding_count - len(shown)
            context.update(
                {
                    "summary": summary,
                    "summary_text": ngettext(
                        "%(findings)s findings from %(counter)s company stand behind the "
                        "proposals.",
                        "%(findings)s findings from %(counter)s companies stand behind the "
                        "proposals.",
                        summary.company_count,
                    ),
                    "findings": findings,
                    "finding_groups": groups,
                    "finding_page": finding_page,
                    "finding_pagination": render_to_string(
                        "includes/pagination.html",
                        {"page_obj": finding_page, "label": _("Pages of findings")},
                    ),
                    "hidden_finding_count": hidden,
                    "hidden_text": ngettext(
                        "%(counter)s further finding is a business secret and is not shown here.",
                        "%(counter)s further findings are business secrets and are not shown here.",
                        hidden,
                    ),
                }
            )
        return render(request, "actionplan/activity_detail.html", context)


@dataclass(frozen=True)
class FindingGroup:
    area: PriorityArea
    findings: list[Finding]


class ActivityHistoryView(CapabilityRequiredMixin, View):
    """The activity's changes and its milestones'. Who changed what names staff: the council
    follows the plan without it."""

    required_capability = "actionplan.view"

    def get(self, request, pk: int):
        def subject() -> HistorySubject:
            activity = get_object_or_404(Activity.objects.only("title"), pk=pk)
            return HistorySubject(
                title=activity.title,
                back_url=reverse("actionplan:activity_detail", args=[pk]),
                sources=[activity.history.all(), Milestone.history.filter(activity_id=pk)],
            )

        return staff_history_response(request, subject)


class ActivityProgressView(CapabilityRequiredMixin, View):
    """The contact user's quick update of status and hand-set progress."""

    required_capability = "actionplan.view"
    template_name = "actionplan/activity_progress_form.html"

    def get_activity(self, request, pk: int) -> Activity:
        activity = get_object_or_404(Activity.objects.select_related("plan"), pk=pk)
        if not can_update_activity(request.user, activity):
            raise PermissionDenied
        return activity

    def get(self, request, pk: int):
        activity = self.get_activity(request, pk)
        return self.render_form(request, activity, ActivityProgressForm(instance=activity))

    def post(self, request, pk: int):
        activity = self.get_activity(request, pk)
        form = ActivityProgressForm(request.POST, instance=self.get_activity(request, pk))
        if form.is_valid():
            try:
                activity_set_progress(
                    activity=form.instance,
                    status=form.cleaned_data["status"],
                    manual_progress=form.cleaned_data["manual_progress"],
                )
            except ValidationError as error:
                attach_service_errors(form, error)
            else:
                messages.success(request, _("The progress was saved."))
                return redirect("actionplan:activity_detail", pk=activity.pk)
        return self.render_form(request, activity, form, status=400)

    def render_form(self, request, activity: Activity, form, status: int = 200):
        progress = plan_progress(activity.plan_id)
        context = {
            "activity": activity,
            "form": form,
            "basis": progress.basis.get(activity.pk),
            "progress": progress.progress.get(activity.pk, activity.manual_progress),
        }
        return render(request, self.template_name, context, status=status)
