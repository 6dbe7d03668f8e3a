"""The directory search: filters, distance and ordering in the ORM, one path for every database.

Every filter (category, language, age, area, delivery, free, open now, distance) is an ORM
condition on published services; the text match is directory/selectors/search_text.py (the
stored search document on PostgreSQL, containment on SQLite). Results are ServiceCards, read a
page at a time with the total as a window count.
"""

import calendar
import datetime
import math

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import ASin, Concat, Cos, Power, Radians, Sin, Sqrt
from django.utils import timezone
from django.utils.text import Truncator

from directory.models import (
    DEMO_DATA_TERM,
    Attribute,
    Language,
    Phone,
    ReviewStatus,
    Schedule,
    ScheduleFrequency,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from directory.models.validators import RRULE_DAYS
from directory.selectors.postcodes import Point
from directory.selectors.search_query import (
    DELIVERY_FIELDS,
    EARTH_RADIUS_MILES,
    SearchResults,
    ServiceCard,
    ServiceQuery,
    Sort,
    age_range,
    bounding_box,
)
from directory.selectors.search_text import service_text_filter, text_query_parse

__all__ = [
    "EARTH_RADIUS_MILES",
    "ServiceCard",
    "ServiceQuery",
    "Sort",
    "bounding_box",
    "byday_tokens",
    "haversine_miles",
    "schedules_open",
    "service_filtered",
    "service_search",
    "service_search_page",
]


def haversine_miles(*, lat_field: str, lng_field: str, origin: Point):
    """A SQL expression: great-circle miles from ``origin`` to the row's coordinates."""
    lat0 = math.radians(origin.latitude)
    lng0 = math.radians(origin.longitude)
    dlat = (Radians(F(lat_field)) - lat0) / 2
    dlng = (Radians(F(lng_field)) - lng0) / 2
    inner = Power(Sin(dlat), 2) + math.cos(lat0) * Cos(Radians(F(lat_field))) * Power(Sin(dlng), 2)
    return 2 * EARTH_RADIUS_MILES * ASin(Sqrt(inner), output_field=FloatField())


def byday_tokens(*, day: datetime.date) -> tuple[str, str, str]:
    """The RFC 5545 BYDAY values that fall on ``day``: its weekday ("TH"), its occurrence in
    the month ("4TH") and its occurrence counted from the month's end ("-1TH")."""
    code = RRULE_DAYS[day.weekday()]
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    return code, f"{(day.day - 1) // 7 + 1}{code}", f"-{(days_in_month - day.day) // 7 + 1}{code}"


def _falls_on(day: datetime.date) -> Q:
    # Whole comma-separated items (",TH," in ",-1TH,") so "TH" never matches inside "-1TH".
    weekday, *numbered = byday_tokens(day=day)
    weekly = Q(freq=ScheduleFrequency.WEEKLY, days__contains=f",{weekday},")
    monthly = Q()
    for token in (weekday, *numbered):
        monthly |= Q(days__contains=f",{token},")
    return weekly | (Q(freq=ScheduleFrequency.MONTHLY) & monthly)


def schedules_open(*, at: datetime.datetime) -> QuerySet[Schedule]:
    """Schedules open at ``at`` (local time): weekly days or monthly occurrences ("-1TH")
    whose hours cover it, including overnight hours that began the day before."""
    local = timezone.localtime(at)
    today, now = local.date(), local.time()
    yesterday = today - datetime.timedelta(days=1)
    valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    starts_today = _falls_on(today) & (
        Q(opens_at__isnull=True, closes_at__isnull=True)
        | Q(opens_at__lte=now, closes_at__gt=now)
        | Q(opens_at__lte=now, closes_at__isnull=True)
        # Overnight (closes before it opens) or round the clock (closes when it opens).
        | Q(opens_at__lte=now, closes_at__lte=F("opens_at"))
    )
    from_yesterday = _falls_on(yesterday) & Q(closes_at__lt=F("opens_at"), closes_at__gt=now)
    return Schedule.objects.annotate(days=Concat(Value(","), "byday", Value(","))).filter(
        valid & (starts_today | from_yesterday)
    )


def service_filtered(*, query: ServiceQuery) -> QuerySet[Service]:
    """Published services matching every filter in ``query`` (no text search, no ordering)."""
    services = Service.objects.filter(review_status=ReviewStatus.PUBLISHED)
    if query.categories:
        terms = TaxonomyTerm.objects.filter(
            Q(term__in=query.categories) | Q(parent__term__in=query.categories)
        )
        services = services.filter(
            Exists(Attribute.objects.filter(service=OuterRef("pk"), taxonomy_term__in=terms))
        )
    if query.language:
        services = services.filter(
            Exists(Language.objects.filter(service=OuterRef("pk"), code=query.language.lower()))
        )
    if query.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=query.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=query.age),
        )
    if query.area:
        services = services.filter(
            Exists(ServiceArea.objects.filter(service=OuterRef("pk"), name__iexact=query.area))
        )
    if query.delivery:
        either = Q()
        for method in query.delivery:
            either |= Q(**{DELIVERY_FIELDS[method]: True})
        services = services.filter(either)
    if query.free_only:
        services = services.filter(free=True)
    if query.open_now:
        open_schedules = schedules_open(at=query.at or timezone.now()).filter(
            service=OuterRef("pk")
        )
        services = services.exclude(status=ServiceStatus.TEMPORARILY_CLOSED).filter(
            Exists(open_schedules)
        )
    if query.near is not None and query.within_miles is not None:
        # The bounding box lets the (latitude, longitude) index find candidates; haversine
        # then keeps those truly within the distance. Confidential locations never count.
        min_lat, max_lat, min_lng, max_lng = bounding_box(
            origin=query.near, miles=query.within_miles
        )
        nearby = (
            ServiceAtLocation.objects.filter(
                service=OuterRef("pk"),
                location__confidential=False,
                location__latitude__range=(min_lat, max_lat),
                location__longitude__range=(min_lng, max_lng),
            )
            .annotate(
                miles=haversine_miles(
                    lat_field="location__latitude",
                    lng_field="location__longitude",
                    origin=query.near,
                )
            )
            .filter(miles__lte=query.within_miles)
        )
        # Services for the whole country are near everyone; their cards say "National".
        services = services.filter(Exists(nearby) | Exists(_national_areas()))
    return services


