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
