# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An HTTP proxy in front of a real server (the local Foxops server) that injects faults and logs requests.

Python standard library only.  Every request outside ``/_proxy/`` is forwarded to the upstream server, unless
a pending fault matches it (method and path pattern); the faults are those of the StockTrim sandbox
(``tests/sandbox/README.md``, section Faults), with ``after_processing`` meaning "after forwarding":

* ``status`` (with ``retry_after``, ``html``, ``body``, ``content_type``): that answer instead;
* ``drop``: the connection closed without an answer;
* ``delay``: a sleep before answering (a fault with only a delay then forwards normally);
* ``after_processing``: the request is forwarded first (the server acts), then the delay, the drop or the
  status: "the answer was lost".

Control API (no auth, not logged): ``POST/GET/DELETE /_proxy/faults``, ``GET/DELETE /_proxy/requests``
(``{"requests": [{"method", "path", "query", "status", "fault"}], "counts": {"GET": n}, "by_path":
{"GET /api/incarnations": n}, "total": n}``; ``status`` is null when the connection was dropped),
``POST /_proxy/reset`` (faults and log cleared), ``GET /_proxy/health``.

    with FaultProxy(server.url) as proxy:
        proxy.add_fault(method="PATCH", path="/api/incarnations/*", drop=True, after_processing=True)
        ... requests to proxy.url ...
        proxy.request_count("PATCH", "/api/incarnations/1")

A test that provokes a read timeout need not race a delay against it: it gives the fault a delay far longer than
the timeout, then ``wait_delayed()`` (the request sleeps out its delay), ``release_delays()`` (it goes on at
once) and ``wait_idle()`` (it has been answered and logged), like the StockTrim sandbox's methods of those names.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sandbox.stocktrim.faults import FaultLog, fault_reply  # noqa: E402  pylint: disable=wrong-import-position
from sandbox.stocktrim.server import ReleasableDelays, ThreadedServer, drop_connection  # noqa: E402  pylint: disable=wrong-import-position

HOP_BY_HOP = frozenset(("connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
                        "content-length", "host"))
CONTROL = "/_proxy"


