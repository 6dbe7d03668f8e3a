"""Querysets compiled to SQL once per process, then run with new parameters.

Django compiles a queryset to SQL every time it is evaluated. For a Wagtail page row (about 40
columns over two tables) that compilation costs more than the query: about 0.7 ms against
0.4 ms on SQLite, measured for the module page by ``bench/pages.py``. A page that every
learner requests many times a day runs the same few query shapes each time, so those shapes
are compiled once and reused.

Written by hand: no maintained library does this. The SQL is still the ORM's own (so it is
right for each database vendor); only the parameters change. Each named argument is found in
the compiled parameters by a unique example value, so a shape whose parameters move with the
value (``None`` becoming ``IS NULL``, an empty ``__in``) is refused when it is built, not run
wrong. Rows come back through ``Model.objects.raw()``, which applies the fields' converters.
"""

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, models


class PreparedQueryError(Exception):
    """The queryset's parameters could not be matched to the named arguments."""


class PreparedQuery:
    """A queryset shape, built by ``build(**examples)``, compiled once per database alias.

    ``examples`` gives each argument a value that appears nowhere else in the query's
    parameters (e.g. ``url_path="\\x00url_path"``, ``user_id=-7301``). Calling the prepared
    query with real values returns a list of model instances, as the queryset would.
    """

    def __init__(self, build: Callable[..., models.QuerySet], **examples: Any) -> None:
        self.build = build
        self.examples = examples
        self._compiled: dict[str, tuple[models.Manager, str, list]] = {}

    def _compile(self, using: str) -> tuple[models.Manager, str, list]:
        queryset = self.build(**self.examples).using(using)
        sql, params = queryset.query.get_compiler(using).as_sql()
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
        return queryset.model._default_manager.db_manager(using), sql, slots

    def __call__(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list:
        """Run the query with ``values`` for its named arguments; a list of instances."""
        if values.keys() != self.examples.keys():
            raise TypeError(f"Expected the arguments {sorted(self.examples)}, got {sorted(values)}")
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        manager, sql, slots = compiled
        params = [values[v] if kind == "arg" else v for kind, v in slots]
        return list(manager.raw(sql, params))


def _same(example: Any, value: Any) -> bool:
    """Whether a compiled parameter is the example value (same type, so 1 is not True)."""
    return type(example) is type(value) and example == value
