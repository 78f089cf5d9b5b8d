"""Who is visiting, as an unlinkable daily key rather than an address.

Addresses are parsed with socket.inet_pton rather than the ipaddress module:
they are parsed two or three times per hit, and ipaddress builds objects
that cost several times more than the C parser (tests compare both on many
forms, so they accept and reject the same strings).
"""

import hashlib
import hmac
import socket
from ipaddress import IPv4Network, IPv6Network

from counter.store import Store

Network = IPv4Network | IPv6Network

IPV6_FLOOD_PREFIX = 64
"""One IPv6 subscriber gets a whole /64 (often far more), so a flood is limited per /64."""

_IPV4_MAPPED_PREFIX = bytes(10) + b"\xff\xff"


def parse_address(text: str) -> bytes | None:
    """The 4 or 16 bytes of an IPv4 or IPv6 address (an IPv6 zone index allowed), as ipaddress.ip_address reads it; else None."""
    try:
        return socket.inet_pton(socket.AF_INET, text)
    except (OSError, ValueError):
        pass
    address, percent, zone = text.partition("%")
    if percent and (not zone or "%" in zone):
        return None
    try:
        return socket.inet_pton(socket.AF_INET6, address)
    except (OSError, ValueError):
        return None


class TrustedProxies:
    """The networks allowed to set X-Forwarded-For, held as integers so that a check builds no object."""

    def __init__(self, networks: tuple[Network, ...]):
        self.networks = tuple(networks)
        self._by_length: dict[int, list[tuple[int, int]]] = {4: [], 16: []}
        for network in self.networks:
            self._by_length[network.max_prefixlen // 8].append((int(network.network_address), int(network.netmask)))

    def __bool__(self) -> bool:
        return bool(self.networks)

    def __contains__(self, address: str) -> bool:
        packed = parse_address(address)
        if packed is None:
            return False
        number = int.from_bytes(packed, "big")
        return any(number & mask == network for network, mask in self._by_length[len(packed)])


def client_address(environ: dict, trusted_proxies: TrustedProxies | tuple[Network, ...]) -> str:
    """The visitor's address: the direct peer, unless that peer is a trusted proxy.

    Behind trusted proxies the X-Forwarded-For chain is read from the right,
    skipping our own proxies, because only the entries they appended are
    trustworthy; anything further left was written by the client.
    """
    if not isinstance(trusted_proxies, TrustedProxies):
        trusted_proxies = TrustedProxies(trusted_proxies)
    peer = environ.get("REMOTE_ADDR", "")
    if not trusted_proxies or peer not in trusted_proxies:
        return peer
    forwarded = [hop.strip() for hop in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    address = peer
    for hop in reversed([hop for hop in forwarded if hop]):
        address = hop
        if hop not in trusted_proxies:
            break
    return address


def address_network(address: str) -> str:
    """What the flood limit is keyed on: an IPv4 address (/32), or the /64 of an IPv6 one.

    Kept in memory only, like the address it comes from. An IPv4 address
    mapped into IPv6 counts as the IPv4 address; anything unparsable is its
    own key.
    """
    packed = parse_address(address.split("%", 1)[0])
    if packed is None:
        return address[:64]
    if len(packed) == 4:
        return socket.inet_ntop(socket.AF_INET, packed)
    if packed.startswith(_IPV4_MAPPED_PREFIX):
        return socket.inet_ntop(socket.AF_INET, packed[12:])
    return socket.inet_ntop(socket.AF_INET6, packed[: IPV6_FLOOD_PREFIX // 8] + bytes(16 - IPV6_FLOOD_PREFIX // 8)) + (
        f"/{IPV6_FLOOD_PREFIX}"
    )


class VisitorKeys:
    """HMAC-SHA256 of address and user agent under the salt of the current day.

    The salt is kept in memory for the day it belongs to only; when the day
    changes it is replaced, and the store destroys the previous one, so keys of
    different days cannot be linked.
    """

    def __init__(self, store: Store):
        self._store = store
        # An HMAC already keyed with the day's salt, copied for each key: this
        # spares hashing the salt's two padded blocks again on every hit.
        self._day_and_keyed: tuple[str, hmac.HMAC] | None = None

    def key(self, address: str, user_agent: str, day: str) -> str:
        current = self._day_and_keyed
        if current is None or current[0] != day:
            current = (day, hmac.new(self._store.salt_for(day), digestmod=hashlib.sha256))
            self._day_and_keyed = current
        keyed = current[1].copy()
        keyed.update(f"{address}\n{user_agent}".encode("utf-8", "surrogateescape"))
        # 128 bits are plenty to tell a day's visitors apart, and keep indexes small.
        return keyed.hexdigest()[:32]
