"""Reading ease of module text, for authors: Flesch reading ease via the textstat library."""

from dataclasses import dataclass

import markdown
import nh3
import textstat

from courses.services.course_format import ParsedModule

# Structured block fields that a learner reads (ids, flags and references are not text).
_TEXT_FIELDS = {
    "text", "title", "heading", "question", "feedback", "explanation", "prompt", "hint",
    "caption", "transcript",
}  # fmt: skip


@dataclass(frozen=True)
class ModuleReadability:
    slug: str
    words: int
    reading_ease: float


def _plain(markdown_text: str) -> str:
    html = markdown.markdown(markdown_text)
    return nh3.clean(html, tags=set()).replace("&amp;", "&")


def _texts(value) -> list[str]:
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            if key in _TEXT_FIELDS and isinstance(item, str):
                found.append(_plain(item))
            elif isinstance(item, dict | list):
                found.extend(_texts(item))
        return found
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def module_text(*, module: ParsedModule) -> str:
    """Everything a learner reads in a parsed module: headings, prose and block text."""
    parts = []
    for section in module.body:
        parts.append(section["value"]["heading"] + ".")
        for block in section["value"]["content"]:
            if block["type"] == "markdown":
                parts.append(_plain(block["value"]))
            else:
                parts.extend(_texts(block["value"]))
    return "\n\n".join(parts)


def module_readability(*, module: ParsedModule) -> ModuleReadability:
    """Word count and Flesch reading ease (higher is easier; aim for 50 or more)."""
    text = module_text(module=module)
    return ModuleReadability(
        slug=module.meta["slug"],
        words=textstat.lexicon_count(text),
        reading_ease=round(textstat.flesch_reading_ease(text), 1),
    )
