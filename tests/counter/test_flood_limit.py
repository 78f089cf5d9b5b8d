"""The flood limit is keyed on the client's address (IPv4) or /64 (IPv6), not on the visitor."""

import secrets

import pytest
from tests.counter.support import PROXY

from counter.visitors import address_network


def user_agent(number: int) -> str:
    return f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/{100 + number}.0 Safari/537.36"


@pytest.mark.parametrize("address", ["203.0.113.9", "2001:db8:5:6::1"])
def test_rotating_the_user_agent_from_one_address_counts_at_most_the_burst(make_client, address):
    client = make_client(rate_per_second=2.0, rate_burst=5)

    statuses = [client.hit(address=address, user_agent=user_agent(number)).status for number in range(40)]

    assert statuses == [200] * 5 + [429] * 35
    assert client.stats(address="198.51.100.200").body["total"] == 5


def test_one_ipv6_subscriber_cannot_escape_the_limit_by_changing_its_interface_id(make_client):
    client = make_client(rate_per_second=1.0, rate_burst=3)
    addresses = [f"2001:db8:aa:bb:{secrets.randbelow(65536):x}::{number:x}" for number in range(6)]

    statuses = [client.hit(address=address).status for address in addresses]

    assert statuses == [200] * 3 + [429] * 3


def test_other_addresses_and_other_ipv6_networks_keep_their_own_allowance(make_client):
    client = make_client(rate_per_second=1.0, rate_burst=2)
    for _ in range(3):
        client.stats(address="203.0.113.1")
        client.stats(address="2001:db8:1:1::1")

    assert client.stats(address="203.0.113.2").status == 200
    assert client.stats(address="2001:db8:1:2::1").status == 200
    assert client.stats(address="203.0.113.1").status == 429


def test_the_limit_refills_at_its_rate(make_client, clock):
    client = make_client(rate_per_second=2.0, rate_burst=2)
    for _ in range(3):
        client.stats()
    clock.advance(0.49)
    assert client.stats().status == 429
    clock.advance(0.02)

    assert client.stats().status == 200


def test_behind_the_trusted_proxy_the_forwarded_address_is_limited_not_the_proxy(make_client):
    client = make_client(rate_per_second=1.0, rate_burst=2)
    flooding = [client.hit(address=PROXY, headers={"HTTP_X_FORWARDED_FOR": "198.51.100.7"}).status for _ in range(3)]

    other_reader = client.hit(address=PROXY, headers={"HTTP_X_FORWARDED_FOR": "198.51.100.8"})

    assert flooding == [200, 200, 429]
    assert other_reader.status == 200


@pytest.mark.parametrize(
    "address, network",
    [("198.51.100.4", "198.51.100.4"), ("::ffff:198.51.100.4", "198.51.100.4"),
     ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"), ("2001:DB8:1:2::", "2001:db8:1:2::/64"),
     ("fe80::1%eth0", "fe80::/64"), ("not an address", "not an address")],
)
def test_flood_limit_key_is_the_address_or_its_slash_64(address, network):
    assert address_network(address) == network
