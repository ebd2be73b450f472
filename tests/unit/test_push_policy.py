"""Where pushes may go (backend/notifications/channels/pushpolicy.py, PUSH_ALLOWED_ORIGINS):
host spellings, the allow-list and which addresses count as public."""

from __future__ import annotations

import pytest

from backend.notifications.channels.pushpolicy import (
    Permit,
    PushPolicy,
    address_allowed,
    canonical_host,
)
from backend.settings import (
    DEFAULT_PUSH_ORIGINS,
    SettingsError,
    load_settings,
    parse_push_origins,
)

PRODUCTION = PushPolicy(parse_push_origins(",".join(DEFAULT_PUSH_ORIGINS), debug=False))


@pytest.mark.parametrize(
    ("host", "canonical"),
    [
        ("fcm.googleapis.com", "fcm.googleapis.com"),
        ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("127.0.0.1", "127.0.0.1"),
        ("::ffff:7f00:1", "::ffff:7f00:1"),
        ("0:0:0:0:0:0:0:1", "::1"),
    ],
)
def test_hosts_are_written_one_way(host: str, canonical: str) -> None:
    assert canonical_host(host) == canonical


@pytest.mark.parametrize(
    "host",
    [
        *("2130706433", "127.1", "0x7f.1", "0x7f000001", "0177.0.0.1", "1.2.3.4.5", "1.0x1"),
        *("a..b", "-a.example", "a_b.example", "fe80::1%eth0", "x" * 64 + ".example"),
    ],
)
def test_other_spellings_are_refused(host: str) -> None:
    with pytest.raises(ValueError, match=r"^not an? "):
        canonical_host(host)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.255.0.9",
        "::1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - an address, not a bind
        "::",
        "224.0.0.1",
        "ff02::1",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.1",
        "2001:db8::1",
        "::ffff:10.0.0.1",
        "::ffff:127.0.0.1",
        "64:ff9b::a00:1",
        "2002:c0a8:101::1",
    ],
)
def test_private_loopback_link_local_and_special_addresses_are_not_public(address: str) -> None:
    assert not address_allowed(address, loopback=False)


@pytest.mark.parametrize(
    "address", ["142.250.74.10", "2a00:1450:4001:82a::200a", "::ffff:8.8.8.8", "64:ff9b::808:808"]
)
def test_public_addresses_are(address: str) -> None:
    assert address_allowed(address, loopback=False)


def test_loopback_only_where_an_entry_names_it() -> None:
    assert address_allowed("127.0.0.1", loopback=True)
    assert address_allowed("::1", loopback=True)
    assert not address_allowed("10.0.0.1", loopback=True)  # loopback, not private
    development = PushPolicy(parse_push_origins("http://127.0.0.1:*", debug=True))
    assert development.permit("http", "127.0.0.1", 8080) == Permit(loopback=True)
    assert development.permit("https", "127.0.0.1", 8080) is None
    assert development.permit("http", "localhost", 8080) is None


@pytest.mark.parametrize(
    ("scheme", "host", "port"),
    [
        ("https", "fcm.googleapis.com", 443),
        ("https", "updates.push.services.mozilla.com", 443),
        ("https", "web.push.apple.com", 443),
        ("https", "db5p.notify.windows.com", 443),
        ("https", "wns2-par02p.notify.windows.com", 443),
    ],
)
def test_the_browsers_push_services_are_allowed_by_default(
    scheme: str, host: str, port: int
) -> None:
    assert PRODUCTION.permit(scheme, host, port) == Permit(loopback=False)


@pytest.mark.parametrize(
    ("scheme", "host", "port"),
    [
        ("http", "fcm.googleapis.com", 80),
        ("https", "fcm.googleapis.com", 8443),
        ("https", "fcm.googleapis.com.evil.example", 443),
        ("https", "evil-fcm.googleapis.com", 443),
        ("https", "googleapis.com", 443),
        ("https", "notify.windows.com", 443),
        ("https", "evilnotify.windows.com", 443),
        ("https", "push.apple.com", 443),
        ("https", "127.0.0.1", 443),
        ("https", "localhost", 443),
    ],
)
def test_anything_else_is_not(scheme: str, host: str, port: int) -> None:
    assert PRODUCTION.permit(scheme, host, port) is None


def test_the_setting_defaults_to_the_browsers_push_services_and_can_be_changed() -> None:
    env = {"SECRET_KEY": "k" * 32, "PUBLIC_URL": "https://vienuviet.example"}
    assert [str(o) for o in load_settings(env).push.allowed_origins] == list(DEFAULT_PUSH_ORIGINS)
    custom = load_settings({**env, "PUSH_ALLOWED_ORIGINS": "https://push.example.lv:8443"})
    assert [str(o) for o in custom.push.allowed_origins] == ["https://push.example.lv:8443"]
    development = load_settings(
        {
            **env,
            "DEBUG": "1",
            "PUSH_ALLOWED_ORIGINS": "https://fcm.googleapis.com, http://127.0.0.1:*",
        }
    )
    assert [o.loopback for o in development.push.allowed_origins] == [False, True]


@pytest.mark.parametrize(
    ("value", "debug", "says"),
    [
        ("http://127.0.0.1:*", False, "only in development"),
        ("https://[::1]:8443", False, "only in development"),
        ("https://10.0.0.1", True, "loopback"),
        ("https://127.1", True, "must name a host"),
        ("https://*.com", True, "must name a host"),
        ("http://push.example.lv", True, "must be https://"),
        ("https://push.example.lv/path", True, "scheme://host"),
        ("https://пример.рф", True, "ASCII"),
        ("https://push.example.lv:70000", True, "port"),
    ],
)
def test_a_malformed_or_dangerous_entry_stops_the_start(value: str, debug: bool, says: str) -> None:
    with pytest.raises(SettingsError, match=says):
        parse_push_origins(value, debug=debug)
