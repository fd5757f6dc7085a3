# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry rule, proven by counting requests on a real socket."""

from __future__ import annotations

import email.utils
import threading
import time

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core import errors
from ansible_collections.apiops.platforms.plugins.module_utils.core.transport import (
    RetryPolicy,
    Transport,
    check_url,
    parse_retry_after,
)


class Recorder:
    """Stands in for time.sleep: records the waits the policy asked for."""

    def __init__(self):
        self.waits = []

    def __call__(self, seconds):
        self.waits.append(seconds)


def make(url, retries=5, timeout=5, secrets=(), max_wait=30.0):
    sleeps = Recorder()
    warnings = []
    transport = Transport(url, timeout=timeout, policy=RetryPolicy(retries=retries, backoff=0.01, max_wait=max_wait),
                          warn=warnings.append, sleep=sleeps, secrets=secrets)
    return transport, sleeps, warnings


def test_503_then_200_is_retried_once_with_a_warning(server):
    server.script({"status": 503}, {"status": 200, "body": {"ok": 1}})
    transport, sleeps, warnings = make(server.url)
    resp = transport.request("GET", "/api/things", idempotent=True)
    assert resp.status == 200 and resp.json() == {"ok": 1}
    assert resp.attempts == 2
    assert server.count("GET") == 2
    assert len(sleeps.waits) == 1 and 0 <= sleeps.waits[0] <= 0.01
    assert len(warnings) == 1
    assert warnings[0].startswith("retrying GET %s/api/things after 503" % server.url)
    assert warnings[0].endswith("5 attempts left")


def test_429_with_retry_after_seconds_is_honoured(server):
    server.script({"status": 429, "headers": {"Retry-After": "2"}}, {"status": 200})
    transport, sleeps, _warnings = make(server.url)
    assert transport.request("GET", "/x", idempotent=True).status == 200
    assert server.count() == 2
    assert sleeps.waits == [2.0]


def test_retry_after_is_capped(server):
    server.script({"status": 503, "headers": {"Retry-After": "3600"}}, {"status": 200})
    transport, sleeps, _warnings = make(server.url, max_wait=1.5)
    transport.request("GET", "/x", idempotent=True)
    assert sleeps.waits == [1.5]


def test_retry_after_http_date():
    now = time.time()
    stamp = email.utils.formatdate(now + 10, usegmt=True)
    assert 8.5 <= parse_retry_after(stamp, now=now) <= 10.5
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("-3") == 0.0


def test_post_503_is_not_retried(server):
    server.script({"status": 503}, {"status": 201})
    transport, sleeps, _warnings = make(server.url)
    with pytest.raises(errors.ServerError) as info:
        transport.request("POST", "/api/orders", json={"a": 1}, idempotent=False)
    assert server.count("POST") == 1
    assert sleeps.waits == []
    assert info.value.attempts == 1 and info.value.status == 503
    assert "not retried" in info.value.msg


def test_408_is_retried_for_idempotent_calls_only(server):
    server.script({"status": 408}, {"status": 200})
    transport, _sleeps, _warnings = make(server.url)
    assert transport.request("GET", "/api/things", idempotent=True).attempts == 2
    server.script({"status": 408}, {"status": 201})
    with pytest.raises(errors.RequestTimeoutError) as info:
        transport.request("POST", "/api/orders", json={"a": 1}, idempotent=False)
    assert server.count("POST") == 1 and info.value.result()["error"] == "timeout"


def test_post_marked_idempotent_is_retried(server):
    server.script({"status": 502}, {"status": 201})
    transport, _sleeps, _warnings = make(server.url)
    assert transport.request("POST", "/api/Products", json={"productId": "A"}, idempotent=True).status == 201
    assert server.count("POST") == 2


def test_connection_refused_is_retried_for_every_method(closed_port_url):
    transport, sleeps, warnings = make(closed_port_url, retries=3)
    with pytest.raises(errors.TransportError) as info:
        transport.request("POST", "/api/orders", json={}, idempotent=False)
    assert info.value.attempts == 4
    assert info.value.kind == "transport"
    assert len(sleeps.waits) == 3 and len(warnings) == 3
    assert "could not connect" in info.value.msg


def test_read_timeout_on_get_is_retried(server):
    held = threading.Event()  # the first answer waits for it: the read timeout fires first, however busy the machine
    server.script({"hold": held, "status": 200}, {"status": 200})
    # the timeout is also the time the retry has to answer in: a second, so that a loaded machine does not time it out
    transport, _sleeps, _warnings = make(server.url, timeout=1.0)
    resp = transport.request("GET", "/slow", idempotent=True)
    assert resp.status == 200 and resp.attempts == 2
    assert server.count("GET") == 2


def test_read_timeout_on_post_is_not_resent(server):
    held = threading.Event()  # the first answer waits for it: the read timeout fires first, however busy the machine
    server.script({"hold": held, "status": 201}, {"status": 201})
    transport, sleeps, _warnings = make(server.url, timeout=0.3)
    with pytest.raises(errors.RequestTimeoutError) as info:
        transport.request("POST", "/api/SalesOrders", json={"productId": "A"}, idempotent=False)
    held.set()  # the slow handler answers now, to a client that has given up
    assert server.wait_idle()  # every request taken has been answered: a second POST would have been seen
    assert server.count("POST") == 1
    assert sleeps.waits == []
    assert info.value.kind == "timeout" and info.value.attempts == 1
    assert "may already have acted" in info.value.msg


def test_dropped_connection_get_retried_post_not(server):
    server.script({"drop": True}, {"status": 200})
    transport, _sleeps, _warnings = make(server.url)
    assert transport.request("GET", "/x", idempotent=True).status == 200
    assert server.count("GET") == 2
    server.script({"drop": True}, {"status": 201})
    with pytest.raises(errors.TransportError) as info:
        transport.request("POST", "/x", json={}, idempotent=False)
    assert server.count("POST") == 1
    assert info.value.attempts == 1


