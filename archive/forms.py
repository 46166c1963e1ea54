from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smeportal.core.dates import PlausibleDateField

from .models import DeliveryPackage, InformationRule, RecordType
from .selectors import workshop_choices


class InformationRuleForm(forms.ModelForm):
    """One rule of the plan; the model's clean() says what fits together (in Swedish)."""

    decision_date = PlausibleDateField(
        label=_("Decision adopted on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = InformationRule
        fields = [
            "record_type",
            "action",
            "period",
            "period_unit",
            "counted_from",
            "decision_reference",
            "decision_date",
            "note",
        ]
        widgets = {
            "action": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A rule stays the rule of its record type; a new type gets a rule of its own.
            self.fields["record_type"].disabled = True
        else:
            taken = set(InformationRule.objects.values_list("record_type", flat=True))
            self.fields["record_type"].choices = [
                (value, label) for value, label in RecordType.choices if value not in taken
            ]
        self.fields["period_unit"].required = False
        self.fields["counted_from"].required = False


class DeliveryPackageForm(forms.Form):
    """What a new package covers: a closed year's interviews, or a dialogue round."""

    kind = forms.ChoiceField(
        label=_("What the package covers"),
        choices=DeliveryPackage.Kind.choices,
        widget=forms.RadioSelect,
        initial=DeliveryPackage.Kind.INTERVIEW_YEAR,
    )
    year = forms.IntegerField(
        label=_("Interview year"), min_value=2000, max_value=2100, required=False
    )
    workshop = forms.ModelChoiceField(
        label=_("Workshop (dialogue round)"),
        queryset=workshop_choices(),
        required=False,
        empty_label=_("Choose a workshop"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshop_choices()
        self.fields["year"].initial = timezone.localdate().year - 1

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == DeliveryPackage.Kind.INTERVIEW_YEAR:
            year = cleaned.get("year")
            if year is None and not self.has_error("year"):
                self.add_error("year", _("Give the year whose interviews go in the package."))
            elif year is not None and year >= timezone.localdate().year:
                self.add_error(
                    "year", _("Only a closed year can be delivered: choose an earlier year.")
                )
            cleaned["workshop"] = None
        elif kind == DeliveryPackage.Kind.DIALOGUE_ROUND:
            if cleaned.get("workshop") is None and not self.has_error("workshop"):
                self.add_error("workshop", _("Choose the workshop of the dialogue round."))
            cleaned["year"] = None
        return cleaned
