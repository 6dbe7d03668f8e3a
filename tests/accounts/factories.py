import factory
import pyotp
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from accounts.models import Agency, AgencyDomain, JobRole, MembershipStatus, Sector, Team, User
from accounts.roles import Role
from accounts.selectors import user_is_privileged

# Every privileged user the factory makes has this authenticator-app key (base32), so a test
# signing in through the form can answer the second-factor step: ``totp_code()``.
TOTP_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(key: str = TOTP_KEY) -> str:
    """The authenticator app's current code for ``key``."""
    return pyotp.TOTP(key).now()


def give_totp(user, key: str = TOTP_KEY) -> Authenticator:
    """Enrol ``user`` with an authenticator app holding ``key`` (as allauth MFA stores it)."""
    authenticator, _ = Authenticator.objects.get_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": get_mfa_adapter().encrypt(key)}},
    )
    return authenticator


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    sector = Sector.CHILDRENS_SOCIAL_CARE
    local_authority_area = "Oldham"
    headcount = 100


class AgencyDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyDomain

    agency = factory.SubFactory(AgencyFactory)
    domain = factory.Sequence(lambda n: f"agency{n}.example.org")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Job role {n}")
    slug = factory.Sequence(lambda n: f"job-role-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A verified, approved learner. Pass ``roles=[Role.TRAINER]`` to add role groups;
    privileged users also get an authenticator app (``TOTP_KEY``) unless ``totp=False``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    agency = factory.SubFactory(AgencyFactory)
    team = factory.LazyAttribute(lambda o: TeamFactory(agency=o.agency) if o.agency else None)
    job_role = factory.SubFactory(JobRoleFactory)
    membership_status = MembershipStatus.APPROVED
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        """allauth's verified primary address, so the user can sign in with the form."""
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        names = [Role.LEARNER] if extracted is None else extracted
        if create:
            self.groups.add(*[Group.objects.get(name=Role(name).value) for name in names])
            self.save()

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """Privileged users are enrolled with ``TOTP_KEY``; ``totp=False`` leaves them to enrol."""
        self.__dict__.pop("_role_names", None)
        if create and extracted is not False and (extracted or user_is_privileged(user=self)):
            give_totp(self)
