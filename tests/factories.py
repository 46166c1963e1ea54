"""factory_boy factories shared by the test suite."""

from __future__ import annotations

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
