from __future__ import annotations

from functools import cached_property

from django import forms
from django.db.models import BLANK_CHOICE_DASH, QuerySet
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from smeportal.areas.selectors import area_list
from smeportal.core.dates import DateInput
from smeportal.core.model_choices import ChoicesInOneQueryMixin, choice_objects_known

from .choices import Flag
from .models import Company, Contact, Finding, FollowUp, Interview
from .orgnumbers import parse_organisation_number
from .postcodes import normalise_postal_code
from .selectors import (
    area_choices,
    contacts_to_choose,
    interview_finding_values,
    interviewer_choices,
    interviewers_to_choose,
)


class CompanyForm(forms.ModelForm):
    # Addresses typed without a scheme ("foretag.se") are taken as https://, not http://.
    website = Company._meta.get_field("website").formfield(assume_scheme="https")
    # Room for what people type ("632  20 "): the postcode's own message, not a length error.
    postal_code = Company._meta.get_field("postal_code").formfield(
        max_length=12, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )

    class Meta:
        model = Company
        fields = [
            "name",
            "organisation_number",
            "industry",
            "size_class",
            "district",
            "website",
            "postal_address",
            "postal_code",
            "postal_town",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_organisation_number(self) -> str:
        # Normalised here so that the unique check compares like with like.
        return parse_organisation_number(self.cleaned_data["organisation_number"]).formatted

    def clean_postal_code(self) -> str:
        return normalise_postal_code(self.cleaned_data["postal_code"])


class ContactForm(ChoicesInOneQueryMixin, forms.ModelForm):
    results_consent = forms.BooleanField(
        label=_("Agrees to hear about the results by e-mail (“You said – we did”)"),
        required=False,
        help_text=_(
            "Tick only when the person has said yes. The date and who recorded it are kept."
        ),
    )

    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "language"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        }

    field_order = ["name", "role", "email", "phone", "results_consent", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["results_consent"].initial = bool(self.instance.results_consent_on)
        # The list always sends one; a form posted without it keeps the contact's language.
        self.fields["language"].required = False

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("results_consent") and not cleaned.get("email"):
            self.add_error("email", _("Give the e-mail address the results should be sent to."))
        return cleaned


def _relation_field(name: str) -> forms.ModelMultipleChoiceField:
    """The model form's own field for one of the interview's relations, as checkboxes."""
    return Interview._meta.get_field(name).formfield(widget=forms.CheckboxSelectMultiple)


class InterviewForm(ChoicesInOneQueryMixin, forms.ModelForm):
    """The interview's own fields; findings come in a formset beside it.

    Interviewers and interviewees are the model's relations, declared here rather than read by
    the model form: it would read each relation of the interview (two queries) besides the
    lists to choose from. Each list is read once, marked with whom the interview has (the
    service saves them; a chosen one is still checked against the list on saving).
    """

    interviewers = _relation_field("interviewers")
    interviewees = _relation_field("interviewees")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    results_consents = forms.ModelMultipleChoiceField(
        label=_("Of them, agree to hear about the results by e-mail (“You said – we did”)"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick only those who said yes and have an e-mail address; an agreement is withdrawn "
            "on the contact person's page."
        ),
    )

    class Meta:
        model = Interview
        fields = [
            "date",
            "format",
            "duration_minutes",
            "status",
            "grade",
            "consent",
            "notes",
        ]
        widgets = {
            "date": DateInput(),
            "format": forms.RadioSelect,
            "status": forms.RadioSelect,
            "consent": forms.RadioSelect,
            "grade": forms.Select(choices=[("", "–"), *[(n, str(n)) for n in range(1, 7)]]),
            "notes": forms.Textarea(attrs={"rows": 6}),
        }

    field_order = [
        "date",
        "interviewers",
        "interviewees",
        "format",
        "duration_minutes",
        "status",
        "grade",
        "consent",
        "notes",
        "version",
        "results_consents",
    ]

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        contacts = company.contacts.order_by("name")
        self.fields["interviewers"].queryset = interviewer_choices()
        self.fields["interviewees"].queryset = contacts
        self.fields["results_consents"].queryset = contacts
        # The lists to choose from, read once each and marked with whom the interview has:
        # they are both the options and the initial choices (a chosen one is still checked
        # against the queryset on saving).
        interview_id = self.instance.pk
        interviewers = interviewers_to_choose(interview_id)
        choice_objects_known(self.fields["interviewers"], interviewers)
        # The company's contact persons serve both lists of them and the check that there are
        # any.
        self.contacts = contacts_to_choose(company.pk, interview_id)
        choice_objects_known(self.fields["interviewees"], self.contacts)
        choice_objects_known(self.fields["results_consents"], self.contacts)
        if interview_id:
            # What the model form would read from the relations (only those listed show).
            self.initial.setdefault("interviewers", [u.pk for u in interviewers if u.chosen])
            self.initial.setdefault("interviewees", [c.pk for c in self.contacts if c.chosen])
        if "results_consents" not in self.initial:
            # Those who agreed already, in this interview or another.
            self.initial["results_consents"] = [
                contact.pk for contact in self.contacts if contact.results_consent_on
            ]
        if not self.initial.get("version") and self.instance.pk:
            self.initial["version"] = self.instance.version

    def clean_version(self) -> int | None:
        version = self.cleaned_data.get("version")
        if self.instance.pk and version is None:
            raise forms.ValidationError(_("The form is incomplete; open the interview again."))
        return version

    def clean(self):
        cleaned = super().clean()
        agreed = cleaned.get("results_consents") or []
        interviewees = set(cleaned.get("interviewees") or [])
        if any(contact not in interviewees for contact in agreed):
            self.add_error(
                "results_consents", _("Only someone who was interviewed can agree here.")
            )
        elif any(not contact.email for contact in agreed):
            self.add_error(
                "results_consents",
                _("Give the contact person's e-mail address on their page first."),
            )
        return cleaned

    def model_fields(self) -> dict:
        """The interview's own field values, without the relations the service sets."""
        relations = {"interviewers", "interviewees", "version", "results_consents"}
        return {name: value for name, value in self.cleaned_data.items() if name not in relations}


class FindingForm(ChoicesInOneQueryMixin, forms.ModelForm):
    id = forms.ModelChoiceField(
        queryset=Finding.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Finding
        fields = ["area", "type", "text", "importance", "quote", "is_key_quote", "is_confidential"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "quote": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args,
        interview: Interview | None = None,
        area_choices: list[tuple] | None = None,
        areas: QuerySet | None = None,
        existing: QuerySet | None = None,
        **kwargs,
    ):
        """`areas` and `existing` (the interview's findings) are the formset's, built once for
        its rows: an interview has up to 60, and building a filtered queryset per row and
        field cost more than drawing the row."""
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = area_list() if areas is None else areas
        self.fields["area"].label_from_instance = lambda area: area.display_name
        if area_choices is not None:
            # The options only: a chosen area is still checked against the queryset.
            self.fields["area"].choices = area_choices
        if existing is not None:
            self.fields["id"].queryset = existing
        elif interview is not None and interview.pk:
            self.fields["id"].queryset = interview.findings.all()

    def has_changed(self) -> bool:
        # A row with defaults only (importance, unticked boxes) but no content is an empty row.
        if self.initial.get("id"):
            return super().has_changed()
        return any(field in self.changed_data for field in ("area", "type", "text", "quote"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_key_quote") and not cleaned.get("quote"):
            self.add_error("quote", _("A key quote needs the quote itself."))
        return cleaned


# Removing archives the finding (arkivlagen); only a retention decision destroys it.
REMOVE_LABEL = _("Remove from the interview")
REMOVE_HELP_TEXT = _(
    "The finding is archived: hidden everywhere but kept until a retention decision covers it."
)


class BaseFindingFormSet(forms.BaseFormSet):
    def __init__(self, *args, interview: Interview | None = None, **kwargs):
        self.interview = interview
        super().__init__(*args, **kwargs)

    @cached_property
    def areas(self) -> QuerySet:
        return area_list()

    @cached_property
    def existing(self) -> QuerySet | None:
        """The interview's findings, which the rows' hidden ids must name."""
        if self.interview is None or not self.interview.pk:
            return None
        return self.interview.findings.all()

    @cached_property
    def area_choices(self) -> list[tuple]:
        """The area options of every row, read once: an interview has up to 60 rows."""
        return [*BLANK_CHOICE_DASH, *area_choices()]

    def row_kwargs(self) -> dict:
        return {
            "interview": self.interview,
            "area_choices": self.area_choices,
            "areas": self.areas,
            "existing": self.existing,
        }

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), **self.row_kwargs()}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = REMOVE_LABEL
            form.fields["DELETE"].help_text = REMOVE_HELP_TEXT

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            renderer=self.renderer,
            **self.row_kwargs(),
        )
        self.add_fields(form, None)
        return form


FindingFormSet = formset_factory(
    FindingForm,
    formset=BaseFindingFormSet,
    extra=2,
    can_delete=True,
    max_num=60,
    validate_max=True,
)


def finding_initial(interview: Interview) -> list[dict]:
    """The rows' initial data: the interview's findings as plain values (the area by its id)."""
    return interview_finding_values(interview.pk)


class FollowUpForm(ChoicesInOneQueryMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["flag", "title", "owner", "due_date", "status", "notes"]
        widgets = {
            "flag": forms.RadioSelect,
            "due_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = interviewer_choices()
        # A flag is red or yellow: no blank "---------" radio button (the field has no default).
        self.fields["flag"].choices = Flag.choices


class CompanyChoiceForm(ChoicesInOneQueryMixin, forms.Form):
    """Step one of a new interview without JavaScript: which company?"""

    company = forms.ModelChoiceField(queryset=Company.objects.none(), label=_("Company"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import company_list

        self.fields["company"].queryset = company_list()
