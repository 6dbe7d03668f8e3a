"""Field validators for directory data: UK postcodes, phone numbers, ISO 639-3 codes, RRULE days."""

import re

import phonenumbers
import pycountry
from django.core.exceptions import ValidationError
from phonenumbers import shortnumberinfo

# The GOV.UK / ONS pattern for a UK postcode, with the space optional; GIR 0AA included.
UK_POSTCODE_RE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ][0-9]{1,2} ?[0-9][ABD-HJLNP-UW-Z]{2}|"
    r"[A-PR-UWYZ][A-HK-Y][0-9]{1,2} ?[0-9][ABD-HJLNP-UW-Z]{2}|"
    r"[A-PR-UWYZ][0-9][A-HJKPSTUW] ?[0-9][ABD-HJLNP-UW-Z]{2}|"
    r"[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY] ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def postcode_normalise(value: str) -> str:
    """Upper-case a postcode and put one space before the inward code ("ol11aa" -> "OL1 1AA")."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_uk_postcode(value: str) -> None:
    """Raise ValidationError unless the value is a well-formed UK postcode."""
    if not UK_POSTCODE_RE.match(postcode_normalise(value)):
        raise ValidationError("Enter a real UK postcode, like OL1 1AA", code="postcode")


def validate_uk_phone(value: str) -> None:
    """Raise ValidationError unless the value is a valid UK phone number or UK short number."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException as error:
        raise ValidationError("Enter a phone number, like 0161 496 0000", code="phone") from error
    if phonenumbers.is_valid_number(number):
        return
    # Helplines such as 116 000 and 116 123 are UK short numbers, not full national numbers.
    if shortnumberinfo.is_valid_short_number_for_region(number, "GB"):
        return
    raise ValidationError("Enter a phone number, like 0161 496 0000", code="phone")


def validate_iso639_3(value: str) -> None:
    """Raise ValidationError unless the value is an ISO 639-3 language code (Romani is "rom")."""
    if not value or pycountry.languages.get(alpha_3=value.lower()) is None:
        raise ValidationError(
            "Enter an ISO 639-3 language code, like eng, rom or pol", code="language"
        )


# RFC 5545 BYDAY: a weekday, optionally with its occurrence in the month for MONTHLY rules
# ("1MO" the first Monday, "-1TH" the last Thursday); ORUK 3.0 schedule.byday says the same.
BYDAY_RE = re.compile(r"^(?P<ordinal>[+-]?[1-5])?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
BYDAY_MESSAGE = (
    "Enter days as MO,TU,WE,TH,FR,SA,SU; for a monthly time, 1MO is the first Monday "
    "and -1TH the last Thursday"
)


def byday_parts(value: str) -> list[tuple[int | None, str]]:
    """ "1MO,-1TH,SA" -> [(1, "MO"), (-1, "TH"), (None, "SA")]; raises ValueError when malformed."""
    parts = []
    for token in (value or "").split(","):
        token = token.strip().upper()
        if not token:
            continue
        match = BYDAY_RE.match(token)
        if match is None:
            raise ValueError(token)
        ordinal = match["ordinal"]
        parts.append((int(ordinal) if ordinal else None, match["day"]))
    return parts


def validate_byday(value: str) -> None:
    """Raise ValidationError unless the value is a comma list of RFC 5545 days (MO, 1MO, -1TH)."""
    try:
        parts = byday_parts(value)
    except ValueError:
        parts = []
    if not parts:
        raise ValidationError(BYDAY_MESSAGE, code="byday")


def language_name(code: str) -> str:
    """The English name of an ISO 639-3 code, or the code itself when unknown."""
    language = pycountry.languages.get(alpha_3=(code or "").lower())
    return language.name if language else code


def language_code_iso639_3(value: str) -> str | None:
    """The ISO 639-3 code for a 2-letter (ISO 639-1) or bibliographic (ISO 639-2/B) code or an
    English name: "pl" -> "pol", "ger" -> "deu", "Polish" -> "pol"; None when unknown."""
    text = (value or "").strip()
    if not text:
        return None
    lookups = (
        {"alpha_3": text.lower()},
        {"alpha_2": text.lower()},
        {"bibliographic": text.lower()},
        {"name": text},
    )
    for lookup in lookups:
        try:
            language = pycountry.languages.get(**lookup)
        except (KeyError, LookupError):
            language = None
        if language is not None and hasattr(language, "alpha_3"):
            return language.alpha_3
    return None