def test_retries_exhausted(server):
    server.script({"status": 503, "body": {"message": "down for maintenance"}})
    transport, sleeps, warnings = make(server.url, retries=2)
    with pytest.raises(errors.ServerError) as info:
        transport.request("GET", "/x", idempotent=True)
    assert server.count() == 3
    assert info.value.attempts == 3 and info.value.status == 503
    assert info.value.body == "down for maintenance"
    assert len(sleeps.waits) == 2
    assert warnings[-1].endswith("1 attempt left")


def test_retries_zero_sends_once(server):
    server.script({"status": 503}, {"status": 200})
    transport, sleeps, warnings = make(server.url, retries=0)
    with pytest.raises(errors.ServerError) as info:
        transport.request("GET", "/x", idempotent=True)
    assert server.count() == 1 and info.value.attempts == 1
    assert sleeps.waits == [] and warnings == []


def test_500_is_never_retried(server):
    server.script({"status": 500, "body": "<html>boom</html>"}, {"status": 200})
    transport, _sleeps, _warnings = make(server.url)
    with pytest.raises(errors.ServerError):
        transport.request("GET", "/x", idempotent=True)
    assert server.count() == 1


@pytest.mark.parametrize("status,kind", [
    (400, "validation"), (401, "authentication"), (403, "authentication"), (404, "not_found"),
    (409, "conflict"), (422, "validation"), (500, "server"), (501, "server"),
])
def test_status_maps_to_error_kind(server, status, kind):
    server.script({"status": status, "body": {"detail": "nope %d" % status}})
    transport, _sleeps, _warnings = make(server.url)
    with pytest.raises(errors.ApiError) as info:
        transport.request("DELETE", "/api/x?a=1", idempotent=True)
    result = errors.error_result(info.value)
    assert result["error"] == kind
    assert result["status"] == status
    assert result["method"] == "DELETE"
    assert result["url"] == server.url + "/api/x?a=1"
    assert result["body"] == "nope %d" % status
    assert result["attempts"] == 1
    assert server.count() == 1


def test_secrets_never_appear_in_errors(server):
    server.script({"status": 401, "body": {"detail": "token s3cr3t-token is invalid"}})
    transport, _sleeps, _warnings = make(server.url, secrets=("s3cr3t-token",))
    transport.session.headers["Authorization"] = "Bearer s3cr3t-token"
    with pytest.raises(errors.AuthenticationError) as info:
        transport.request("GET", "/auth/test", idempotent=True)
    dumped = repr(errors.error_result(info.value))
    assert "s3cr3t-token" not in dumped
    assert errors.MASK in dumped
    assert server.seen[0]["headers"]["Authorization"] == "Bearer s3cr3t-token"


@pytest.mark.parametrize("url", ["", "example.com", "ftp://example.com", "http://", "https://user:pw@example.com"])
def test_bad_urls_are_refused_before_any_request(url):
    with pytest.raises(errors.InputError) as info:
        check_url(url)
    assert "url" in info.value.msg


def test_bad_retries_refused():
    with pytest.raises(errors.InputError):
        RetryPolicy(retries=-1)


# -- the environment, read once when the transport is made -----------------------------------------------------------
PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy")


@pytest.fixture
def clean_environment(monkeypatch):
    for name in PROXY_VARIABLES + ("NETRC",):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_proxy_of_the_environment_is_used(server, clean_environment):
    clean_environment.setenv("HTTP_PROXY", server.url)
    server.script({"status": 200, "body": {"ok": 1}})
    transport, _sleeps, _warnings = make("http://api.example.invalid", retries=0)
    assert transport.request("GET", "/x", idempotent=True).json() == {"ok": 1}
    assert server.seen[0]["path"] == "http://api.example.invalid/x"  # the proxy was asked for the absolute URL


def test_no_proxy_of_the_environment_is_honoured(server, clean_environment):
    clean_environment.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    clean_environment.setenv("NO_PROXY", "127.0.0.1")
    server.script({"status": 200})
    transport, _sleeps, _warnings = make(server.url, retries=0)
    assert transport.request("GET", "/x", idempotent=True).status == 200 and server.seen[0]["path"] == "/x"


def test_the_environment_is_read_once_when_the_transport_is_made(server, clean_environment):
    server.script({"status": 200}, {"status": 200})
    transport, _sleeps, _warnings = make(server.url, retries=0)
    clean_environment.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # set afterwards: not seen by this transport
    assert transport.request("GET", "/x", idempotent=True).status == 200 and transport.request("GET", "/y", idempotent=True).status == 200
    assert [seen["path"] for seen in server.seen] == ["/x", "/y"]


def test_a_netrc_entry_is_never_read(server, clean_environment, tmp_path):
    # credentials come from the options only: a netrc entry (a default one included) neither replaces the
    # options' Authorization header nor adds Basic auth where the options send none
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password s3cr3t\ndefault login other password 0th3r\n")
    netrc.chmod(0o600)
    clean_environment.setenv("NETRC", str(netrc))
    server.script({"status": 200}, {"status": 200})
    transport, _sleeps, _warnings = make(server.url, retries=0)
    assert transport.request("GET", "/x", idempotent=True).status == 200
    assert "Authorization" not in server.seen[0]["headers"]
    bearer = Transport(server.url, headers={"Authorization": "Bearer the-token"}, policy=RetryPolicy(retries=0))
    assert bearer.request("GET", "/y", idempotent=True).status == 200
    assert server.seen[1]["headers"]["Authorization"] == "Bearer the-token"
