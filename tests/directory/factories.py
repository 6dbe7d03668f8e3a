import datetime

import factory
from django.utils import timezone

from directory.models import (
    Attribute,
    Language,
    Location,
    Organization,
    Phone,
    ReviewStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Taxonomy

    name = factory.Sequence(lambda n: f"Taxonomy {n}")
    description = "Test taxonomy"


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    taxonomy = factory.SubFactory(TaxonomyFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    description = "Test category"
    term = factory.Sequence(lambda n: f"category-{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    description = "A test organisation"


class LocationFactory(factory.django.DjangoModelFactory):
    """A location in Oldham town centre unless told otherwise."""

    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Centre {n}")
    address_1 = "1 High Street"
    city = "Oldham"
    postal_code = "OL1 1AA"
    latitude = 53.54151
    longitude = -2.099824


class ServiceFactory(factory.django.DjangoModelFactory):
    """A published, recently assured service. Pass categories=[term], languages=["rom"],
    location=Location, schedules=[dict(...)], areas=["Oldham"], phones=["0161 496 0000"]."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Support for children and families."
    review_status = ReviewStatus.PUBLISHED
    assured_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    assurer_email = "assurer@example.org"

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        for term in extracted or []:
            Attribute.objects.create(service=self, taxonomy_term=term)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        for code in extracted or []:
            Language.objects.create(service=self, code=code)

    @factory.post_generation
    def location(self, create, extracted, **kwargs):
        if extracted is not None:
            ServiceAtLocation.objects.create(service=self, location=extracted)

    @factory.post_generation
    def schedules(self, create, extracted, **kwargs):
        for values in extracted or []:
            Schedule.objects.create(service=self, **values)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        for name in extracted or []:
            ServiceArea.objects.create(service=self, name=name)

    @factory.post_generation
    def phones(self, create, extracted, **kwargs):
        for number in extracted or []:
            Phone.objects.create(service=self, number=number)