class FaultProxy(ThreadedServer, ReleasableDelays, FaultLog):
    """A fault-injecting proxy to ``upstream`` (``http://host:port``) on ``host:port`` (0 = any free port)."""

    thread_name = "fault-proxy"

    def __init__(self, upstream, port=0, host="127.0.0.1", upstream_timeout=120):
        parts = urlsplit(upstream)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError("upstream must be an http:// URL, got %r" % (upstream,))
        self.upstream = (parts.hostname, parts.port or 80)
        self.upstream_timeout = upstream_timeout
        self.host = host
        self.requested_port = port
        self._init_fault_log()
        self._stopping = threading.Event()
        self._init_delays()  # wait_delayed(), release_delays() and wait_idle() count the proxied requests
        self._server = None
        self._thread = None

    # -- lifecycle (url, start and the context manager from ThreadedServer) -----------------------------------------
    def _new_server(self):
        server = ThreadingHTTPServer((self.host, self.requested_port), _Handler)
        server.daemon_threads = True
        server.proxy = self
        server.handle_error = lambda request, address: None  # clients hanging up are normal here
        return server

    def stop(self):
        if self._server is not None:
            self._stop_sleeps()  # delayed requests stop sleeping (their connections are dropped)
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    # -- Python control API (the same as /_proxy/; add_fault, faults, clear_faults, requests, clear_requests
    # come from FaultLog; wait_delayed, release_delays, wait_idle from ReleasableDelays) -------------------------
    def reset(self):
        self.clear_faults()
        self.clear_requests()

    def request_log(self):
        entries = self.requests()
        counts, by_path = {}, {}
        for entry in entries:
            counts[entry["method"]] = counts.get(entry["method"], 0) + 1
            key = "%s %s" % (entry["method"], entry["path"])
            by_path[key] = by_path.get(key, 0) + 1
        return {"requests": entries, "counts": counts, "by_path": by_path, "total": len(entries)}

    def request_count(self, method, path):
        return sum(1 for entry in self.requests() if entry["method"] == method and entry["path"] == path)

    # -- serving -------------------------------------------------------------------------------------------------
    def serve(self, handler):
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length > 0 else b""
        if parts.path.rstrip("/").startswith(CONTROL):
            handler.answer(*self.control(handler.command, parts.path, body))
            return
        with self._serving_request():
            self._serve_proxied(handler, parts, body)

    def _serve_proxied(self, handler, parts, body):
        fault = self._take_fault(handler.command, parts.path)
        answer = None
        if fault and not fault["after_processing"]:
            if fault["delay"] and not self._sleep(fault["delay"]):
                return handler.drop()
            if fault["drop"] or fault["status"] is not None:
                return self._answer(handler, parts, None if fault["drop"] else _fault_answer(fault), fault)
        try:
            answer = self.forward(handler.command, handler.path, handler.headers, body)
        except (OSError, http.client.HTTPException) as err:
            answer = (502, {"Content-Type": "text/plain"}, ("upstream failed: %s" % err).encode("utf-8"))
        if fault and fault["after_processing"]:
            if fault["delay"] and not self._sleep(fault["delay"]):
                return handler.drop()
            if fault["drop"]:
                answer = None
            elif fault["status"] is not None:
                answer = _fault_answer(fault)
        return self._answer(handler, parts, answer, fault)

    def forward(self, method, target, headers, body):
        """Send the request to the upstream server; (status, headers, body)."""
        connection = http.client.HTTPConnection(*self.upstream, timeout=self.upstream_timeout)
        try:
            sent = dict((name, value) for name, value in headers.items() if name.lower() not in HOP_BY_HOP)
            sent["Host"] = "%s:%d" % self.upstream
            connection.request(method, target, body=body or None, headers=sent)
            response = connection.getresponse()
            data = response.read()
            kept = dict((name, value) for name, value in response.getheaders() if name.lower() not in HOP_BY_HOP)
            return response.status, kept, data
        finally:
            connection.close()

    def _answer(self, handler, parts, answer, fault):
        self._log_request({"method": handler.command, "path": parts.path, "query": parts.query,
                           "status": answer[0] if answer else None, "fault": fault["id"] if fault else None})
        if answer is None:
            handler.drop()
        else:
            handler.answer(*answer)

    def control(self, method, path, raw):
        name = path.rstrip("/")[len(CONTROL):].strip("/")
        actions = {("GET", "health"): lambda doc: {"status": "ok", "url": self.url},
                   ("GET", "faults"): lambda doc: self.faults(),
                   ("POST", "faults"): lambda doc: ([self.add_fault(spec) for spec in doc] if isinstance(doc, list)
                                                    else self.add_fault(doc)),
                   ("DELETE", "faults"): lambda doc: self.clear_faults() or {"faults": []},
                   ("GET", "requests"): lambda doc: self.request_log(),
                   ("DELETE", "requests"): lambda doc: self.clear_requests() or {"requests": []},
                   ("POST", "reset"): lambda doc: self.reset() or {"reset": True}}
        action = actions.get((method, name))
        if action is None:
            return _json(404, {"error": "unknown control endpoint %s %s" % (method, path)})
        try:
            document = json.loads(raw.decode("utf-8")) if raw.strip() else None
            result = action(document)
        except (ValueError, TypeError) as err:
            return _json(400, {"error": str(err)})
        return _json(201 if (method, name) == ("POST", "faults") else 200, result)


def _fault_answer(fault):
    reply = fault_reply(fault)
    headers = dict(reply.headers)
    if reply.content_type:
        headers["Content-Type"] = reply.content_type
    return reply.status, headers, reply.body


def _json(status, document):
    return status, {"Content-Type": "application/json"}, json.dumps(document).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet; header values (credentials) are never logged
        pass

    def do_GET(self):
        self.server.proxy.serve(self)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def answer(self, status, headers, body):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def drop(self):
        drop_connection(self)
