from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actionplan.models import ActionPlan
from interviews.models import Company, Interview
from interviews.orgnumbers import parse_organisation_number
from interviews.selectors import company_by_organisation_number
from reports.models import ReportRun
from smeportal.accounts.roles import Grant, Role
from smeportal.areas.models import PriorityArea
from smeportal.core.dates import PastDateField, PlausibleDateField
from smeportal.core.model_choices import ChoicesInOneQueryMixin, choice_objects_known
from smeportal.core.text import DESCRIPTION_MAX_LENGTH, PARAGRAPH_MAX_LENGTH
from workshops.models import Workshop

from .models import CoveredItem, RecordRequest, SecrecyGround
from .selectors import choices_together

# The covering form offers the newest report runs only.
REPORT_CHOICES = 100


def registrars():
    """Active users who may handle requests: administrators (and superusers), and business
    developers holding the registrar grant."""
    user_model = get_user_model()
    groups = user_model.groups.through.objects
    admins = groups.filter(group__name=Role.ADMINISTRATOR.value).values("user_id")
    developers = groups.filter(group__name=Role.DEVELOPER.value).values("user_id")
    granted = groups.filter(group__name=Grant.REGISTRAR.value).values("user_id")
    return user_model.objects.filter(
        Q(pk__in=admins) | Q(is_superuser=True) | (Q(pk__in=developers) & Q(pk__in=granted)),
        is_active=True,
    ).order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class _ChoicesInOneQuery(ChoicesInOneQueryMixin):
    """ChoicesInOneQueryMixin, reaching the widgets too: a field's widget keeps the choices
    made when the form copied the field, before the mixin changed the field's iterator, and
    would read them with a server-side cursor."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.widget.choices = field.choices


class RecordRequestForm(forms.Form):
    received_on = PastDateField(label=_("Received on"))
    channel = forms.ChoiceField(label=_("Received by"), choices=RecordRequest.Channel.choices)
    description = forms.CharField(
        label=_("What is asked for, in the requester's own words"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    requester_name = forms.CharField(
        label=_("Requester's name (optional)"),
        max_length=200,
        required=False,
        help_text=_("Anyone may ask anonymously: never ask for a name or a reason."),
    )
    requester_contact = forms.CharField(
        label=_("Where to send the answer (optional)"),
        max_length=300,
        required=False,
        help_text=_("An e-mail or postal address, if the requester wants the answer sent."),
    )
    handler = PersonChoiceField(label=_("Handler"), queryset=registrars())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = registrars()


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *RecordRequest.Status.choices],
    )
    handler = PersonChoiceField(
        label=_("Handler"), required=False, queryset=registrars(), empty_label=_("Everyone")
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = registrars()


class CoveredItemForm(_ChoicesInOneQuery, forms.Form):
    """What a request covers. The request's page reads its lists together with the decision's
    grounds (read_choices_together); a chosen one is checked against its field's queryset."""

    kind = forms.ChoiceField(
        label=_("What the request covers"),
        choices=CoveredItem.Kind.choices,
        widget=forms.RadioSelect,
    )
    # Typed, not chosen from a list: a municipality holds tens of thousands of companies.
    company = forms.CharField(
        label=_("The company's organisation number (one interview, or all its interviews)"),
        required=False,
        max_length=20,
        help_text=_("E.g. 556036-0793. The company's page shows it."),
    )
    interview_date = PlausibleDateField(label=_("Date of the interview"), required=False)
    area = forms.ModelChoiceField(
        label=_("Priority area (findings)"),
        required=False,
        queryset=PriorityArea.objects.order_by("order"),
    )
    date_from = PlausibleDateField(label=_("Interviews from (findings)"), required=False)
    date_to = PlausibleDateField(label=_("Interviews to (findings)"), required=False)
    # Read with what a chosen one's label (records.views._item_label) and option show.
    workshop = forms.ModelChoiceField(
        label=_("Workshop"),
        required=False,
        queryset=Workshop.objects.only("pk", "title").order_by("-date", "pk"),
    )
    plan = forms.ModelChoiceField(
        label=_("Action plan"),
        required=False,
        queryset=ActionPlan.objects.only("pk", "title", "start_year", "end_year").order_by(
            "title", "pk"
        ),
    )
    report = forms.ModelChoiceField(
        label=_("Report"),
        required=False,
        queryset=ReportRun.objects.filter(status=ReportRun.Status.DONE).order_by("-pk"),
    )
    # What the labels of each list read (read_choices_together).
    label_fields = {
        "area": ("name", "name_en"),
        "workshop": ("title",),
        "plan": ("title", "start_year", "end_year"),
        "report": ("requested_at",),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reports = ReportRun.objects.filter(status=ReportRun.Status.DONE)
        # The newest runs, chosen by a subquery: the options and the check of the chosen one
        # in a single statement each.
        newest = reports.order_by("-pk").values("pk")[:REPORT_CHOICES]
        self.fields["report"].queryset = (
            reports.filter(pk__in=newest).only("pk", "requested_at").order_by("-pk")
        )
        self.fields["report"].label_from_instance = lambda run: (
            _("Summary report no. %(number)s, %(date)s")
            % {"number": run.pk, "date": f"{run.requested_at:%Y-%m-%d}"}
        )

    def clean_company(self) -> Company | None:
        raw = self.cleaned_data["company"]
        if not raw:
            return None
        number = parse_organisation_number(raw).formatted
        company = company_by_organisation_number(number)
        if company is None:
            raise forms.ValidationError(
                _("No company in the portal has the organisation number %(number)s."),
                code="unknown_company",
                params={"number": number},
            )
        return company

    def _required(self, name: str, message) -> None:
        if not self.cleaned_data.get(name) and name not in self.errors:
            self.add_error(name, message)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in (CoveredItem.Kind.INTERVIEW, CoveredItem.Kind.COMPANY_INTERVIEWS):
            self._required("company", _("Choose the company."))
        if kind == CoveredItem.Kind.INTERVIEW:
            self._required("interview_date", _("Give the date of the interview."))
            company, day = cleaned.get("company"), cleaned.get("interview_date")
            if company and day:
                found = list(Interview.objects.filter(company=company, date=day).order_by("pk")[:2])
                if not found:
                    self.add_error(
                        "interview_date", _("The company has no interview on that date.")
                    )
                else:
                    cleaned["interview"] = found[0]
        if kind == CoveredItem.Kind.FINDINGS:
            self._required("area", _("Choose the priority area."))
            start, end = cleaned.get("date_from"), cleaned.get("date_to")
            if start and end and end < start:
                self.add_error("date_to", _("The end cannot be before the start."))
        if kind == CoveredItem.Kind.WORKSHOP:
            self._required("workshop", _("Choose the workshop."))
        if kind == CoveredItem.Kind.ACTION_PLAN:
            self._required("plan", _("Choose the action plan."))
        if kind == CoveredItem.Kind.REPORT:
            self._required("report", _("Choose the report."))
        return cleaned


def read_choices_together(*forms_with_lists: forms.Form) -> None:
    """The lists of the forms (their `label_fields`: what each list's labels read) read by one
    statement, for the forms to draw: records.selectors.choices_together. A submitted choice
    is still looked up in its field's queryset."""
    fields = [
        (form.fields[name], names)
        for form in forms_with_lists
        for name, names in form.label_fields.items()
    ]
    read = choices_together(
        [(field.queryset, names) for field, names in fields],
        key=tuple(
            (type(form).__name__, name) for form in forms_with_lists for name in form.label_fields
        ),
    )
    for (field, _names), objects in zip(fields, read, strict=True):
        choice_objects_known(field, objects)


class FieldChoiceForm(forms.Form):
    """A form about one field of the page's records: the choices are the fields the review
    page shows (records.views), so nothing outside the item can be named."""

    field = forms.ChoiceField(label=_("Field"))

    def __init__(self, *args, fields=(), **kwargs):
        """`fields`: (section title, FieldText) pairs, as the page shows them."""
        super().__init__(*args, **kwargs)
        self.field_texts = {}
        choices = []
        for title, field_text in fields:
            if field_text.key not in self.field_texts:
                self.field_texts[field_text.key] = field_text
                choices.append((field_text.key, f"{title} – {field_text.label}"))
        self.fields["field"].choices = choices

    def clean_field(self):
        return self.field_texts[self.cleaned_data["field"]]


class MaskForm(_ChoicesInOneQuery, FieldChoiceForm):
    passage = forms.CharField(
        label=_("The passage to mask, exactly as it is written"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        strip=False,
    )
    ground = forms.ModelChoiceField(
        label=_("Ground"),
        queryset=SecrecyGround.objects.filter(is_active=True),
        error_messages={"invalid_choice": _("Choose a ground from the list.")},
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=PARAGRAPH_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    label_fields = {"ground": ("reference",)}

    def clean_passage(self):
        passage = self.cleaned_data["passage"]
        if not passage.strip():
            raise forms.ValidationError(_("Type or paste the passage to mask."))
        return passage


class LiftForm(FieldChoiceForm):
    reason = forms.CharField(
        label=_("Why it may be released"),
        max_length=PARAGRAPH_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReleaseForm(forms.Form):
    reviewed = forms.BooleanField(
        label=_("I have reviewed every covered item"),
        error_messages={"required": _("Review every covered item before releasing it.")},
    )
    with_workbook = forms.BooleanField(label=_("Also as an Excel workbook"), required=False)


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The requester has withdrawn the request"),
        error_messages={"required": _("Confirm that the request was withdrawn.")},
    )


class DecisionForm(_ChoicesInOneQuery, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=RecordRequest.Outcome.choices, widget=forms.RadioSelect
    )
    grounds = forms.ModelMultipleChoiceField(
        label=_("Grounds (for a refusal, in whole or in part)"),
        required=False,
        queryset=SecrecyGround.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    label_fields = {"grounds": ("reference",)}
    reasoning = forms.CharField(
        label=_("Reasoning"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        refused = outcome in (RecordRequest.Outcome.PARTIAL, RecordRequest.Outcome.REFUSED)
        if refused and not cleaned.get("grounds") and "grounds" not in self.errors:
            self.add_error("grounds", _("Give the grounds for refusing."))
        if outcome == RecordRequest.Outcome.REFUSED and not cleaned.get("reasoning", "").strip():
            self.add_error("reasoning", _("Say why the documents are not released."))
        return cleaned


class SecrecyGroundForm(forms.ModelForm):
    class Meta:
        model = SecrecyGround
        fields = ["reference", "title", "explanation", "is_active"]
