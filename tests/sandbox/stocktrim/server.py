# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The StockTrim API sandbox's HTTP server and StockTrimSandbox, with its control API under ``/_sandbox/``."""

from __future__ import annotations

import contextlib
import fnmatch
import hmac
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from sandbox.stocktrim.faults import FaultLog, fault_reply
from sandbox.stocktrim.replies import _HTML_ERROR, ApiError, Reply, json_reply
from sandbox.stocktrim.resources import _CONFIG_TYPES, DEFAULT_CONFIG, StockTrimApi
from sandbox.stocktrim.routing import ROUTES, Call, Router
from sandbox.stocktrim.schemas import read_body


class _Server(ThreadingHTTPServer):
    sandbox = None

    def handle_error(self, request, client_address):
        if self.sandbox.verbose:  # clients that hang up (timeouts, drops) are normal here
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'StockTrimSandbox/1.0'
    sys_version = ''
    timeout = 60  # idle keep-alive connections are closed after this many seconds

    def version_string(self):
        return self.server_version

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms stalls on keep-alive
        self.server.sandbox.track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.sandbox.track(self.connection, False)

    def log_message(self, format, *args):
        if self.server.sandbox.verbose:  # the request line only: header values (credentials) are never logged
            super().log_message(format, *args)

    def do_GET(self):
        self.server.sandbox.serve(self)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def read_body(self):
        if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                        pass
                    return b''.join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length > 0 else b''

    def send(self, reply, route=None):
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if route is not None:
            self.send_header('X-Sandbox-Route', '%s %s' % (route.method, route.template))
        if reply.content_type:
            self.send_header('Content-Type', reply.content_type)
        if reply.status != 204 and reply.status >= 200:
            self.send_header('Content-Length', str(len(reply.body)))
        self.end_headers()
        if self.command != 'HEAD' and reply.status != 204 and reply.body:
            self.wfile.write(reply.body)

    def drop(self):
        drop_connection(self)


def drop_connection(handler):
    """Close a request handler's connection without any answer (the fault proxy of tests/harness uses it too)."""
    handler.close_connection = True
    try:
        handler.connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class ThreadedServer:
    """A local HTTP server served in a thread: ``url``, ``start()`` and the context manager.  A subclass sets
    ``host``, ``requested_port``, ``_stopping`` (an Event), ``_server = _thread = None`` and ``thread_name``, makes
    its server in ``_new_server()`` and stops it in ``stop()``.  The fault proxy of tests/harness uses it too."""

    thread_name = 'local-server'

    @property
    def url(self):
        return 'http://%s:%s' % (self.host, self._server.server_address[1]) if self._server else None

    def start(self):
        if self._server is None:
            self._stopping.clear()
            self._server = self._new_server()
            self._thread = threading.Thread(target=self._server.serve_forever, kwargs={'poll_interval': 0.02},
                                            name=self.thread_name, daemon=True)
            self._thread.start()
        return self

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class ReleasableDelays:
    """Delays a test can wait for and end early: ``wait_delayed()``, ``release_delays()`` and ``wait_idle()``.
    A ThreadedServer subclass mixes it in, calls ``_init_delays()`` in its constructor, serves each request
    inside ``_serving_request()``, sleeps with ``_sleep()`` and calls ``_stop_sleeps()`` in ``stop()``.  The
    fault proxy of tests/harness uses it too."""

    def _init_delays(self):
        self._activity = threading.Condition()  # told when a request or a sleep starts or ends
        self._serving = 0  # requests being served now (not control requests)
        self._sleeping = 0  # of those, the ones sleeping out a delay
        self._releases = 0  # bumped by release_delays(): the sleeps begun before it end at once

    def wait_delayed(self, count=1, timeout=10):
        """Wait until ``count`` requests (or more) sleep out a delay: they have been taken, and not answered
        (nor logged) yet.  False if that did not happen within ``timeout`` seconds."""
        with self._activity:
            return self._activity.wait_for(lambda: self._sleeping >= count, timeout)

    def release_delays(self):
        """End the delays being slept out now: those requests go on at once, as if their delay was over (a
        request that arrives later still sleeps its delay).  Returns how many were released."""
        with self._activity:
            self._releases += 1
            self._activity.notify_all()
            return self._sleeping

    def wait_idle(self, timeout=10):
        """Wait until no request is being served (each one answered, dropped or abandoned, and logged), so that a
        test can look at the log after a slow request instead of sleeping.  False after ``timeout`` seconds."""
        with self._activity:
            return self._activity.wait_for(lambda: self._serving == 0, timeout)

    @contextlib.contextmanager
    def _serving_request(self):
        """Counts one request as being served while the block runs."""
        self._count_serving(1)
        try:
            yield
        finally:
            self._count_serving(-1)

    def _count_serving(self, step):
        with self._activity:
            self._serving += step
            self._activity.notify_all()

    def _sleep(self, seconds):
        """Sleep, less if release_delays() is called meanwhile; False if the server was stopped meanwhile."""
        deadline = time.monotonic() + seconds
        with self._activity:
            releases = self._releases
            self._sleeping += 1
            self._activity.notify_all()
            try:
                while not self._stopping.is_set() and releases == self._releases:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._activity.wait(left)
            finally:
                self._sleeping -= 1
                self._activity.notify_all()
        return not self._stopping.is_set()

    def _stop_sleeps(self):
        """Set ``_stopping`` and wake the sleepers: their ``_sleep()`` returns False."""
        self._stopping.set()
        with self._activity:
            self._activity.notify_all()


