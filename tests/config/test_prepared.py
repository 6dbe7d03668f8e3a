from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q

from config.prepared import PreparedQuery, PreparedQueryError

User = get_user_model()


@pytest.fixture
def users(db):
    return [
        User.objects.create_user(f"p{n}@example.org", "pw-123456789", first_name=f"P{n}")
        for n in range(3)
    ]


def test_returns_what_the_queryset_returns_for_each_set_of_values(users):
    query = PreparedQuery(
        lambda email, name: User.objects.filter(email=email, first_name=name).order_by("pk"),
        email="\x00email",
        name="\x00name",
    )

    for user in users:
        rows = query(email=user.email, name=user.first_name)
        assert rows == [user]
        assert rows[0].last_login == user.last_login
    assert query(email=users[0].email, name=users[1].first_name) == []
    assert query(email="nobody@example.org", name="P0") == []


def test_compiles_once_and_reuses_the_sql(users):
    query = PreparedQuery(lambda pk: User.objects.filter(pk=pk), pk=-7301)

    with mock.patch.object(query, "_compile", wraps=query._compile) as compile_:
        assert query(pk=users[0].pk) == [users[0]]
        assert query(pk=users[1].pk) == [users[1]]

    assert compile_.call_count == 1


def test_fixed_parameters_stay_and_only_named_ones_change(users):
    User.objects.filter(pk=users[1].pk).update(first_name="Fixed")
    query = PreparedQuery(
        lambda pk: User.objects.filter(Q(first_name="Fixed") | Q(pk=pk)).order_by("pk"),
        pk=-7301,
    )

    assert query(pk=users[0].pk) == [users[0], users[1]]
    assert query(pk=users[2].pk) == [users[1], users[2]]


def test_only_loads_the_chosen_columns_and_defers_the_rest(users):
    query = PreparedQuery(lambda pk: User.objects.filter(pk=pk).only("pk", "email"), pk=-7301)

    row = query(pk=users[2].pk)[0]

    assert row.email == users[2].email
    assert "first_name" in row.get_deferred_fields()


def test_an_argument_the_query_does_not_use_is_refused_when_built(users):
    # None compiles to IS NULL: there is no parameter to replace, so it must not be prepared.
    query = PreparedQuery(
        lambda last_login: User.objects.filter(last_login=last_login), last_login=None
    )

    with pytest.raises(PreparedQueryError, match="last_login"):
        query(last_login=None)


def test_wrong_argument_names_are_a_type_error(users):
    query = PreparedQuery(lambda pk: User.objects.filter(pk=pk), pk=-7301)

    with pytest.raises(TypeError, match="pk"):
        query(id=users[0].pk)


def test_values_list_rows_are_tuples_with_the_fields_converters_applied(users):
    query = PreparedQuery(
        lambda pk: User.objects.filter(pk=pk).values_list("email", "date_joined"), pk=-7301
    )

    assert query(pk=users[1].pk) == [(users[1].email, users[1].date_joined)]
    assert query(pk=-1) == []


def test_values_dicts_are_refused(users):
    query = PreparedQuery(lambda pk: User.objects.filter(pk=pk).values("email"), pk=-7301)

    with pytest.raises(PreparedQueryError, match="values_list"):
        query(pk=users[0].pk)


# --- Instances built without the constructor --------------------------------------------------


def _state(instance):
    return (type(instance), instance._state.adding, instance._state.db)


@pytest.fixture
def home(db):
    from wagtail.models import Page

    return Page.objects.get(depth=2)


def test_a_page_is_built_as_from_db_builds_it(home):
    from wagtail.models import Page

    query = PreparedQuery(
        lambda pk: Page.objects.filter(pk=pk).only("path", "title", "url_path", "locale"),
        pk=-7301,
    )

    built = query(pk=home.pk)[0]
    expected = Page.objects.only("path", "title", "url_path", "locale").get(pk=home.pk)

    assert query._plans["default"].plain  # the constructor-free path was taken
    assert _state(built) == _state(expected)
    assert {k: v for k, v in vars(built).items() if k != "_state"} == {
        k: v for k, v in vars(expected).items() if k != "_state"
    }
    assert built.get_deferred_fields() == expected.get_deferred_fields()
    assert built.seo_title == home.seo_title  # a deferred field still loads on access
    assert built.locale == home.locale  # and a foreign key through its id


def test_a_streamfield_is_assigned_through_its_descriptor(db):
    from courses.models import ModulePage

    query = PreparedQuery(lambda pk: ModulePage.objects.filter(pk=pk), pk=-7301)

    assert query(pk=-1) == []  # the row plan is made on the first run
    plan = query._plans["default"]
    assert "body" in plan.setattr_names
    assert "title" not in plan.setattr_names


def test_a_connected_post_init_receiver_still_runs(users):
    from django.db.models.signals import post_init

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    query = PreparedQuery(lambda pk: User.objects.filter(pk=pk), pk=-7301)
    post_init.connect(receiver, sender=User)
    try:
        assert query(pk=users[0].pk) == [users[0]]
    finally:
        post_init.disconnect(receiver, sender=User)

    assert seen == [users[0].pk]


def test_a_model_with_an_unknown_constructor_goes_through_from_db(users):
    query = PreparedQuery(lambda pk: User.objects.filter(pk=pk), pk=-7301)

    with (
        mock.patch("config.prepared._PLAIN_INITS", frozenset({object.__init__})),
        mock.patch.object(User, "from_db", wraps=User.from_db) as from_db,
    ):
        assert query(pk=users[1].pk) == [users[1]]

    assert not query._plans["default"].plain
    from_db.assert_called_once()


# --- Constants in the SQL text -----------------------------------------------------------------


def test_inline_constants_are_written_into_the_sql_and_still_filter(users):
    from config.prepared import Inline

    User.objects.filter(pk=users[1].pk).update(first_name="Fixed")
    query = PreparedQuery(
        lambda pk: User.objects.filter(first_name=Inline("Fixed"), pk__gte=pk).order_by("pk"),
        pk=-7301,
    )

    assert query(pk=users[0].pk) == [users[1]]
    _, sql, slots, _ = query._compiled["default"]
    assert "'Fixed'" in sql
    assert [kind for kind, _ in slots] == ["arg"]  # the constant is no parameter


@pytest.mark.parametrize("value", ["it's", "a b", "", "x" * 65, 1.5, None])
def test_inline_refuses_anything_that_would_need_quoting(value):
    from config.prepared import Inline

    with pytest.raises(ValueError, match="short code"):
        Inline(value)


def test_the_open_enrolment_lookup_binds_no_status(db):
    from courses.services.learning import _ENROLMENT_AND_VIEWED

    _, sql, slots, _ = _ENROLMENT_AND_VIEWED._compile("default")

    assert "\"status\" = 'in_progress'" in sql
    assert all(kind == "arg" for kind, _ in slots)


def test_a_child_page_is_built_with_its_parents_id_as_from_db_builds_it(db):
    from courses.models import ModulePage
    from tests.courses.factories import ModulePageFactory

    page = ModulePageFactory()
    fields = ("path", "title", "url_path", "body")
    query = PreparedQuery(lambda pk: ModulePage.objects.filter(pk=pk).only(*fields), pk=-7301)

    built = query(pk=page.pk)[0]
    expected = ModulePage.objects.only(*fields).get(pk=page.pk)

    assert query._plans["default"].plain
    assert built.get_deferred_fields() == expected.get_deferred_fields()
    assert "id" not in built.get_deferred_fields() and built.__dict__["id"] == page.pk
    assert list(built.body.raw_data) == list(expected.body.raw_data) and list(built.body)
