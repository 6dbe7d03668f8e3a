"""Querysets compiled to SQL once per process, then run with new parameters.

Django compiles a queryset to SQL every time it is evaluated. For a Wagtail page row (about 40
columns over two tables) that compilation costs more than the query: about 0.7 ms against
0.4 ms on SQLite, measured for the module page by ``bench/pages.py``. A page that every
learner requests many times a day runs the same few query shapes each time, so those shapes
are compiled once and reused.

Written by hand: no maintained library does this. The SQL is still the ORM's own (so it is
right for each database vendor); only the parameters change. Each named argument is found in
the compiled parameters by a unique example value, so a shape whose parameters move with the
value (``None`` becoming ``IS NULL``, a boolean becoming the bare column, an empty ``__in``) is
refused when it is built, not run wrong. Rows become model instances as ``Model.objects.raw()``
makes them (``Model.from_db`` after the fields' database converters), with the column-to-field
plan worked out once, at the first run, instead of on every call.

For a Wagtail page, ``from_db`` costs about 30 µs: ``Model.__init__`` walks all ~40 fields, and
modelcluster's constructor scans every relation of the model for child relations to assign,
which a row never has. Where the model's constructors are known to do nothing else for a row
that has its primary key (``_PLAIN_INITS``) and no ``pre_init``/``post_init`` receiver is
connected, the instance is built as ``__init__`` would leave it: the row's values set, the
deferred fields left out, ``_state`` saying it came from this database. Anything else goes
through ``from_db``.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable, ValuesListIterable
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from modelcluster.models import ClusterableModel
from wagtail.models import AbstractPage
from wagtail.models.pages import ShowInMenusMixin

# Constructors that, given positional field values including the primary key, only set those
# values: Django's own, and Wagtail's and modelcluster's, which add work only for new pages or
# keyword arguments (read in Wagtail 8.0 and modelcluster 6.5).
_PLAIN_INITS = frozenset(
    {object.__init__, models.Model.__init__}
    | {cls.__dict__["__init__"] for cls in (ClusterableModel, AbstractPage, ShowInMenusMixin)}
)
# Attribute descriptors whose ``__set__`` on a new instance only stores the value.
_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


def _builds_plainly(model: type[models.Model]) -> bool:
    """Whether every constructor in the model's classes is one of ``_PLAIN_INITS``."""
    return all(
        cls.__dict__["__init__"] in _PLAIN_INITS
        for cls in model.__mro__
        if "__init__" in cls.__dict__
    )


def _set_through_descriptor(model: type[models.Model], name: str) -> bool:
    """Whether assigning ``name`` runs a descriptor's own code (e.g. StreamField's converter)."""
    descriptor = getattr(model, name, None)
    return hasattr(type(descriptor), "__set__") and not isinstance(descriptor, _PLAIN_DESCRIPTORS)


def _parent_keys(model: type[models.Model], loaded: set[str]) -> list[tuple[str, str]]:
    """Parent models' primary keys not selected whose value is a selected parent link's."""
    keys = []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.attname not in loaded:
            link = model._meta.get_ancestor_link(field.model)
            if link is not None and link.attname in loaded:
                keys.append((field.attname, link.attname))
    return keys


@dataclass(frozen=True)
class _RowPlan:
    """How a row of the compiled query becomes an instance, worked out from its columns once."""

    model: type[models.Model]
    names: list[str]  # attnames given to from_db
    positions: list[int]  # where each name's value is in the row
    annotations: list[tuple[str, int]]  # extra columns, set as attributes
    converters: list[tuple[int, list, Any]]  # (position, converter functions, column)
    plain: bool  # the model may be built without its constructor (see the module docstring)
    setattr_names: frozenset[str]  # names whose descriptors must see the assignment
    parent_keys: list[tuple[str, str]]  # (a parent's primary key, the link holding its value)

    @classmethod
    def for_columns(cls, model: type[models.Model], columns: list[str], using: str) -> "_RowPlan":
        connection = connections[using]
        to_name = connection.introspection.identifier_converter
        by_column = {to_name(f.column): f for f in model._meta.concrete_fields}
        fields = [f for f in model._meta.concrete_fields if to_name(f.column) in columns]
        if model._meta.pk not in fields:
            raise PreparedQueryError("A prepared query must select the primary key.")
        cols = [
            by_column[c].get_col(by_column[c].model._meta.db_table) if c in by_column else None
            for c in columns
        ]
        compiler = connection.ops.compiler("SQLCompiler")(None, connection, using)
        return cls(
            model=model,
            names=[f.attname for f in fields],
            positions=[columns.index(to_name(f.column)) for f in fields],
            annotations=[(c, n) for n, c in enumerate(columns) if c not in by_column],
            converters=_converters(compiler, cols),
            plain=_builds_plainly(model),
            setattr_names=frozenset(
                f.attname for f in fields if _set_through_descriptor(model, f.attname)
            ),
            parent_keys=_parent_keys(model, {f.attname for f in fields}),
        )

    def instance(self, row: tuple, connection) -> models.Model:
        """The model instance for one row, as ``raw()`` would build it."""
        using = connection.alias
        row = _converted(row, self.converters, connection)
        model = self.model
        if self.plain and not (pre_init.has_listeners(model) or post_init.has_listeners(model)):
            instance = model.__new__(model)
            instance._state = state = ModelState()
            state.adding, state.db = False, using
            values = instance.__dict__
            for name, position in zip(self.names, self.positions, strict=True):
                if name in self.setattr_names:
                    setattr(instance, name, row[position])
                else:
                    values[name] = row[position]
            # A parent's id is its child's link (page_ptr_id); Wagtail's page constructor
            # reads it, which loads it from the link, so a constructed page has it set.
            for name, link in self.parent_keys:
                values[name] = values[link]
        else:
            instance = model.from_db(using, self.names, [row[n] for n in self.positions])
        for name, position in self.annotations:
            setattr(instance, name, row[position])
        return instance


