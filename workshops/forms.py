"""Forms of the workshops app: workshops, groups, fast proposal entry and dot votes.

Proposal editing, merging and evidence forms live in forms_proposals.py.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from smeportal.accounts.roles import CAPABILITIES, role_holders
from smeportal.areas.models import PriorityArea
from smeportal.core.dates import DateInput
from smeportal.core.model_choices import ChoicesInOneQueryMixin

from .choices import Actor
from .models import Proposal, Workshop, WorkshopGroup

MAX_VOTES = 10000


def facilitator_choices() -> QuerySet:
    """Users who may run workshops: holders of a role with the workshops.edit capability."""
    return role_holders(CAPABILITIES["workshops.edit"])


def areas_for_choice(current_area_id: int | None) -> QuerySet[PriorityArea]:
    """Active areas, plus the one already chosen even if it has since been archived."""
    return PriorityArea.objects.filter(Q(is_archived=False) | Q(pk=current_area_id)).order_by(
        "order", "name"
    )


class ChoiceButtons(forms.RadioSelect):
    """Radio buttons shown as large toggle buttons (see fast_entry_choices.html).

    The field's id points at the first button, so the error summary's link lands in the group.
    """

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "btn-check", **(attrs or {})}, choices)

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class WorkshopForm(ChoicesInOneQueryMixin, forms.ModelForm):
    # Only when the workshop is created (removed from the edit form).
    group_per_area = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Create a group for each priority area"),
        help_text=_(
            "One group (table) for each active priority area, named after it. Names, members "
            "and facilitators can be changed afterwards, and groups added or left empty."
        ),
    )

    class Meta:
        model = Workshop
        fields = [
            "title",
            "date",
            "place",
            "description",
            "status",
            "facilitators",
            "participants_total",
            "participants_companies",
            "participants_municipality",
            "participants_other",
        ]
        widgets = {
            "date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
            "facilitators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = facilitator_choices()
        if self.instance.pk:
            del self.fields["group_per_area"]
        for name in (
            "participants_total",
            "participants_companies",
            "participants_municipality",
            "participants_other",
        ):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})


class GroupForm(ChoicesInOneQueryMixin, forms.ModelForm):
    """A group of a workshop; the view sets `instance.workshop` before validation."""

    class Meta:
        model = WorkshopGroup
        fields = ["name", "area", "member_count", "facilitator", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A group keeps its area even after the area has been archived.
        self.fields["area"].queryset = areas_for_choice(self.instance.area_id)
        self.fields["area"].label_from_instance = lambda area: area.display_name
        self.fields["facilitator"].queryset = facilitator_choices()
        self.fields["member_count"].widget.attrs.update({"min": 0, "inputmode": "numeric"})

    def clean_name(self) -> str:
        # The unique constraint covers (workshop, name), but ModelForm skips it because the
        # workshop is not a form field; check here so a duplicate is a form error, not a 500.
        name = self.cleaned_data["name"].strip()
        taken = (
            WorkshopGroup.objects.filter(workshop_id=self.instance.workshop_id, name__iexact=name)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            raise forms.ValidationError(
                _("This workshop already has a group called “%(name)s”."),
                code="unique",
                params={"name": name},
            )
        return name


class FastEntryForm(ChoicesInOneQueryMixin, forms.ModelForm):
    """One proposal, typed during the session; the area starts as the group's."""

    class Meta:
        model = Proposal
        fields = ["title", "actor", "description", "horizon", "effect", "effort", "area"]
        widgets = {
            "title": forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "actor": ChoiceButtons,
            "horizon": ChoiceButtons,
            "effect": ChoiceButtons,
            "effort": ChoiceButtons,
        }

    def __init__(self, *args, group: WorkshopGroup, **kwargs):
        super().__init__(*args, **kwargs)
        # Who acts has no default: the facilitator must choose, so no empty radio button.
        self.fields["actor"].choices = Actor.choices
        self.fields["area"].queryset = areas_for_choice(group.area_id)
        self.fields["area"].label_from_instance = lambda area: area.display_name
        self.fields["area"].empty_label = None
        # Left out, the proposal gets the group's area (the service sees to that).
        self.fields["area"].required = False
        if not self.is_bound:
            self.initial.setdefault("area", group.area_id)


class VotesForm(forms.Form):
    """One number per live proposal: how many dots it got.

    A proposal added after the page was opened has no value in the posted data; its field is
    then optional and its count stays as it is.
    """

    def __init__(self, *args, proposals: list[Proposal], **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = proposals
        for proposal in proposals:
            name = self.field_name(proposal)
            self.fields[name] = forms.IntegerField(
                label=proposal.title,
                min_value=0,
                max_value=MAX_VOTES,
                required=not self.is_bound or name in self.data,
                initial=proposal.votes,
                # The group's name is the facilitator's text: the template shows it (escaped)
                # and this points to it. Help text is trusted HTML by Django's convention, so
                # no user text goes there.
                widget=forms.NumberInput(
                    attrs={
                        "min": 0,
                        "max": MAX_VOTES,
                        "inputmode": "numeric",
                        "aria-describedby": self.group_id(proposal),
                        "class": "numberinput form-control",
                    }
                ),
            )

    @staticmethod
    def field_name(proposal: Proposal) -> str:
        return f"votes_{proposal.pk}"

    @staticmethod
    def group_id(proposal: Proposal) -> str:
        """The id of the element that names the proposal's group beside its field."""
        return f"votes-group-{proposal.pk}"

    def by_area(self) -> list[tuple[object, list[tuple[Proposal, forms.BoundField]]]]:
        """The proposals with their fields, grouped by area in the areas' order; the fields
        with errors marked invalid (the template draws the fields itself, see votes.html)."""
        groups: dict[int, tuple[object, list]] = {}
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs["class"]:
                widget.attrs["class"] = f"{widget.attrs['class']} is-invalid"
        for proposal in self.proposals:
            area_rows = groups.setdefault(proposal.area_id, (proposal.area, []))
            area_rows[1].append((proposal, self[self.field_name(proposal)]))
        return sorted(groups.values(), key=lambda item: (item[0].order, item[0].name))

    def votes(self) -> dict[int, int]:
        """{proposal id: votes} for the values given."""
        return {
            proposal.pk: self.cleaned_data[self.field_name(proposal)]
            for proposal in self.proposals
            if self.cleaned_data.get(self.field_name(proposal)) is not None
        }
