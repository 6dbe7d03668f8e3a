"""Template filters for directory pages: opening days, times and ages in plain English.

Markup lives in templates (templates/components/ for the GOV.UK components); these only
return text, which the templates escape."""

from django import template

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
