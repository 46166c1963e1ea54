"""factory_boy factories shared by the test suite."""

from __future__ import annotations

import datetime
import decimal

import factory
from django.contrib.auth.models import Group

from smeportal.accounts.models import User
from smeportal.areas.models import PriorityArea


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")
    password = factory.django.Password("test-password-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class PriorityAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityArea

    name = factory.Sequence(lambda n: f"Testområde {n}")
    slug = factory.Sequence(lambda n: f"testomrade-{n}")
    order = factory.Sequence(lambda n: 100 + n)
    colour = "#1f5f8b"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interviews.Company"
        django_get_or_create = ("organisation_number",)

    name = factory.Sequence(lambda n: f"Testbolaget {n} AB")
    # Valid organisation numbers: 55 + seven digits + a Luhn check digit.
    organisation_number = factory.Sequence(lambda n: _valid_orgnr(5560000000 + n * 10))
    industry = "C"
    size_class = "10-49"
    district = "centrum"


def _valid_orgnr(base: int) -> str:
    from stdnum import luhn

    digits = str(base)[:9]
    number = digits + luhn.calc_check_digit(digits)
    return f"{number[:6]}-{number[6:]}"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interviews.Contact"

    company = factory.SubFactory(CompanyFactory)
    name = factory.Faker("name", locale="sv_SE")
    role = "VD"
    email = factory.Sequence(lambda n: f"kontakt{n}@example.invalid")
    phone = factory.Sequence(lambda n: f"016-10 {n:04d}")


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interviews.Interview"
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    date = factory.Faker("date_between", start_date="-1y", end_date="today")
    format = "besok"
    status = "klar"
    grade = 4
    consent = "anonymt"
    notes = "Samtal om lokaler och kompetens."

    @factory.post_generation
    def interviewers(self, create, extracted, **kwargs):
        if create and extracted:
            self.interviewers.set(extracted)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interviews.Finding"

    interview = factory.SubFactory(InterviewFactory)
    area = factory.LazyFunction(lambda: PriorityArea.objects.order_by("order").first())
    type = "utmaning"
    text = factory.Sequence(lambda n: f"Synpunkt nummer {n} om handläggningstider")
    importance = 2


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interviews.FollowUp"

    interview = factory.SubFactory(InterviewFactory)
    flag = "rod"
    title = factory.Sequence(lambda n: f"Ring tillbaka om bygglov {n}")
    owner = factory.SubFactory(UserFactory)
    due_date = factory.Faker("date_between", start_date="-10d", end_date="+30d")


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workshops.Workshop"

    title = factory.Sequence(lambda n: f"Företagsdialog {n}")
    date = factory.Faker("date_between", start_date="-60d", end_date="today")
    place = "Munktellstaden, Eskilstuna"
    status = "genomford"
    participants_total = 80
    participants_companies = 55
    participants_municipality = 20
    participants_other = 5


class WorkshopGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workshops.WorkshopGroup"

    workshop = factory.SubFactory(WorkshopFactory)
    name = factory.Sequence(lambda n: f"Bord {n}")
    area = factory.LazyFunction(lambda: PriorityArea.objects.order_by("order").first())
    member_count = 8


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workshops.Proposal"

    group = factory.SubFactory(WorkshopGroupFactory)
    area = factory.LazyAttribute(lambda proposal: proposal.group.area)
    title = factory.Sequence(lambda n: f"Förslag {n}: snabbare bygglov")
    actor = "kommunen"
    horizon = "inom_1_ar"
    votes = 0


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplan.ActionPlan"

    title = "Handlingsplan för ett bättre företagsklimat"
    start_year = 2024
    end_year = 2027
    status = "antagen"
    adopted_on = datetime.date(2024, 3, 1)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplan.Goal"

    plan = factory.SubFactory(ActionPlanFactory)
    area = factory.LazyFunction(lambda: PriorityArea.objects.order_by("order").first())
    title = factory.Sequence(lambda n: f"Mål {n}: kortare handläggningstider")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplan.Activity"
        skip_postgeneration_save = True

    plan = factory.SubFactory(ActionPlanFactory)
    title = factory.Sequence(lambda n: f"Aktivitet {n}: bygglovslots")
    party_kind = "forvaltning"
    party_name = "Näringslivskontoret"
    start_date = datetime.date(2025, 1, 1)
    due_date = datetime.date(2027, 6, 30)
    status = "pagar"

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create:
            self.areas.set(extracted or [PriorityArea.objects.order_by("order").first()])


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplan.Milestone"

    activity = factory.SubFactory(ActivityFactory)
    title = factory.Sequence(lambda n: f"Delmål {n}")
    date = datetime.date(2026, 6, 1)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplan.Indicator"

    name = factory.Sequence(lambda n: f"Sammanfattande omdöme {n}")
    unit = "betyg 1–6"
    direction = "hogre"
    source = "svenskt_naringsliv"
    baseline_value = decimal.Decimal("3.30")
    baseline_date = datetime.date(2021, 6, 1)
    target_value = decimal.Decimal("4.00")
    target_date = datetime.date(2030, 6, 1)
    reporting_interval = 12


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplan.Measurement"

    indicator = factory.SubFactory(IndicatorFactory)
    value = decimal.Decimal("3.40")
    date = factory.Sequence(lambda n: datetime.date(2022, 6, 1) + datetime.timedelta(days=n))
