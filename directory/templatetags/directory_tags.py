"""Template filters for directory pages: opening days and ages in plain English."""

from django import template

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


@register.filter
def byday_label(value: str) -> str:
    """ "MO,TU,WE,TH,FR" -> "Monday to Friday"; "SA,SU" -> "Saturday and Sunday"."""
    days = [d for d in ORDER if d in {p.strip().upper() for p in (value or "").split(",")}]
    if len(days) == 7:
        return "Every day"
    indexes = [ORDER.index(d) for d in days]
    if len(days) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    names = [DAY_NAMES[d] for d in days]
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


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
    """ "5 to 25", "up to 18", "16 and over" or "All ages"."""
    if minimum is not None and maximum is not None:
        return f"{minimum} to {maximum}"
    if maximum is not None:
        return f"Up to {maximum}"
    if minimum is not None:
        return f"{minimum} and over"
    return "All ages"
