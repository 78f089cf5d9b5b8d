from ipaddress import ip_network
from pathlib import Path

import pytest

from counter.config import load_config


def test_defaults_serve_the_local_preview_from_the_repository_root():
    config = load_config([], environ={})

    assert config.port == 8001
    assert config.database == "var/counter.sqlite3"
    assert config.manifest_path == Path("output/counter-manifest.json")
    assert config.origins == {"http://localhost:8000", "http://127.0.0.1:8000"}
    assert config.offset == 0
    assert config.trusted_proxies == ()


def test_environment_variables_configure_the_counter():
    environ = {
        "COUNTER_HOST": "0.0.0.0",
        "COUNTER_PORT": "9000",
        "COUNTER_DB": "/srv/counter/db.sqlite3",
        "COUNTER_MANIFEST": "/srv/site/counter-manifest.json",
        "COUNTER_ORIGINS": "https://mttq.example, https://www.mttq.example",
        "COUNTER_OFFSET": "1234567",
        "COUNTER_TRUSTED_PROXIES": "127.0.0.1 10.0.0.0/8",
    }

    config = load_config([], environ=environ)

    assert (config.host, config.port, config.offset) == ("0.0.0.0", 9000, 1234567)
    assert config.database == "/srv/counter/db.sqlite3"
    assert config.manifest_path == Path("/srv/site/counter-manifest.json")
    assert config.origins == {"https://mttq.example", "https://www.mttq.example"}
    assert config.trusted_proxies == (ip_network("127.0.0.1/32"), ip_network("10.0.0.0/8"))


def test_flags_override_environment_variables():
    config = load_config(
        ["--port", "9100", "--offset", "5", "--origins", "https://a.example", "https://b.example",
         "--trusted-proxy", "::1"],
        environ={"COUNTER_PORT": "9000", "COUNTER_OFFSET": "7", "COUNTER_ORIGINS": "https://c.example"},
    )

    assert (config.port, config.offset) == (9100, 5)
    assert config.origins == {"https://a.example", "https://b.example"}
    assert config.trusted_proxies == (ip_network("::1"),)


@pytest.mark.parametrize(
    "argv, environ",
    [(["--offset", "-1"], {}), ([], {"COUNTER_OFFSET": "many"}), (["--trusted-proxy", "proxy.local"], {}),
     (["--rate-per-second", "0"], {}), ([], {"COUNTER_RATE_BURST": "0"}), (["--rate-per-second", "nan"], {})],
)
def test_invalid_settings_stop_the_program_with_a_message(argv, environ, capsys):
    with pytest.raises(SystemExit) as stopped:
        load_config(argv, environ=environ)

    assert stopped.value.code == 2


def test_a_postgresql_url_selects_postgresql_and_a_path_keeps_sqlite():
    assert load_config([], environ={"COUNTER_DB": "postgresql://counter@db.internal:5432/counter"}).database == (
        "postgresql://counter@db.internal:5432/counter"
    )
    assert load_config(["--db", "/srv/counter.sqlite3"], environ={"COUNTER_DB": "postgresql://x@y/z"}).database == (
        "/srv/counter.sqlite3"
    )


def test_flood_limit_defaults_leave_room_for_a_carrier_grade_nat():
    config = load_config([], environ={})

    assert (config.rate_per_second, config.rate_burst) == (5.0, 50)
