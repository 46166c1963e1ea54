"""Forms of the action plan pages: plans, goals, activities, progress, milestones and filters.

The forms validate; the views hand the cleaned values to one service each, which saves the
related objects (areas, proposals, indicators).
"""

from __future__ import annotations

import functools

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from smeportal.areas.models import PriorityArea
from smeportal.areas.selectors import area_list
from smeportal.core.dates import DateInput
from smeportal.core.model_choices import (
    ChoicesInOneQueryMixin,
    ShortModelChoiceField,
    choice_objects,
    choice_objects_known,
)
from workshops.choices import ProposalStatus
from workshops.models import Proposal

from .choices import ActivityStatus
from .models import ActionPlan, Activity, Goal, Indicator, Milestone
from .selectors import (
    current_plan_among,
    descendants_of,
    plan_list,
    plan_parent_map,
    proposals_offered_for_activity,
    staff_user_choices,
)
from .selectors_forms import (
    areas_for_choice,
    goal_choices,
    has_items,
    parent_choices,
    staff_choices,
)
from .selectors_plan import plans


def _areas_for_choice(chosen_ids) -> QuerySet[PriorityArea]:
    return PriorityArea.objects.filter(Q(is_archived=False) | Q(pk__in=chosen_ids)).order_by(
        "order", "name"
    )


# The querysets of the activity forms' choice fields that are the same for every form, built
# once: a field takes a copy (ModelChoiceField.queryset), which costs a fraction of building one.
# Unevaluated querysets, so nothing read is kept.
@functools.cache
def _staff_queryset() -> QuerySet:
    return staff_user_choices()


@functools.cache
def _any_proposal() -> QuerySet[Proposal]:
    return Proposal.objects.select_related("area", "group__workshop")


@functools.cache
def _proposals_offered() -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(proposals_offered_for_activity())
        .select_related("area", "group__workshop")
        .order_by("area__order", "-votes", "title", "pk")
    )


def _offered_proposals(linked: list[int]) -> QuerySet[Proposal]:
    """What an activity's form accepts: the proposals offered, and those it links already."""
    if not linked:
        return _proposals_offered()
    return (
        Proposal.objects.filter(proposals_offered_for_activity() | Q(pk__in=linked))
        .select_related("area", "group__workshop")
        .order_by("area__order", "-votes", "title", "pk")
    )


def _draw_choices(field: forms.ModelChoiceField, choices: list[tuple[int, str]]) -> None:
    """The options a model choice field draws, as (id, label) read by the page (the labels its
    label_from_instance gives): no model instances for a list of a hundred. The field's
    queryset still checks what is posted."""
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.widget.choices = [*empty, *choices]


def _area_label(area: PriorityArea) -> str:
    return f"{area.order}. {area.display_name}"


def _user_label(user) -> str:
    return user.get_full_name() or user.get_username()


def _proposal_label(proposal: Proposal) -> str:
    return f"{proposal.title} ({proposal.area.order}. {proposal.group.workshop.title})"


def proposal_refusal(proposal: Proposal) -> str | None:
    """Why a proposal cannot be put in the plan, or None (the service checks the same)."""
    if proposal.merged_into_id or proposal.status == ProposalStatus.MERGED:
        return _("“%(title)s” has been merged into another proposal; choose that one instead.") % {
            "title": proposal.title
        }
    if proposal.status == ProposalStatus.REJECTED:
        return _("“%(title)s” was rejected and cannot be put in the plan.") % {
            "title": proposal.title
        }
    return None


class PlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "start_year", "end_year", "status", "adopted_on"]
        widgets = {"status": forms.RadioSelect, "adopted_on": DateInput()}
        help_texts = {"adopted_on": _("Required when the plan has been adopted.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_year", "end_year"):
            self.fields[name].widget.attrs.update(
                {"min": 2000, "max": 2100, "inputmode": "numeric"}
            )


class GoalForm(ChoicesInOneQueryMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["plan", "area", "title", "description", "indicators", "is_public"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "indicators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plan_list()
        self.fields["plan"].empty_label = None
        self.fields["area"].queryset = _areas_for_choice([self.instance.area_id])
        self.fields["area"].label_from_instance = _area_label
        self.fields["indicators"].queryset = Indicator.objects.order_by("name")


class ActivityForm(ChoicesInOneQueryMixin, forms.ModelForm):
    """Every field of an activity; areas and proposals are saved by the service."""

    class Meta:
        model = Activity
        fields = [
            "plan",
            "title",
            "description",
            "areas",
            "goal",
            "parent",
            "party_kind",
            "party_name",
            "contact_user",
            "municipality_part",
            "municipality_owner",
            "municipality_status",
            "business_part",
            "business_owner",
            "business_status",
            "start_date",
            "due_date",
            "status",
            "manual_progress",
            "proposals",
            "is_public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "areas": forms.CheckboxSelectMultiple,
            "municipality_part": forms.Textarea(attrs={"rows": 3}),
            "business_part": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "due_date": DateInput(),
            "proposals": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "parent": _("Make this a sub-activity of another activity in the same plan."),
            "contact_user": _("May update the activity's progress and milestones."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        # The choices are read by compiled reads (selectors_forms) and handed to the fields;
        # the fields' querysets check what is posted.
        self.fields["plan"].queryset = plan_list()
        self.fields["plan"].empty_label = None
        choice_objects_known(self.fields["plan"], plans())
        if not self.is_bound and not instance.pk and self.initial.get("plan") is None:
            # A new activity goes to the current plan unless the page chose one.
            plan = current_plan_among(self.plan_choices())
            self.initial["plan"] = plan.pk if plan else None
        if instance.pk:
            # Moving an activity with its milestones and sub-activities to another plan is not
            # supported; the plan is shown but fixed.
            self.fields["plan"].disabled = True
        # From the activity's prefetched areas and proposals when the page read them
        # (selectors_forms.activity_for_form), as the form's initial values are.
        chosen_areas = [area.pk for area in instance.areas.all()] if instance.pk else []
        self.fields["areas"].queryset = _areas_for_choice(chosen_areas)
        self.fields["areas"].label_from_instance = _area_label
        choice_objects_known(self.fields["areas"], areas_for_choice(chosen_areas))
        self.fields["goal"].queryset = Goal.objects.select_related("plan", "area").order_by(
            "-plan__start_year", "area__order", "pk"
        )
        self.fields["goal"].label_from_instance = lambda goal: (
            f"{goal.plan.start_year}–{goal.plan.end_year} · {goal.area.order}. {goal.title}"
        )
        _draw_choices(self.fields["goal"], goal_choices())
        self.fields["parent"].queryset = Activity.objects.select_related("plan").order_by(
            "-plan__start_year", "title", "pk"
        )
        self.fields["parent"].label_from_instance = lambda activity: (
            f"{activity.title} ({activity.plan.start_year}–{activity.plan.end_year})"
        )
        # A parent must be in the activity's own plan (clean() says so), so only that plan's
        # activities are drawn, as plain values (500 activities of every plan at scale were
        # most of the page); a posted parent is still checked against all, to get that message.
        plan_id = self._plan_id()
        _draw_choices(self.fields["parent"], parent_choices(plan_id) if plan_id is not None else [])
        self.fields["contact_user"].queryset = _staff_queryset()
        self.fields["contact_user"].label_from_instance = _user_label
        _draw_choices(self.fields["contact_user"], staff_choices())
        # What a posted id is checked against. The page does not draw this set (5,000 proposals
        # at scale): it shows the chosen ones and a search (selectors.proposal_pick).
        linked = [proposal.pk for proposal in instance.proposals.all()] if instance.pk else []
        self.linked_proposal_ids = linked
        self.fields["proposals"].queryset = _offered_proposals(linked)
        self.fields["proposals"].label_from_instance = _proposal_label
        _progress_field(self)

    def clean_manual_progress(self) -> int:
        return _manual_progress_or_current(self)

    def plan_choices(self) -> list[ActionPlan]:
        """The plans offered, newest first (plan_list()): read once, for the options and for
        the page (which plan to preselect, whether there is any plan at all)."""
        return choice_objects(self.fields["plan"])

    def _plan_id(self) -> int | None:
        """The plan the form is for: the activity's, the posted one or the initial one."""
        if self.instance.pk:
            return self.instance.plan_id
        value = self.data.get("plan") if self.is_bound else self.initial.get("plan")
        value = str(value or "")
        return int(value) if value.isdecimal() and len(value) <= 18 else None

    def clean_proposals(self):
        proposals = self.cleaned_data.get("proposals")
        for proposal in proposals or []:
            refusal = proposal_refusal(proposal)
            if refusal:
                raise forms.ValidationError(refusal)
        return proposals

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        goal = cleaned.get("goal")
        parent = cleaned.get("parent")
        if plan and goal and goal.plan_id != plan.pk:
            self.add_error("goal", _("Choose a goal of the same action plan."))
        if plan and parent:
            if parent.plan_id != plan.pk:
                self.add_error("parent", _("Choose an activity of the same action plan."))
            elif self.instance.pk and (
                parent.pk == self.instance.pk
                or parent.pk in descendants_of(self.instance.pk, plan_parent_map(plan.pk))
            ):
                self.add_error(
                    "parent",
                    _("An activity cannot be part of itself or of one of its sub-activities."),
                )
        return cleaned


class ActivityFromProposalsForm(ActivityForm):
    """A new activity and the proposals it realises, chosen from a grouped list.

    Areas may be left empty: the activity then gets the areas of its proposals. Merged and
    rejected proposals are accepted as input so that the user gets a clear message about them.
    """

    class Meta(ActivityForm.Meta):
        help_texts = {
            **ActivityForm.Meta.help_texts,
            "areas": _("Leave empty to use the areas of the chosen proposals."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].required = False
        proposals = self.fields["proposals"]
        proposals.queryset = _any_proposal()
        proposals.required = True
        proposals.error_messages["required"] = _("Choose at least one proposal.")
        proposals.error_messages["invalid_choice"] = _("Choose proposals from the list.")
        proposals.error_messages["invalid_pk_value"] = _("Choose proposals from the list.")


def _progress_field(form: forms.ModelForm) -> None:
    """ "Framsteg (%)" counts only for an activity without milestones or sub-activities
    (progress.rolled_up_progress): for one with them it is shown disabled, saying so, and it
    may always be left empty (the current value stays)."""
    field = form.fields["manual_progress"]
    field.required = False
    field.widget.attrs.update({"min": 0, "max": 100, "inputmode": "numeric"})
    instance = form.instance
    # The page may have read it with the activity (selectors_forms.activity_for_form).
    known = getattr(instance, "has_items", None)
    if instance.pk and (known if known is not None else has_items(instance.pk)):
        field.disabled = True
        field.help_text = _(
            "Calculated from the activity's milestones and sub-activities; not set by hand."
        )


def _manual_progress_or_current(form: forms.ModelForm) -> int:
    value = form.cleaned_data.get("manual_progress")
    if value is None:
        return form.instance.manual_progress or 0
    return value


class ActivityProgressForm(ChoicesInOneQueryMixin, forms.ModelForm):
    """The contact user's quick update: status and hand-set progress."""

    class Meta:
        model = Activity
        fields = ["status", "manual_progress"]
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _progress_field(self)

    def clean_manual_progress(self) -> int:
        return _manual_progress_or_current(self)


class MilestoneForm(ChoicesInOneQueryMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "date", "is_done"]
        widgets = {"date": DateInput()}


class PlanFilterForm(ChoicesInOneQueryMixin, forms.Form):
    area = ShortModelChoiceField(
        queryset=PriorityArea.objects.none(),
        required=False,
        label=_("Priority area"),
        empty_label=_("All areas"),
    )
    status = forms.ChoiceField(
        choices=[("", _("All statuses")), *ActivityStatus.choices],
        required=False,
        label=_("Status"),
    )
    overdue = forms.BooleanField(required=False, label=_("Only overdue activities"))

    def __init__(self, *args, areas: list[PriorityArea] | None = None, **kwargs):
        """`areas`: area_list() if the page has read it already (as AreaFilterForm's)."""
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        field.queryset = area_list()
        field.label_from_instance = _area_label
        if areas is not None:
            choice_objects_known(field, areas)


class AreaFilterForm(ChoicesInOneQueryMixin, forms.Form):
    area = ShortModelChoiceField(
        queryset=PriorityArea.objects.none(),
        required=False,
        label=_("Priority area"),
        empty_label=_("All areas"),
    )

    def __init__(self, *args, areas: list[PriorityArea] | None = None, **kwargs):
        """`areas`: area_list() if the page has read it already (the options and the check of
        the chosen area come from it)."""
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        field.queryset = area_list()
        field.label_from_instance = _area_label
        if areas is not None:
            choice_objects_known(field, areas)
