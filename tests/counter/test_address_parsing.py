"""The fast address parsing (socket.inet_pton) agrees with the ipaddress module on every form tried."""

import hashlib
import hmac
import random
from ipaddress import IPv4Address, IPv6Network, ip_address, ip_network

import pytest

from counter.visitors import TrustedProxies, VisitorKeys, address_network

WRITTEN_FORMS = [
    "198.51.100.4", "0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1.2.3.04",
    " 1.2.3.4", "1.2.3.4 ", "1.2.3.4%eth0", "1..2.3", "", "%", "localhost", "not an address", "1.2.3.4\x00",
    "١.٢.٣.٤", "0x1.2.3.4", "1e2.1.1.1",
    "::", "::1", "2001:db8::1", "2001:DB8:1:2:3:4:5:6", "2001:db8:1:2::", "2001:db8::1:2:3:4:5:6",
    "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "1::2::3", "12345::", "g::1", ":1::", "1::1:",
    "::ffff:198.51.100.4", "::FFFF:198.51.100.4", "::ffff:c633:6404", "::198.51.100.4", "::ffff:1.2.3.04",
    "::ffff:256.1.1.1", "1.2.3.4::", "64:ff9b::1.2.3.4", "fe80::1%eth0", "fe80::1%", "fe80::1%a%b",
    "fe80::1%25eth0", "::1%1", "[::1]", "2001:db8::1/64", "0:0:0:1::", "2001:0db8:0000:0000:0001:0000:0000:0001",
]


def random_forms(count: int) -> list[str]:
    """Addresses written in many ways, valid and not, from a fixed seed."""
    chooser = random.Random(20261201)
    forms = []
    for _ in range(count):
        kind = chooser.randrange(4)
        if kind == 0:
            forms.append(".".join(str(chooser.choice([0, 1, 9, 10, 99, 100, 255, 256, 999])) for _ in range(4)))
        elif kind == 1:
            groups = [format(chooser.choice([0, 0, 0, 1, 0xDB8, 0xFFFF, 0x2001]), chooser.choice(["x", "X", "04x"]))
                      for _ in range(8)]
            text = ":".join(groups)
            if chooser.random() < 0.5:
                text = str(ip_address(text)) if chooser.random() < 0.5 else text.replace(":0:", "::", 1)
            forms.append(text)
        elif kind == 2:
            forms.append(f"::ffff:{chooser.randrange(300)}.{chooser.randrange(300)}.1.{chooser.randrange(300)}")
        else:
            forms.append(f"fe80::{chooser.randrange(0x10000):x}%{chooser.choice(['eth0', '', '1', 'a%b'])}")
    return forms


def reference_network(address: str) -> str:
    """What address_network returned when it was written with the ipaddress module."""
    try:
        parsed = ip_address(address.split("%", 1)[0])
    except ValueError:
        return address[:64]
    if isinstance(parsed, IPv4Address):
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(IPv6Network((int(parsed) >> 64 << 64, 64)))


def reference_is_trusted(address: str, trusted) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in trusted)


ALL_FORMS = WRITTEN_FORMS + random_forms(3000)
TRUSTED = (ip_network("10.0.0.0/8"), ip_network("198.51.100.4"), ip_network("2001:db8::/32"),
           ip_network("fe80::/10"), ip_network("::ffff:0:0/96"))


def test_the_flood_limit_key_is_the_one_the_ipaddress_module_gives_for_every_form():
    assert [address_network(form) for form in ALL_FORMS] == [reference_network(form) for form in ALL_FORMS]


def test_a_proxy_is_trusted_exactly_when_the_ipaddress_module_says_it_is_in_a_trusted_network():
    trusted = TrustedProxies(TRUSTED)
    verdicts = [form in trusted for form in ALL_FORMS]

    assert verdicts == [reference_is_trusted(form, TRUSTED) for form in ALL_FORMS]
    assert True in verdicts and False in verdicts


class FixedSalt:
    def salt_for(self, day: str) -> bytes:
        return hashlib.sha256(day.encode()).digest()[:16]


@pytest.mark.parametrize("address, user_agent", [("203.0.113.7", "Firefox"), ("2001:db8::1", "Mozilla/5.0 Việt"),
                                                 ("198.51.100.1", "bad \udcff byte")])
def test_a_visitor_key_is_hmac_sha256_of_address_newline_user_agent_under_the_day_salt(address, user_agent):
    keys = VisitorKeys(FixedSalt())
    day = "2026-11-26"
    message = f"{address}\n{user_agent}".encode("utf-8", "surrogateescape")

    expected = hmac.new(FixedSalt().salt_for(day), message, hashlib.sha256).hexdigest()[:32]

    assert keys.key(address, user_agent, day) == expected
    assert keys.key(address, user_agent, day) == expected  # the keyed copy is reused unchanged
    assert keys.key(address, user_agent, "2026-11-27") != expected
