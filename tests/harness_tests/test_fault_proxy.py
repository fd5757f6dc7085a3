# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault proxy over real HTTP, in front of a small upstream server that records what reaches it."""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "harness"))

from fault_proxy import FaultProxy  # noqa: E402  pylint: disable=wrong-import-position

LONG_DELAY = 60.0  # seconds: a fault delay that no read timeout of these tests outlasts; the tests end it themselves


class Upstream:
    """Answers every request with 200 and a JSON echo of it; ``seen`` lists what reached it."""

    def __init__(self):
        self.seen = []
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                upstream.seen.append({"method": self.command, "path": self.path, "body": body,
                                      "authorization": self.headers.get("Authorization")})
                data = json.dumps(upstream.seen[-1]).encode()
                self.send_response(201 if self.command == "POST" else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Upstream", "yes")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()


@pytest.fixture
def upstream():
    server = Upstream()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def proxy(upstream):
    with FaultProxy(upstream.url) as running:
        yield running


def test_forwards_method_path_query_body_and_headers_and_logs_them(proxy, upstream):
    response = requests.patch(proxy.url + "/api/things/1?x=1", json={"a": 1}, headers={"Authorization": "Bearer t"},
                              timeout=5)
    assert response.status_code == 200 and response.headers["X-Upstream"] == "yes"
    assert response.json() == {"method": "PATCH", "path": "/api/things/1?x=1", "body": '{"a": 1}', "authorization": "Bearer t"}
    assert proxy.request_log() == {
        "requests": [{"method": "PATCH", "path": "/api/things/1", "query": "x=1", "status": 200, "fault": None}],
        "counts": {"PATCH": 1}, "by_path": {"PATCH /api/things/1": 1}, "total": 1}
    assert proxy.request_count("PATCH", "/api/things/1") == 1


def test_a_status_fault_answers_instead_of_the_server_for_its_times(proxy, upstream):
    proxy.add_fault(method="GET", path="/api/things/*", status=503, retry_after="2", times=2)
    answers = [requests.get(proxy.url + "/api/things/%d" % n, timeout=5) for n in (1, 2, 3)]
    assert [a.status_code for a in answers] == [503, 503, 200]
    assert answers[0].headers["Retry-After"] == "2"
    assert [s["path"] for s in upstream.seen] == ["/api/things/3"]
    assert [e["fault"] for e in proxy.requests()] == [1, 1, None]
    assert requests.post(proxy.url + "/api/things/1", json={}, timeout=5).status_code == 201  # other methods pass
    assert proxy.faults() == []


def test_html_500_and_a_200_that_is_not_json(proxy, upstream):
    proxy.add_fault(path="/api/a", status=500, html=True)
    proxy.add_fault(path="/api/b", status=200, body="OK")
    html = requests.get(proxy.url + "/api/a", timeout=5)
    text = requests.get(proxy.url + "/api/b", timeout=5)
    assert html.status_code == 500 and html.headers["Content-Type"].startswith("text/html") and "<html>" in html.text
    assert text.status_code == 200 and text.text == "OK" and text.headers["Content-Type"].startswith("text/plain")
    assert upstream.seen == []


def test_drop_before_forwarding_reaches_nothing(proxy, upstream):
    proxy.add_fault(method="POST", path="/api/things", drop=True)
    with pytest.raises(requests.ConnectionError):
        requests.post(proxy.url + "/api/things", json={}, timeout=5)
    assert upstream.seen == []
    assert proxy.requests()[0]["status"] is None


def test_answer_lost_after_forwarding_reaches_the_server_once(proxy, upstream):
    proxy.add_fault(method="PATCH", path="/api/things/1", drop=True, after_processing=True)
    with pytest.raises(requests.ConnectionError):
        requests.patch(proxy.url + "/api/things/1", json={"b": 2}, timeout=5)
    assert [(s["method"], s["body"]) for s in upstream.seen] == [("PATCH", '{"b": 2}')]
    assert proxy.requests()[0]["status"] is None
    proxy.add_fault(method="POST", path="/api/things", status=500, html=True, after_processing=True)
    assert requests.post(proxy.url + "/api/things", json={}, timeout=5).status_code == 500
    assert len(upstream.seen) == 2


def test_a_delay_longer_than_the_timeout_then_a_delay_only_fault_forwards(proxy, upstream):
    # a delay far longer than the timeout, so that the timeout fires first however busy the machine is; the
    # test then ends the delay itself rather than sleeping it out
    proxy.add_fault(method="GET", path="/api/slow", delay=LONG_DELAY)
    with pytest.raises(requests.ReadTimeout):
        requests.get(proxy.url + "/api/slow", timeout=0.5)
    assert proxy.wait_delayed(1)  # the request still sleeps out its delay: not forwarded, not logged
    assert upstream.seen == [] and proxy.requests() == []
    assert proxy.release_delays() == 1
    assert proxy.wait_idle()  # the delayed request has been forwarded and answered (to a client that had gone)
    assert [s["path"] for s in upstream.seen] == ["/api/slow"]
    assert [(e["path"], e["status"], e["fault"]) for e in proxy.requests()] == [("/api/slow", 200, 1)]
    proxy.add_fault(method="GET", path="/api/slow", delay=0.2)
    assert requests.get(proxy.url + "/api/slow", timeout=5).status_code == 200
    assert len([s for s in upstream.seen if s["path"] == "/api/slow"]) >= 1


def test_control_api_over_http(proxy):
    added = requests.post(proxy.url + "/_proxy/faults", json=[{"path": "/x", "status": 429}, {"path": "/y", "drop": True}],
                          timeout=5)
    assert added.status_code == 201 and [f["id"] for f in added.json()] == [1, 2]
    assert len(requests.get(proxy.url + "/_proxy/faults", timeout=5).json()) == 2
    bad = requests.post(proxy.url + "/_proxy/faults", json={"path": "/x"}, timeout=5)
    assert bad.status_code == 400 and "status" in bad.json()["error"]
    assert requests.get(proxy.url + "/x", timeout=5).status_code == 429
    assert requests.get(proxy.url + "/_proxy/requests", timeout=5).json()["total"] == 1
    assert requests.post(proxy.url + "/_proxy/reset", timeout=5).json() == {"reset": True}
    assert proxy.faults() == [] and proxy.requests() == []
    assert requests.get(proxy.url + "/_proxy/nothing", timeout=5).status_code == 404
    assert requests.get(proxy.url + "/_proxy/health", timeout=5).json() == {"status": "ok", "url": proxy.url}
