"""The client's address, also behind reverse proxies we trust.

`settings.TRUSTED_PROXY_COUNT` (env TRUSTED_PROXY_COUNT, default 0) says how
many reverse proxies of our own stand in front of the application. Each of
them appends the address it received the request from to X-Forwarded-For, so
the client is the entry that many places from the right; entries further
left were written by the client and are not believed. With 0 (the default,
no proxy) only REMOTE_ADDR counts and X-Forwarded-For is ignored, since
anybody can send it.

Login throttling (django-axes, through AXES_CLIENT_IP_CALLABLE) and the rate
limit of the municipal service's public form both use `client_ip`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address: from X-Forwarded-For behind trusted proxies, else REMOTE_ADDR ("" if none)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            address = _valid(hops[-count])
            if address:
                return address
    return remote
