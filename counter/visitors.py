"""Who is visiting, as an unlinkable daily key rather than an address."""

import hashlib
import hmac
from ipaddress import IPv4Address, IPv4Network, IPv6Network, ip_address

from counter.store import Store

Network = IPv4Network | IPv6Network


def client_address(environ: dict, trusted_proxies: tuple[Network, ...]) -> str:
    """The visitor's address: the direct peer, unless that peer is a trusted proxy.

    Behind trusted proxies the X-Forwarded-For chain is read from the right,
    skipping our own proxies, because only the entries they appended are
    trustworthy; anything further left was written by the client.
    """
    peer = environ.get("REMOTE_ADDR", "")
    if not _is_trusted(peer, trusted_proxies):
        return peer
    forwarded = [hop.strip() for hop in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    address = peer
    for hop in reversed([hop for hop in forwarded if hop]):
        address = hop
        if not _is_trusted(hop, trusted_proxies):
            break
    return address


IPV6_FLOOD_PREFIX = 64
"""One IPv6 subscriber gets a whole /64 (often far more), so a flood is limited per /64."""


def address_network(address: str) -> str:
    """What the flood limit is keyed on: an IPv4 address (/32), or the /64 of an IPv6 one.

    Kept in memory only, like the address it comes from. An IPv4 address
    mapped into IPv6 counts as the IPv4 address; anything unparsable is its
    own key.
    """
    try:
        parsed = ip_address(address.split("%", 1)[0])
    except ValueError:
        return address[:64]
    if isinstance(parsed, IPv4Address):
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(IPv6Network((int(parsed) >> (128 - IPV6_FLOOD_PREFIX) << (128 - IPV6_FLOOD_PREFIX), IPV6_FLOOD_PREFIX)))


def _is_trusted(address: str, trusted_proxies: tuple[Network, ...]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in trusted_proxies)


class VisitorKeys:
    """HMAC-SHA256 of address and user agent under the salt of the current day.

    The salt is kept in memory for the day it belongs to only; when the day
    changes it is replaced, and the store destroys the previous one, so keys of
    different days cannot be linked.
    """

    def __init__(self, store: Store):
        self._store = store
        self._day_and_salt: tuple[str, bytes] | None = None

    def key(self, address: str, user_agent: str, day: str) -> str:
        current = self._day_and_salt
        if current is None or current[0] != day:
            current = (day, self._store.salt_for(day))
            self._day_and_salt = current
        message = f"{address}\n{user_agent}".encode("utf-8", "surrogateescape")
        # 128 bits are plenty to tell a day's visitors apart, and keep indexes small.
        return hmac.new(current[1], message, hashlib.sha256).hexdigest()[:32]
