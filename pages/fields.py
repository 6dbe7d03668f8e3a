"""A StreamField that decodes its stored JSON with orjson.

A module's body is a few tens of kilobytes of JSON, decoded every time the page is read: with
the standard library's json that was about 7% of the module page's time under load
(bench/pages.py, sampled with py-spy). orjson decodes the same text several times faster.
Anything orjson refuses (e.g. an integer beyond 64 bits) falls back to Wagtail's own decoding,
so what a page holds never changes; only how fast it is read.
"""

import orjson
from django.db.models.fields.json import KeyTransform
from wagtail.fields import StreamField


class FastStreamField(StreamField):
    def from_db_value(self, value, expression, connection):
        if isinstance(value, (str, bytes)) and not isinstance(expression, KeyTransform):
            try:
                return self.to_python(orjson.loads(value))
            except orjson.JSONDecodeError:
                pass
        return super().from_db_value(value, expression, connection)
