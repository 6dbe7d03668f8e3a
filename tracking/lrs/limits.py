"""Per-client limits on the LRS: statements per POST and requests per minute (issue 15)."""

import time

from django.conf import settings
from django.core.cache import cache

from tracking.lrs.errors import XAPIError
from tracking.lrs.models import LRSClient


class XAPITooLarge(XAPIError):
    status = 413


class XAPITooManyRequests(XAPIError):
    """429; `retry_after` is the number of seconds until the client's window resets."""

    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def batch_size_check(*, count: int) -> None:
    """Raise XAPITooLarge when a POST carries more statements than settings.LRS_MAX_BATCH."""
    limit = settings.LRS_MAX_BATCH
    if limit and count > limit:
        raise XAPITooLarge(
            f"statements: {count} in one request; this LRS takes at most {limit} per POST, "
            "send them in smaller batches"
        )


def client_rate_check(*, client: LRSClient) -> None:
    """Count a request against the client's fixed one-minute window (the shared cache);
    raise XAPITooManyRequests past settings.LRS_RATE_LIMIT_PER_MINUTE (0: no limit)."""
    limit = settings.LRS_RATE_LIMIT_PER_MINUTE
    if not limit:
        return
    now = time.time()
    window = int(now // 60)
    key = f"lrs-rate:{client.pk}:{window}"
    # add() then incr(): atomic on Redis and on the local-memory cache alike.
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add() and incr(): this request starts the window
        cache.set(key, 1, timeout=120)
        count = 1
    if count > limit:
        retry_after = max(1, int((window + 1) * 60 - now) + 1)
        raise XAPITooManyRequests(
            f"this client has made more than {limit} requests this minute; "
            f"retry after {retry_after} s",
            retry_after=retry_after,
        )
