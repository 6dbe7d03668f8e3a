"""Template filters for directory pages: opening days and ages in plain English, and the search
page's options, checkboxes and result cards. Those are rendered here, one call each, because a
template loop over them was a measurable part of the page's time (bench/directory.py: about
40 microseconds a card in the template against a few here); every value is escaped."""

import html

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from directory.models.validators import byday_parts
from directory.selectors import search_query

register = template.Library()

DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
ORDER = list(DAY_NAMES)


def _and(words: list[str]) -> str:
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def byday_label(value: str) -> str:
    """ "MO,TU,WE,TH,FR" -> "Monday to Friday"; "SA,SU" -> "Saturday and Sunday"."""
    days = [d for d in ORDER if d in {p.strip().upper() for p in (value or "").split(",")}]
    if len(days) == 7:
        return "Every day"
    indexes = [ORDER.index(d) for d in days]
    if len(days) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    return _and([DAY_NAMES[d] for d in days])


ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def _ordinal(number: int) -> str:
    if number == -1:
        return "last"
    return ORDINALS[number] if number > 0 else f"{ORDINALS[-number]} to last"


@register.filter
def schedule_days(schedule) -> str:
    """Weekly: "Monday to Friday"; monthly: "Last Thursday of the month",
    "First and third Monday of the month" (RFC 5545 BYDAY "-1TH", "1MO,3MO")."""
    if schedule.freq != "MONTHLY":
        return byday_label(schedule.byday)
    try:
        parts = byday_parts(schedule.byday)
    except ValueError:
        return ""
    by_day: dict[str, list[int | None]] = {}
    for number, day in parts:
        by_day.setdefault(day, []).append(number)
    phrases = []
    for day, numbers in by_day.items():
        if None in numbers:
            phrases.append(f"every {DAY_NAMES[day]}")
        else:
            ordered = sorted(numbers, key=lambda n: (n < 0, n if n > 0 else -n))
            phrases.append(f"{_and([_ordinal(n) for n in ordered])} {DAY_NAMES[day]}")
    label = _and(phrases)
    if all(None not in numbers for numbers in by_day.values()):
        label += " of the month"
    return label[:1].upper() + label[1:]


@register.filter
def clock(value) -> str:
    """A time as "9am", "5:30pm", "midday" or "midnight"."""
    if value is None:
        return ""
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


@register.simple_tag
def age_range(minimum, maximum) -> str:
    """ "5 to 25", "Up to 18", "16 and over" or "All ages"."""
    return search_query.age_range(minimum, maximum)


def _escape(value) -> str:
    # html.escape is what django.utils.html.escape runs, without its lazy-string wrapper, which
    # cost more than the escaping for a page of options; already-safe strings pass unchanged.
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


@register.simple_tag
def select_options(field, truncate: int | None = None) -> str:
    """The <option>s of a bound choice field, the submitted value selected; labels escaped
    (and cut to ``truncate`` characters)."""
    chosen = field.value()
    options = []
    for value, label in field.field.choices:
        text = Truncator(label).chars(truncate) if truncate else label
        selected = " selected" if value == chosen else ""
        options.append(f'<option value="{_escape(value)}"{selected}>{_escape(text)}</option>')
    return mark_safe("".join(options))  # noqa: S308  (every value escaped above)


@register.simple_tag
def checkbox_items(name: str, items) -> str:
    """GOV.UK small-checkbox items (input and label) for (value, label, ticked) triples."""
    name = _escape(name)
    rows = []
    for value, label, ticked in items:
        value, checked = _escape(value), " checked" if ticked else ""
        rows.append(
            '<div class="govuk-checkboxes__item">'
            f'<input class="govuk-checkboxes__input" id="id_{name}_{value}" name="{name}"'
            f' type="checkbox" value="{value}"{checked}>'
            f'<label class="govuk-label govuk-checkboxes__label" for="id_{name}_{value}">'
            f"{_escape(label)}</label></div>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308  (every value escaped above)


_FACT = (
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
    '<dd class="govuk-summary-list__value">{}</dd></div>'
)
_DEMO_TAG = '<strong class="govuk-tag govuk-tag--grey app-demo-tag">Demo data</strong>'


@register.simple_tag
def result_cards(cards) -> str:
    """The search results (ServiceCards) as GOV.UK result items: name, demo tag, organisation,
    distance, status unless active, summary, then ages, languages and first phone."""
    items = []
    for card in cards:
        distance = (
            f' · <span class="app-directory-distance">{_escape(card.miles)} miles away</span>'
            if card.distance is not None
            else ""
        )
        status = (
            '<p class="govuk-body-s"><strong class="govuk-tag govuk-tag--yellow">'
            f"{_escape(card.status_label)}</strong></p>"
            if card.status != "active"
            else ""
        )
        facts = [_FACT.format("Ages", _escape(card.ages))]
        if card.languages:
            facts.append(_FACT.format("Languages", _escape(card.languages_text)))
        if card.first_phone:
            facts.append(_FACT.format("Phone", _escape(card.first_phone)))
        items.append(
            '<li class="app-directory-result">'
            '<h2 class="govuk-heading-m govuk-!-margin-bottom-1">'
            f'<a class="govuk-link" href="{_escape(card.url)}">{_escape(card.name)}</a>\n'
            f"{_DEMO_TAG if card.demo else ''}</h2>\n"
            '<p class="govuk-body-s govuk-!-margin-bottom-2">'
            f"{_escape(card.organization_name)}{distance}</p>\n"
            f'{status}<p class="govuk-body">{_escape(card.summary)}</p>\n'
            '<dl class="govuk-summary-list govuk-summary-list--no-border app-directory-facts">'
            f"{''.join(facts)}</dl></li>"
        )
    return mark_safe("\n".join(items))  # noqa: S308  (every value escaped above)
