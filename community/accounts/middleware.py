"""`Authorization: Bearer <token>` on HTTP, for the mobile app; sessions keep working for browsers."""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from community.accounts import services
from community.graphql.auth import bearer_token


class BearerTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = bearer_token(request.META.get("HTTP_AUTHORIZATION"))
        request.bearer_token = token
        if token is not None:
            request.user = SimpleLazyObject(lambda: services.user_for_token(token) or AnonymousUser())
        return self.get_response(request)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:5555"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address, networks) -> bool:
    if getattr(address, "ipv4_mapped", None) is not None:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def client_ip(request) -> str:
    """The client's address, for rate limits. REMOTE_ADDR, unless that is one of settings.TRUSTED_PROXIES:
    then X-Forwarded-For is walked from the right (each proxy appends the address it saw), skipping trusted
    proxies, and the first address no trusted proxy claims is the client. Entries further left were written
    by the client and are never believed, so a forged header cannot choose the address that is limited."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    address = _address(remote)
    if not networks or address is None or not _trusted(address, networks):
        return remote
    nearest = str(address)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        hop_address = _address(hop)
        if hop_address is None:
            return nearest  # garbage no trusted proxy would write: stop at the last address one vouched for
        if not _trusted(hop_address, networks):
            return str(hop_address)
        nearest = str(hop_address)
    return nearest
