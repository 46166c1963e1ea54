"""Forms of the proposal pages: editing a proposal, merging duplicates, linking evidence."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from interviews.choices import FindingType
from interviews.models import Finding
from smeportal.areas.models import PriorityArea
from smeportal.core.model_choices import ChoicesInOneQueryMixin

from .choices import Actor
from .models import Proposal, Workshop
from .services import SETTABLE_STATUSES


class ProposalForm(ChoicesInOneQueryMixin, forms.ModelForm):
    """The proposal's own fields; "merged" is not among the statuses one can choose."""

    class Meta:
        model = Proposal
        fields = [
            "title",
            "description",
            "area",
            "actor",
            "horizon",
            "effect",
            "effort",
            "status",
            "rejection_reason",
            "is_public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "actor": forms.RadioSelect,
            "horizon": forms.RadioSelect,
            "effect": forms.RadioSelect,
            "effort": forms.RadioSelect,
            "rejection_reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "rejection_reason": _("Required when the status is “Rejected”."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active areas, plus the proposal's own if it has since been archived.
        areas = Q(is_archived=False)
        if self.instance.area_id:
            areas |= Q(pk=self.instance.area_id)
        self.fields["area"].queryset = PriorityArea.objects.filter(areas).order_by("order", "name")
        self.fields["area"].label_from_instance = lambda area: area.display_name
        self.fields["area"].empty_label = None
        # Radio buttons need no empty "---------" choice; the field is required anyway.
        self.fields["actor"].choices = Actor.choices
        self.fields["status"].choices = [
            (value, label)
            for value, label in self.fields["status"].choices
            if value in SETTABLE_STATUSES
        ]


class MergeForm(ChoicesInOneQueryMixin, forms.Form):
    """Which of a workshop's proposals are duplicates, and which one of them survives."""

    proposals = forms.ModelMultipleChoiceField(
        queryset=Proposal.objects.none(),
        required=False,
        label=_("Proposals to merge"),
        error_messages={
            "invalid_choice": _("Only proposals from this workshop can be merged."),
            "invalid_pk_value": _("Only proposals from this workshop can be merged."),
        },
    )
    survivor = forms.ModelChoiceField(
        queryset=Proposal.objects.none(),
        required=False,
        label=_("Proposal to keep"),
        error_messages={"invalid_choice": _("Only proposals from this workshop can be merged.")},
    )

    def __init__(self, *args, workshop: Workshop, **kwargs):
        super().__init__(*args, **kwargs)
        # Merged proposals are included so that choosing one gets a clear message, not "invalid".
        in_workshop = Proposal.objects.filter(group__workshop=workshop).select_related(
            "merged_into"
        )
        self.fields["proposals"].queryset = in_workshop
        self.fields["survivor"].queryset = in_workshop

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        chosen = list(cleaned.get("proposals") or [])
        survivor = cleaned.get("survivor")
        if len(chosen) < 2:
            raise forms.ValidationError(
                _("Tick at least two proposals that say the same thing."), code="too_few"
            )
        if survivor is None:
            raise forms.ValidationError(
                _("Choose which of the ticked proposals to keep."), code="no_survivor"
            )
        if survivor.pk not in {proposal.pk for proposal in chosen}:
            raise forms.ValidationError(
                _("The proposal to keep must be one of the ticked proposals."),
                code="survivor_not_chosen",
            )
        merged = [proposal.title for proposal in chosen if proposal.is_merged]
        if merged:
            raise forms.ValidationError(
                _("Already merged, so it cannot be merged again: %(titles)s."),
                params={"titles": ", ".join(merged)},
                code="already_merged",
            )
        return cleaned

    def duplicates(self) -> list[Proposal]:
        survivor = self.cleaned_data["survivor"]
        return [p for p in self.cleaned_data["proposals"] if p.pk != survivor.pk]


class EvidenceSearchForm(forms.Form):
    """Search among the findings of the proposal's area.

    evidence.html draws the two fields itself, in crispy-forms' markup (crispy's field template
    cost more than a row of findings): the widgets carry crispy's classes, and a field with an
    error is marked invalid once the form is validated.
    """

    q = forms.CharField(
        label=_("Search in findings and quotes"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "textinput form-control"}),
    )
    type = forms.ChoiceField(
        label=_("Finding type"),
        required=False,
        choices=[("", _("All types")), *FindingType.choices],
        widget=forms.Select(attrs={"class": "select form-select"}),
    )

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs['class']} is-invalid"


class EvidenceChangeForm(ChoicesInOneQueryMixin, forms.Form):
    """Link or unlink findings; `findings` only accepts those the user may link or unlink."""

    LINK, UNLINK = "link", "unlink"

    action = forms.ChoiceField(
        choices=[(LINK, _("Link")), (UNLINK, _("Unlink"))],
        error_messages={"invalid_choice": _("Unknown action."), "required": _("Unknown action.")},
    )
    findings = forms.ModelMultipleChoiceField(
        queryset=Finding.objects.none(),
        label=_("Findings"),
        error_messages={
            "required": _("Choose at least one finding."),
            "invalid_choice": _(
                "Some of the chosen findings cannot be used: they do not exist, belong to "
                "another priority area or are not available to you. Nothing was changed."
            ),
            "invalid_pk_value": _(
                "Some of the chosen findings cannot be used: they do not exist, belong to "
                "another priority area or are not available to you. Nothing was changed."
            ),
        },
    )

    def __init__(self, *args, linkable: QuerySet[Finding], linked: QuerySet[Finding], **kwargs):
        super().__init__(*args, **kwargs)
        # The queryset depends on the action, which is only known once the data is read.
        action = self.data.get("action") if self.is_bound else None
        self.fields["findings"].queryset = linked if action == self.UNLINK else linkable
