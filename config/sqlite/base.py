"""Django's SQLite backend, converting each distinct SQL text to SQLite's style once.

Django writes SQL with ``%s`` placeholders and the SQLite backend rewrites them to ``?`` with a
regular expression on every execution. A page's queries are the same few texts again and again
(a module page's routing query is about 900 characters), and the rewriting was about 2% of the
module page's time. The rewritten text depends only on the original, so it is kept in a
bounded per-process memo; named ("pyformat") parameters go through Django's own code. Long
texts (bulk inserts, long ``IN`` lists) are converted each time and not kept: they vary with
their batch size, and the conversion is small beside running them.
"""

from functools import lru_cache

from django.db.backends.sqlite3 import base

MEMO_MAX_CHARS = 8192  # a module page's longest query is about 900 characters


@lru_cache(maxsize=1024)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None and len(query) <= MEMO_MAX_CHARS:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
