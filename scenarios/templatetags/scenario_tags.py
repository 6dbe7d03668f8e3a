"""Template filters for the player."""

from django import template

from pages.markdown import markdown_html

register = template.Library()

RATING_TAGS = {"recommended": "green", "acceptable": "yellow", "risky": "red"}


@register.filter
def markdown(text: str):
    """Sanitised HTML from Markdown (the courses app's renderer: markdown + nh3)."""
    return markdown_html(text)


@register.filter
def rating_colour(rating: str) -> str:
    """The GOV.UK tag colour for a practice rating (the tag's text always names the rating)."""
    return RATING_TAGS.get(rating, "grey")
