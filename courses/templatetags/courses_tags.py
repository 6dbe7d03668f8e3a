"""Template tags and filters for course pages."""

from django import template

from courses.selectors import learner as selectors
from pages.markdown import markdown_html

register = template.Library()


@register.inclusion_tag("courses/attempt_course_completion.html")
def attempt_course_completion(attempt) -> dict:
    """``{% attempt_course_completion attempt %}``: the completion banner on a scenario's end page
    when the attempt completed the course of the module it was launched from."""
    course, completion = selectors.attempt_course_completion(attempt=attempt) or (None, None)
    return {"course": course, "completion": completion}


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Render Markdown as sanitised HTML."""
    return markdown_html(text)


@register.filter
def duration(minutes: int) -> str:
    """Minutes as "1 hour 30 minutes"."""
    hours, rest = divmod(int(minutes or 0), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)