class Inline(models.Value):
    """A constant written into the SQL text, where ``Value`` would bind it as a parameter.

    SQLite prepares a statement again on every run when a bound value is compared with a column
    that a partial index's condition names, because whether the index applies depends on the
    value. The open-enrolment lookup (``status = 'in_progress'``, the condition of the
    one-open-enrolment-per-course index) took 27 µs that way and 6 µs with the constant in the
    text. Only short codes (letters, digits, ``_`` and ``-``) and integers are accepted, so
    nothing needs quoting.
    """

    _CODE = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")

    def __init__(self, value: str | int):
        if isinstance(value, str):
            value = str(value)  # a TextChoices member as its plain value
        if not (type(value) is int or (isinstance(value, str) and self._CODE.match(value))):
            raise ValueError(f"Not a short code or an integer: {value!r}")
        super().__init__(value)

    def as_sql(self, compiler, connection):
        return (f"'{self.value}'" if isinstance(self.value, str) else str(self.value)), []


class PreparedQueryError(Exception):
    """The queryset's parameters could not be matched to the named arguments."""


def _converters(compiler, cols: list) -> list[tuple[int, list, Any]]:
    """(position, converter functions, column) for each column that has converters."""
    return [(n, functions, col) for n, (functions, col) in compiler.get_converters(cols).items()]


def _converted(row: tuple, converters: list, connection) -> list | tuple:
    """The row with each column's database converters applied, as the ORM applies them."""
    if not converters:
        return row
    row = list(row)
    for position, functions, column in converters:
        value = row[position]
        for convert in functions:
            value = convert(value, column, connection)
        row[position] = value
    return row


class PreparedQuery:
    """A queryset shape, built by ``build(**examples)``, compiled once per database alias.

    ``examples`` gives each argument a value that appears nowhere else in the query's
    parameters (e.g. ``url_path="\\x00url_path"``, ``user_id=-7301``). Calling the prepared
    query with real values returns a list of model instances, as the queryset would, or of
    tuples for a ``values_list()`` queryset.
    """

    def __init__(self, build: Callable[..., models.QuerySet], **examples: Any) -> None:
        self.build = build
        self.examples = examples
        self._compiled: dict[str, tuple[type[models.Model], str, list, list | None]] = {}
        self._plans: dict[str, _RowPlan] = {}

    def _compile(self, using: str) -> tuple[type[models.Model], str, list, list | None]:
        queryset = self.build(**self.examples).using(using)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        tuple_converters = None  # None: rows become model instances
        if queryset._iterable_class is ValuesListIterable:
            cols = [select[0] for select in compiler.select[: compiler.col_count]]
            tuple_converters = _converters(compiler, cols)
        elif queryset._iterable_class is not ModelIterable:
            raise PreparedQueryError("Only model querysets and values_list() can be prepared.")
        slots: list = []
        found = dict.fromkeys(self.examples, 0)
        for value in params:
            name = next((k for k, v in self.examples.items() if _same(v, value)), None)
            if name is None:
                slots.append(("fixed", value))
            else:
                found[name] += 1
                slots.append(("arg", name))
        if any(count == 0 for count in found.values()):
            missing = ", ".join(k for k, count in found.items() if count == 0)
            raise PreparedQueryError(f"The compiled query does not use the argument(s) {missing}.")
        return queryset.model, sql, slots, tuple_converters

    def __call__(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list:
        """Run the query with ``values`` for its named arguments; a list of instances."""
        if values.keys() != self.examples.keys():
            raise TypeError(f"Expected the arguments {sorted(self.examples)}, got {sorted(values)}")
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        model, sql, slots, tuple_converters = compiled
        params = [values[v] if kind == "arg" else v for kind, v in slots]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if tuple_converters is not None:
                return [
                    tuple(_converted(row, tuple_converters, connection))
                    for row in cursor.fetchall()
                ]
            plan = self._plans.get(using)
            if plan is None:
                columns = [column[0] for column in cursor.description]
                plan = self._plans[using] = _RowPlan.for_columns(model, columns, using)
            rows = cursor.fetchall()
        return [plan.instance(row, connection) for row in rows]


def _same(example: Any, value: Any) -> bool:
    """Whether a compiled parameter is the example value (same type, so 1 is not True)."""
    return type(example) is type(value) and example == value
