"""Markdown, rendered and sanitised, for course and scenario text (module blocks, debriefs)."""

from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe


@lru_cache(maxsize=4096)
def markdown_html(text: str) -> SafeString:
    """Render Markdown to sanitised HTML: nh3 strips scripts, styles and event handlers.

    Memoised per process: the output depends only on the text, and Python-Markdown is the
    slowest step of a module page (this is not a page cache; learner state is never cached).
    """
    html = markdown_lib.markdown(text or "", extensions=["sane_lists", "tables", "attr_list"])
    return mark_safe(nh3.clean(html, link_rel="noopener noreferrer"))  # noqa: S308  (sanitised)