class StockTrimSandbox(ThreadedServer, ReleasableDelays, FaultLog):
    """The sandbox server.  ``start()`` binds ``host:port`` (0 = any free port); ``url`` is the base URL."""

    thread_name = 'stocktrim-sandbox'

    def __init__(self, port=0, auth_id='sandbox-tenant-id', auth_signature='sandbox-tenant-name', host='127.0.0.1', state_file=None,
                 verbose=False, locations_readable=False, sales_orders_readable=False, purchase_orders_readable=True,
                 processing_polls=2, auth_failure_status=401, product_page_size=50, product_update='merge', latency_ms=0):
        self.host = host
        self.requested_port = port
        self.auth_id = auth_id
        self.auth_signature = auth_signature
        self.state_file = state_file
        self.verbose = verbose
        self.initial_config = self._checked_config(dict(DEFAULT_CONFIG), dict(
            locations_readable=locations_readable, sales_orders_readable=sales_orders_readable,
            purchase_orders_readable=purchase_orders_readable, processing_polls=processing_polls,
            auth_failure_status=auth_failure_status, product_page_size=product_page_size, product_update=product_update,
            latency_ms=latency_ms))
        self.config = dict(self.initial_config)
        self.api = StockTrimApi(self.config)
        self.router = Router(ROUTES)
        self._init_fault_log()
        self._writers = []  # another writer's changes, made when a request arrives (another_writer)
        self._connections = set()
        self._stopping = threading.Event()
        self._generation = 0  # bumped by reset(): delayed requests from before a reset are abandoned
        self._init_delays()  # the delays are a fault's, or the latency
        self._server = None
        self._thread = None
        if state_file and os.path.exists(state_file):
            with open(state_file, encoding='utf-8') as handle:
                self.api.load(json.load(handle))

    # -- lifecycle --------------------------------------------------------------------------------------------
    @property
    def port(self):
        return self._server.server_address[1] if self._server else None

    def _new_server(self):
        server = _Server((self.host, self.requested_port), _Handler)
        server.sandbox = self
        return server

    def stop(self):
        if self._server is None:
            return
        self._stop_sleeps()
        self._server.shutdown()
        with self._meta_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = self._thread = None
        if self.state_file:
            self.save_state()

    def track(self, connection, is_open):
        with self._meta_lock:
            (self._connections.add if is_open else self._connections.discard)(connection)

    # -- Python control API (same as /_sandbox/; add_fault, faults, requests ... come from FaultLog) -----------
    def request_counts(self):
        counts = {'total': 0, 'by_method': {}, 'by_route': {}}
        for entry in self.requests():
            counts['total'] += 1
            counts['by_method'][entry['method']] = counts['by_method'].get(entry['method'], 0) + 1
            key = '%s %s' % (entry['method'], entry['route'] or entry['path'])
            counts['by_route'][key] = counts['by_route'].get(key, 0) + 1
        return counts

    def request_count(self, method=None, path=None):
        """How many logged requests match ``method`` and ``path`` (route template or path sent, case-insensitive)."""
        path = path.lower().rstrip('/') if path else None
        return sum(1 for entry in self.requests() if (method is None or entry['method'] == method.upper())
                   and (path is None or path in ((entry['route'] or '').lower(), entry['path'].lower().rstrip('/'))))

    def request_log(self):
        """What GET /_sandbox/requests answers: the requests and their counts."""
        counts = self.request_counts()
        return {'requests': self.requests(), 'counts': counts['by_method'], 'total': counts['total'], 'by_route': counts['by_route']}

    def another_writer(self, method, path, change, after_processing=False):
        """Another writer of the tenant: ``change(api)`` is run once, with the API's lock held, when the next request
        matching ``method`` and ``path`` (a glob, as a fault's) arrives: before it is processed (a change between a
        task's read and its write), or with ``after_processing`` just after (a change just after a task's read).
        Only a request that is processed runs it: one a fault answers instead does not.  Python only."""
        with self._meta_lock:
            self._writers.append({'method': method.upper(), 'path': path.lower().rstrip('/'), 'change': change,
                                  'after': bool(after_processing)})

    def pending_writers(self):
        with self._meta_lock:
            return len(self._writers)

    def _take_writer(self, method, path, after):
        path = path.lower().rstrip('/') or '/'
        with self._meta_lock:
            for writer in self._writers:
                if writer['method'] in ('*', method) and writer['after'] == after and fnmatch.fnmatchcase(path, writer['path']):
                    self._writers.remove(writer)
                    return writer['change']
        return None

    def _another_writer(self, method, path, after):
        change = self._take_writer(method, path, after)
        if change is not None:
            with self.api.lock:
                change(self.api)

    def configure(self, **switches):
        with self.api.lock:
            self.config.update(self._checked_config(dict(self.config), switches))
            return dict(self.config)

    def state(self):
        with self.api.lock:
            return self.api.dump()

    def load_state(self, state):
        with self.api.lock:
            self.api.load(state)
            self._persist()

    def save_state(self, path=None):
        path = path or self.state_file
        with self.api.lock:
            document = self.api.dump()
        temporary = '%s.%d.tmp' % (path, os.getpid())
        with open(temporary, 'w', encoding='utf-8') as handle:
            json.dump(document, handle, indent=1)
        os.replace(temporary, path)

    def reset(self):
        """Clear every store, fault and logged request, and restore the constructor's configuration."""
        with self.api.lock:
            self._generation += 1
            self.api.clear()
            self.config.clear()
            self.config.update(self.initial_config)
            self._persist()
        self.clear_faults()
        self.clear_requests()
        with self._meta_lock:
            self._writers = []

    @staticmethod
    def _checked_config(base, switches):
        for name, value in switches.items():
            if name not in _CONFIG_TYPES:
                raise ValueError('unknown sandbox setting %r' % name)
            if not isinstance(value, _CONFIG_TYPES[name]) or (isinstance(value, bool) and _CONFIG_TYPES[name] is not bool):
                raise ValueError('sandbox setting %r must be a %s' % (name, _CONFIG_TYPES[name].__name__))
            base[name] = value
        if not 400 <= base['auth_failure_status'] <= 599 or base['processing_polls'] < 0 or base['product_page_size'] < 1:
            raise ValueError('auth_failure_status must be 4xx/5xx, processing_polls >= 0, product_page_size >= 1')
        if base['latency_ms'] < 0:
            raise ValueError('latency_ms must be 0 or more')
        if base['product_update'] not in ('merge', 'replace'):
            raise ValueError("product_update must be 'merge' or 'replace'")
        return base

    def _persist(self):
        if self.state_file:
            self.save_state()

    # -- request processing -----------------------------------------------------------------------------------
    def serve(self, handler):
        parts = urlsplit(handler.path)
        body = handler.read_body()
        if parts.path.lower().rstrip('/').startswith('/_sandbox'):
            handler.send(self.control(handler.command, parts.path, body))
            return
        with self._serving_request():
            self._serve_api(handler, parts, body)

    def _serve_api(self, handler, parts, body):
        generation = self._generation
        if self.config['latency_ms'] and not self._wait(self.config['latency_ms'] / 1000.0, generation):
            handler.drop()
            return
        fault = self._take_fault(handler.command, parts.path)
        if fault and not fault['after_processing']:
            if not self._delay(handler, fault, generation):
                return
            if fault['drop'] or fault['status'] is not None:
                route = self.router.match(handler.command, parts.path)[0]
                self._answer(handler, parts, route, None if fault['drop'] else fault_reply(fault), fault)
                return
        self._another_writer(handler.command, parts.path, after=False)
        route, reply = self.process(handler.command, parts.path, parts.query, handler.headers, body)
        self._another_writer(handler.command, parts.path, after=True)
        if fault and fault['after_processing']:
            if not self._delay(handler, fault, generation):
                return
            if fault['drop']:
                reply = None
            elif fault['status'] is not None:
                reply = fault_reply(fault)
        self._answer(handler, parts, route, reply, fault)

    def _delay(self, handler, fault, generation):
        """Sleep for the fault's delay; False (connection dropped, nothing logged) if the sandbox was reset or stopped meanwhile."""
        if fault['delay'] and not self._wait(fault['delay'], generation):
            handler.drop()
            return False
        return True

    def _wait(self, seconds, generation):
        """Sleep (the fixed latency, a fault's delay), less if release_delays() is called meanwhile; False if the
        sandbox was stopped or reset meanwhile."""
        return self._sleep(seconds) and generation == self._generation

    def _answer(self, handler, parts, route, reply, fault):
        self._log_request({'method': handler.command, 'path': parts.path, 'query': parts.query,
                           'status': reply.status if reply else None, 'route': route.template if route else None,
                           'fault': fault['id'] if fault else None})
        if reply is None:
            handler.drop()
        else:
            handler.send(reply, route)

    def authorized(self, headers):
        pairs = ((headers.get('api-auth-id'), self.auth_id), (headers.get('api-auth-signature'), self.auth_signature))
        return all(sent is not None and hmac.compare_digest(sent.encode('utf-8'), expected.encode('utf-8')) for sent, expected in pairs)

    def process(self, method, path, query, headers, body):
        """Route, authenticate, read the body and run the handler: (route or None, Reply)."""
        route, params, allowed = self.router.match(method, path)
        if route is None:
            if allowed:
                return None, Reply(405, headers={'Allow': ', '.join(allowed)})
            return None, Reply(404)
        if not self.authorized(headers):
            return route, Reply(self.config['auth_failure_status'])
        try:
            payload = read_body(route.body, headers.get('Content-Type'), body) if route.body else None
            with self.api.lock:
                reply = getattr(self.api, route.handler)(Call(params, query, payload))
                if method != 'GET' and reply.status < 300:
                    self._persist()
        except ApiError as err:
            reply = err.reply
        except Exception as err:  # an unexpected sandbox bug answers like the service's unhandled exceptions
            sys.stderr.write('stocktrim sandbox: %s %s failed: %r\n' % (method, path, err))
            reply = Reply(500, _HTML_ERROR.encode('utf-8'), 'text/html; charset=utf-8')
        return route, reply

    # -- HTTP control API -------------------------------------------------------------------------------------
    def control(self, method, path, raw):
        name = path.lower().rstrip('/')[len('/_sandbox'):].strip('/')
        handler = {('GET', 'health'): lambda doc: {'status': 'ok', 'url': self.url},
                   ('GET', 'faults'): lambda doc: self.faults(),
                   ('POST', 'faults'): self._ctl_add_fault,
                   ('DELETE', 'faults'): lambda doc: self.clear_faults() or {'faults': []},
                   ('GET', 'requests'): lambda doc: self.request_log(),
                   ('DELETE', 'requests'): lambda doc: self.clear_requests() or {'requests': []},
                   ('POST', 'reset'): lambda doc: self.reset() or {'reset': True},
                   ('GET', 'config'): lambda doc: self.configure(),
                   ('POST', 'config'): lambda doc: self.configure(**(doc or {})),
                   ('GET', 'state'): lambda doc: self.state(),
                   ('PUT', 'state'): lambda doc: self.load_state(doc) or self.state()}.get((method, name))
        if handler is None:
            return json_reply(404, {'error': 'unknown control endpoint %s %s' % (method, path)})
        try:
            document = json.loads(raw.decode('utf-8')) if raw.strip() else None
            if document is not None and not isinstance(document, (dict, list)):
                raise ValueError('the body must be a JSON object')
            result = handler(document)
        except (ValueError, TypeError) as err:
            return json_reply(400, {'error': str(err)})
        return json_reply(201 if (method, name) == ('POST', 'faults') else 200, result)

    def _ctl_add_fault(self, document):
        if isinstance(document, list):
            return [self.add_fault(spec) for spec in document]
        return self.add_fault(document)