# Area names that mean a service covers the whole country (compared case-insensitively).
NATIONAL_AREAS = (
    "national",
    "nationwide",
    "uk",
    "united kingdom",
    "great britain",
    "england",
    "england and wales",
    "wales",
    "scotland",
    "northern ireland",
)


def _national_areas() -> QuerySet[ServiceArea]:
    either = Q()
    for name in NATIONAL_AREAS:
        either |= Q(name__iexact=name) | Q(extent_type__iexact="national")
    return ServiceArea.objects.filter(either, service=OuterRef("pk"))


def _with_distance(services: QuerySet[Service], *, origin: Point) -> QuerySet[Service]:
    # Confidential locations (refuges) never take part: a distance would reveal where they are.
    nearest = (
        ServiceAtLocation.objects.filter(
            service=OuterRef("pk"),
            location__confidential=False,
            location__latitude__isnull=False,
            location__longitude__isnull=False,
        )
        .annotate(
            miles=haversine_miles(
                lat_field="location__latitude", lng_field="location__longitude", origin=origin
            )
        )
        .order_by("miles")
        .values("miles")[:1]
    )
    return services.annotate(distance=Subquery(nearest, output_field=FloatField()))


def _for_cards(services: QuerySet[Service]) -> QuerySet[Service]:
    """Only what a result card shows: organisation, languages, first phone, demo-data flag."""
    demo = Attribute.objects.filter(service=OuterRef("pk"), taxonomy_term__term=DEMO_DATA_TERM)
    first_phone = Phone.objects.filter(service=OuterRef("pk")).order_by("sort_order", "pk")
    return (
        services.defer("search_document")
        .select_related("organization")
        .annotate(
            demo=Exists(demo),
            first_phone=Subquery(first_phone.values("number")[:1]),
            national=Exists(_national_areas()),
        )
        .prefetch_related("languages")
    )


def _card(service: Service) -> ServiceCard:
    """The card of a Service loaded by _for_cards."""
    return ServiceCard(
        id=service.pk,
        name=service.name,
        url=service.get_absolute_url(),
        organization_name=service.organization.name if service.organization else "",
        summary=Truncator(service.description).words(40, truncate=" …"),
        status=service.status,
        status_label=service.get_status_display(),
        ages=age_range(service.minimum_age, service.maximum_age),
        languages=tuple(language.name for language in service.languages.all()),
        first_phone=service.first_phone,
        demo=service.demo,
        distance=getattr(service, "distance", None),
        national=service.national,
    )


def _orm_results(services: QuerySet[Service], *, with_distance: bool) -> SearchResults:
    # Two queries per slice, as the hand-written reference does: the matches ranked narrowly
    # (id, the total as a window count, the distance) and cut to the page, then only the page's
    # rows widened into cards. Widening every match before the cut computed each card's
    # subqueries (first phone, demo flag, national) for rows the page never shows.
    def load(start: int, stop: int | None) -> tuple[list[ServiceCard], int | None]:
        fields = ["pk", "total", *(["distance"] if with_distance else [])]
        ranked = list(services.annotate(total=Window(Count("*"))).values_list(*fields)[start:stop])
        wide = _for_cards(Service.objects.filter(pk__in=[row[0] for row in ranked]))
        by_id = {service.pk: service for service in wide}
        cards = []
        for row in ranked:
            service = by_id.get(row[0])
            if service is None:  # deleted between the two reads
                continue
            if with_distance:
                service.distance = row[2]
            cards.append(_card(service))
        return cards, ranked[0][1] if ranked else None

    return SearchResults(load=load, count_all=services.count)


def service_search(*, query: ServiceQuery) -> SearchResults:
    """Published services for a search: a sliceable, countable sequence of ServiceCards.

    Relevance puts exact name matches first, then names holding the first word, then the text
    rank (PostgreSQL); distance needs ``query.near``, and national services (which have no
    distance) come last; a card's ``distance`` is in miles (None without a postcode).
    """
    services = service_filtered(query=query)
    with_distance = query.near is not None
    if with_distance:
        services = _with_distance(services, origin=query.near)
    text = text_query_parse(text=query.text)
    sort = query.sort
    if sort == Sort.DISTANCE and not with_distance:
        sort = Sort.RELEVANCE
    if text:
        services = service_text_filter(services, query=text, rank=sort == Sort.RELEVANCE)
    if sort == Sort.DISTANCE:
        services = services.order_by(F("distance").asc(nulls_last=True), "name", "pk")
    elif sort == Sort.NAME or not text:
        services = services.order_by("name", "pk")
    else:
        services = services.order_by("-name_rank", "-text_rank", "name", "pk")
    return _orm_results(services, with_distance=with_distance)


def service_search_page(*, query: ServiceQuery, number, per_page: int) -> Page:
    """One page of result cards as Django's Page: a bad number gives page 1, past the end the
    last. On PostgreSQL the page's one query carries the total, so there is no COUNT."""
    results = service_search(query=query)
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    if isinstance(results, SearchResults):
        results.fetch((wanted - 1) * per_page, wanted * per_page)
    return Paginator(results, per_page).get_page(wanted)
