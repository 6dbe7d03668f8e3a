"""``yaml_load``: PyYAML's safe loader without anchors or aliases, with size and length caps.

Aliases let a few hundred bytes expand into gigabytes (a "billion laughs" bomb: a 427-byte
scenario once took 105 s and 4.9 GB); none of our formats needs them (content/FORMAT.md), so any
anchor (``&name``) or alias (``*name``) is refused before it is expanded. Every import of YAML
that a person supplies (scenario uploads and commands, course front matter) goes through here.
"""

import re
from typing import Any

import yaml

# Whole documents and single strings past these are refused with a clear error.
MAX_DOCUMENT_BYTES = 1_000_000
MAX_STRING_CHARS = 20_000
TRAILING_SPACE = re.compile(r"[ \t]+(?=\n|$)")


class YAMLRefused(yaml.YAMLError):
    """The document is too large, holds an anchor or alias, or a string is too long."""


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that stops at the first anchor or alias, before anything is expanded."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None,
                None,
                "anchors and aliases (& and *) are not allowed: write the content out in full",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _check_lengths(value: Any, where: str, max_chars: int) -> None:
    if isinstance(value, str):
        if len(value) > max_chars:
            raise YAMLRefused(
                f"{where or 'the document'}: {len(value):,} characters, the most is {max_chars:,}"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_lengths(key, where, max_chars)
            _check_lengths(item, f"{where}.{key}" if where else str(key), max_chars)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            _check_lengths(item, f"{where}[{number}]", max_chars)


def yaml_load(
    text: str | bytes,
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    max_chars: int = MAX_STRING_CHARS,
) -> Any:
    """Parse one YAML document safely; raises YAMLRefused (a yaml.YAMLError) if it is over
    ``max_bytes``, has a string over ``max_chars`` (naming where), and a yaml.MarkedYAMLError,
    with its line, for an anchor, an alias or a syntax error."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > max_bytes:
        raise YAMLRefused(f"{size:,} bytes, the most is {max_bytes:,}")
    data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506  a SafeLoader subclass
    _check_lengths(data, "", max_chars)
    return data


def text_normalised(value: str) -> str:
    """Text with "\\n" line endings and no spaces or tabs at line ends.

    Browsers send text areas with "\\r\\n" (HTML's form encoding), and PyYAML writes any text
    holding "\\r", or a space before a line break, as a quoted string of escapes instead of a
    readable block scalar; the exporters and the admin forms pass text through this.
    """
    return TRAILING_SPACE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
