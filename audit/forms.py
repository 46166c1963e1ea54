from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from smeportal.core.dates import PlausibleDateField

from .selectors import audit_user_choices, audited_model_choices, retention_rules


class KeptChoices(ModelChoiceIterator):
    """The choices read by one plain query, kept on the field's queryset.

    Django reads a model choice field's queryset with iterator(), which on Postgres opens a
    server-side cursor (DECLARE, FETCH, CLOSE) and keeps nothing, and finds the chosen one by
    another query: the audit trail names who made each change from the same users
    (AuditFilterForm.users), so they are read once for all three.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class KeptModelChoiceField(forms.ModelChoiceField):
    iterator = KeptChoices

    def to_python(self, value):
        """The chosen object from the choices the select shows, not by a query of its own."""
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        try:
            pk = self.queryset.model._meta.pk.to_python(value)
        except ValidationError:
            pk = None
        for obj in self.queryset:
            if obj.pk == pk:
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class AuditFilterForm(forms.Form):
    user = KeptModelChoiceField(
        queryset=audit_user_choices(), required=False, label=_("User"), empty_label=_("All users")
    )
    object_type = forms.ChoiceField(choices=(), required=False, label=_("Object type"))
    date_from = PlausibleDateField(required=False, label=_("From date"))
    date_to = PlausibleDateField(required=False, label=_("To date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = audit_user_choices()
        self.fields["object_type"].choices = [("", _("All types")), *audited_model_choices()]

    def users(self) -> dict[int, Model]:
        """Every user by id, from the query that fills the user filter."""
        return {user.pk: user for user in self.fields["user"].queryset}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return cleaned


class RetentionCriteriaForm(forms.Form):
    """Step one of a retention decision: which rule of the plan, and whose records.

    The rule (archive's information management plan) says what kind of records, how long they
    are kept and counted from what; the cutoff is computed from it. Only the plan's rules for
    the kinds retention can carry out are offered; a rule that keeps the records for good is
    listed but refused with a message, so the administrator sees why.

    Sent by POST, without side effects: the search is often a person's name, which must not
    travel in the URL (access logs, browser history, the Referer header).
    """

    rule = forms.TypedChoiceField(
        coerce=int,
        choices=(),
        label=_("Rule of the information management plan"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the rule of the information management plan to carry out."),
            "invalid_choice": _(
                "That rule is not in the information management plan any more. Choose again."
            ),
        },
    )
    search = forms.CharField(
        label=_("Company or name contains"), max_length=100, required=False, strip=True
    )
    sole_traders_only = forms.BooleanField(
        label=_("Companies: only sole traders (their name and number are personal data)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = {rule.pk: rule for rule in retention_rules()}
        self.fields["rule"].choices = [
            (rule.pk, f"{rule.get_record_type_display()}: {rule.period_text}")
            for rule in self.rules.values()
        ]

    def clean_rule(self):
        rule = self.rules[self.cleaned_data["rule"]]
        if not rule.is_disposal:
            raise ValidationError(
                _(
                    "The plan keeps %(type)s for good (decision %(reference)s): they cannot be "
                    "disposed of. Change the rule in the information management plan first if "
                    "a new decision allows it."
                ),
                params={
                    "type": rule.get_record_type_display().lower(),
                    "reference": rule.decision_reference,
                },
            )
        return rule


class RetentionDecisionForm(forms.Form):
    """Step two: the decision itself and the records it covers (POST, carried out at once)."""

    reference = forms.CharField(
        label=_("Decision reference"),
        max_length=200,
        help_text=_("The retention decision's number or title, e.g. “KS 2025/123 § 4”."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    cover_all = forms.BooleanField(
        label=_("Cover every record that matches the criteria, not only those ticked"),
        required=False,
    )
    records = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label=_("Records"), widget=forms.MultipleHiddenInput
    )
    confirm = forms.BooleanField(
        label=_("I understand that the records are destroyed or anonymised for good"),
        required=True,
    )

    def __init__(self, *args, candidate_ids: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the records the criteria allow can be chosen (the service checks again).
        self.fields["records"].choices = [(pk, pk) for pk in candidate_ids or []]

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("cover_all")
            and not cleaned.get("records")
            and not self.has_error("records")
        ):
            # A form-wide error: the checkboxes are spread over the table's rows.
            self.add_error(None, _("Tick at least one record, or choose to cover every match."))
        return cleaned
