"""Factories for test data; realistic enough to read, cheap enough to make by the hundred."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from community.kernel.verbs import NotificationVerb
from community.models import BRAND_GROUP, Notification, User, Vehicle

PASSWORD = "Correct-Horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"owner{n}")
    nickname = factory.Sequence(lambda n: f"车友{n}")
    city = "重庆"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class BrandStaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"brand{n}")
    nickname = factory.Sequence(lambda n: f"品牌运营{n}")

    @factory.post_generation
    def brand_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get_or_create(name=BRAND_GROUP)[0])


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    owner = factory.SubFactory(UserFactory)
    model = "欧尚X5 PLUS"
    category = Vehicle.Category.PASSENGER


class VerifiedVehicleFactory(VehicleFactory):
    verified_at = factory.LazyFunction(timezone.now)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(UserFactory)
    verb = NotificationVerb.FOLLOWED
