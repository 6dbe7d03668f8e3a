import pytest

from accounts.roles import Role
from accounts.selectors import user_is_agency_lead, user_is_partnership_admin, user_roles
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_user_factory_gives_learner_role_by_default_and_roles_on_request():
    learner = UserFactory()
    lead = UserFactory(roles=[Role.AGENCY_LEAD])

    assert user_roles(user=learner) == {"Learner"}
    assert user_is_agency_lead(user=lead)
    assert not user_is_partnership_admin(user=lead)
    assert learner.check_password("correct-horse-battery")
