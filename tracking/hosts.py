"""Which hosts a destination LRS may be on: never this machine or a private network, unless
settings.LRS_DESTINATION_ALLOWED_HOSTS names the host (issue 15: a destination address is a
request the platform makes on an admin's behalf, so it must not reach internal services)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

# Names that mean this machine whatever DNS says.
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


class DestinationRefused(Exception):
    """A destination whose address is refused; the message says why, in a sentence."""


def _kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Why an address is refused ("" when it is public)."""
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_private:
        return "private"
    if address.is_unspecified or address.is_reserved or address.is_multicast:
        return "reserved"
    return ""


def _allowed(host: str) -> bool:
    return host.lower() in {h.lower() for h in settings.LRS_DESTINATION_ALLOWED_HOSTS}


def host_refusal(*, url: str, resolve: bool = False) -> str:
    """Why a destination address may not be used ("" when it may).

    Without `resolve`, only what the address itself says (an IP literal or a local name), so
    forms never wait on DNS; with it, every address the name resolves to is checked too, as
    delivery does just before connecting.
    """
    host = (urlsplit(url).hostname or "").rstrip(".")
    if not host:
        return "the address has no host name"
    if _allowed(host):
        return ""
    if host.lower() in LOCAL_NAMES:
        return f"{host} is this machine (loopback)"
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        kind = _kind(literal)
        return f"{host} is a {kind} address" if kind else ""
    if not resolve:
        return ""
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return ""  # unresolvable: the connection fails on its own, with its own error
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        kind = _kind(address)
        if kind:
            return f"{host} resolves to {address}, a {kind} address"
    return ""


def host_check(*, url: str, resolve: bool = False) -> None:
    """Raise DestinationRefused when host_refusal gives a reason."""
    reason = host_refusal(url=url, resolve=resolve)
    if reason:
        raise DestinationRefused(
            f"{reason}; destinations must be on a public address "
            "(an administrator can allow a host with LRS_DESTINATION_ALLOWED_HOSTS)"
        )
