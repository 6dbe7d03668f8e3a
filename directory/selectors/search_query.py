"""What a directory search asks for (ServiceQuery) and what each result card shows (ServiceCard).

The search (search.py) builds a ServiceQuery from the form and returns ServiceCards.
"""

import datetime
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from directory.selectors.postcodes import Point

EARTH_RADIUS_MILES = 3958.8
# Delivery filter values and the Service columns that say a service delivers that way.
DELIVERY_FIELDS = {
    "in_person": "delivers_in_person",
    "phone": "delivers_by_phone",
    "online": "delivers_online",
}


class Sort:
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    NAME = "name"


@dataclass(frozen=True)
class ServiceQuery:
    """Everything a search can ask for; the search form builds one from the URL."""

    text: str = ""
    categories: Sequence[str] = ()
    language: str = ""
    age: int | None = None
    area: str = ""
    delivery: Sequence[str] = ()
    free_only: bool = False
    open_now: bool = False
    near: Point | None = None
    within_miles: float | None = None
    sort: str = Sort.RELEVANCE
    at: datetime.datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ServiceCard:
    """One search result as its card shows it: plain values, read with the page's rows."""

    id: uuid.UUID
    name: str
    url: str
    organization_name: str
    summary: str  # the description cut to 40 words
    status: str
    status_label: str
    ages: str
    languages: tuple[str, ...]
    first_phone: str | None
    demo: bool
    distance: float | None  # miles to the nearest non-confidential location; None without one
    national: bool = False  # covers the whole country: shown as "National" in distance searches

    @property
    def pk(self) -> uuid.UUID:
        return self.id

    @property
    def miles(self) -> str:
        """The distance to one decimal place, rounded half up as the floatformat filter does."""
        if self.distance is None:
            return ""
        return str(Decimal(repr(self.distance)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    @property
    def miles_text(self) -> str:
        """ "1 mile", "0.5 miles", "2 miles" or "less than 0.1 miles": the distance in words."""
        if self.distance is None:
            return ""
        miles = self.miles.removesuffix(".0")
        if miles == "0":
            return "less than 0.1 miles"
        return f"{miles} mile" if miles == "1" else f"{miles} miles"

    @property
    def languages_text(self) -> str:
        return ", ".join(self.languages)


def bounding_box(*, origin: Point, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) enclosing a circle; lets an index prefilter rows."""
    dlat = math.degrees(miles / EARTH_RADIUS_MILES)
    dlng = dlat / max(math.cos(math.radians(origin.latitude)), 0.01)
    return (
        origin.latitude - dlat,
        origin.latitude + dlat,
        origin.longitude - dlng,
        origin.longitude + dlng,
    )


def age_range(minimum: int | None, maximum: int | None) -> str:
    """ "5 to 25", "Up to 18", "16 and over" or "All ages"."""
    if minimum is not None and maximum is not None:
        return f"{minimum} to {maximum}"
    if maximum is not None:
        return f"Up to {maximum}"
    if minimum is not None:
        return f"{minimum} and over"
    return "All ages"


class SearchResults:
    """Result cards, sliceable and countable for Django's Paginator.

    ``load(start, stop)`` returns that slice's cards and the number of matches (None when the
    slice was empty past the end, as a window count cannot tell); ``count_all()`` counts alone.
    Hand-written because Django's Paginator always counts in a query of its own.
    """

    def __init__(
        self,
        *,
        load: Callable[[int, int | None], tuple[list[ServiceCard], int | None]],
        count_all: Callable[[], int],
    ):
        self.load = load
        self.count_all = count_all
        self.total: int | None = None
        self._pages: dict[int, tuple[int | None, list[ServiceCard]]] = {}

    def fetch(self, start: int, stop: int | None) -> list[ServiceCard]:
        """The cards from ``start`` to ``stop`` in order; learns the total as it goes."""
        if start in self._pages:
            fetched_stop, rows = self._pages[start]
            reached_end = fetched_stop is None or len(rows) < fetched_stop - start
            if reached_end or (stop is not None and stop <= fetched_stop):
                return rows if stop is None else rows[: stop - start]
        cards, total = self.load(start, stop)
        if total is not None:
            self.total = total
        elif start == 0:
            self.total = 0
        self._pages[start] = (stop, cards)
        return cards

    def count(self) -> int:
        if self.total is None:
            self.total = self.count_all()
        return self.total

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self.fetch(0, None))

    def __getitem__(self, key: slice) -> list[ServiceCard]:
        return self.fetch(key.start or 0, key.stop)
