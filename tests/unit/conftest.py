# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real HTTP server in the test process, scripted per test, that counts the requests it receives."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


HOLD_LIMIT = 60  # seconds a held answer waits at most, should a test never release it


class ScriptedServer:
    """Answers each request with the next scripted step; the last step repeats.

    A step ``{"hold": event}`` (a threading.Event) answers only once the test sets that event: a client's read
    timeout then certainly fires first, whatever the load of the machine.  ``wait_idle()`` waits until every
    request taken has been answered (or dropped), so a test can check what arrived after a slow handler
    finished instead of sleeping for a while.
    """

    def __init__(self):
        self.steps = []
        self.seen = []
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)  # told whenever a request is taken or finished
        self.active = 0  # requests taken and not answered yet
        self.holds = []  # the events of every held step scripted, set at the end of the test
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with server.changed:
                    server.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                        "body": body.decode() if body else ""})
                    step = server.steps.pop(0) if len(server.steps) > 1 else (server.steps[0] if server.steps else {})
                    server.active += 1
                    server.changed.notify_all()
                try:
                    self._answer(step)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up waiting (a read timeout): nobody to answer
                finally:
                    with server.changed:
                        server.active -= 1
                        server.changed.notify_all()

            def _answer(self, step):
                if step.get("delay"):
                    time.sleep(step["delay"])
                if step.get("hold") is not None:
                    step["hold"].wait(HOLD_LIMIT)
                if step.get("drop"):
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                status = step.get("status", 200)
                payload = step.get("body", {"ok": True})
                data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                self.send_response(status)
                for key, value in step.get("headers", {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":  # a HEAD answer has headers only
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    def script(self, *steps):
        with self.lock:
            self.steps = list(steps)
            self.seen = []
            self.holds.extend(step["hold"] for step in steps if step.get("hold") is not None)

    def wait_idle(self, timeout=10):
        """Wait until no request is being answered; False if one still was after ``timeout`` seconds."""
        with self.changed:
            return self.changed.wait_for(lambda: self.active == 0, timeout)

    def release_all(self):
        """Let every held step answer."""
        with self.lock:
            holds = list(self.holds)
        for event in holds:
            event.set()

    def count(self, method=None):
        return len([s for s in self.seen if method is None or s["method"] == method])


@pytest.fixture
def server():
    srv = ScriptedServer()
    srv.thread.start()
    yield srv
    srv.release_all()  # held answers end now, not after HOLD_LIMIT
    srv.wait_idle()
    srv.httpd.shutdown()
    srv.httpd.server_close()


@pytest.fixture
def closed_port_url():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return "http://127.0.0.1:%d" % port
