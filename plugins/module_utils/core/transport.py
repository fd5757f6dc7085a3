# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP transport every API client of the collection is built on.

Resilience lives here, below the API code, and nowhere else:

* a pooled :class:`requests.Session` (keep-alive, proxies from the environment read once, TLS options);
* retries driven by tenacity with exponential backoff and full jitter, a cap per wait and an overall
  deadline; ``Retry-After`` (seconds or an HTTP date) honoured up to the cap; a warning per retry;
* the retry rule, in :meth:`RetryPolicy.should_retry`: a failure to connect (nothing was sent) is retried
  for every call, and so is 429 (the server refused the call: it did not act); 408, 502, 503, 504, read
  timeouts and dropped connections only for a call that is safe to repeat.  Whether a call is safe to repeat
  is declared by the API code where the call is written (``idempotent=True`` or ``False`` on every request),
  never inferred from the HTTP method: a Foxops PUT that opens a change is not safe to send twice, a StockTrim
  upsert by key sent as POST is.  A call that is not safe to repeat is never sent twice once the server may
  have received it.
* credentials come from the options only: the session never reads ``~/.netrc`` (or ``$NETRC``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import json as jsonlib
import os
import random
import re
import time
import traceback

try:
    from urllib.parse import unquote, urlsplit, urlunsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for the import sanity test
    from urllib import unquote  # type: ignore
    from urlparse import urlsplit, urlunsplit  # type: ignore

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

TENACITY_IMPORT_ERROR = None
try:
    import tenacity
    HAS_TENACITY = True
except ImportError:
    HAS_TENACITY = False
    TENACITY_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import (
    InputError,
    RequestTimeoutError,
    TransportError,
    error_for_status,
    redact,
    server_message,
    truncate,
)

COLLECTION_VERSION = "2.0.0"
USER_AGENT = "apiops.platforms/%s" % COLLECTION_VERSION
RETRY_STATUSES = frozenset((408, 429, 502, 503, 504))
REDIRECTS = frozenset((301, 302, 303, 307, 308))
MSG_BODY_LIMIT = 300  # the server's message in ``msg``; the failure's ``body`` keeps more of it


def check_url(url, option="url"):
    """Refuse a base URL without an http(s) scheme and a host, naming the option."""
    if not isinstance(url, str) or not url.strip():
        raise InputError("%s is required: give the service's base URL, for example https://host.example.com" % option)
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("%s must be an http:// or https:// URL with a host, got %r" % (option, url))
    if parts.username or parts.password:
        raise InputError("%s must not carry credentials; use the module's authentication options" % option)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


# Names of query parameters and headers whose values are secrets: shown masked wherever a URL or headers are
# returned or reported.
SECRET_NAME = re.compile(r"auth|token|key|secret|signature|passw|cookie|session|credential", re.IGNORECASE)
MASKED_VALUE = "********"


def secret_name(name):
    """True for a header or query parameter name that carries a secret (``apiKey``, ``api-auth-signature``...)."""
    return bool(SECRET_NAME.search(str(name)))


def safe_url(url):
    """A URL fit for messages and results: no user info, no fragment, secret-looking query values masked."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc = "%s:%s" % (netloc, parts.port)
    query = parts.query
    if query:
        pairs = []
        for pair in query.split("&"):
            name, sep, _value = pair.partition("=")
            pairs.append(name + sep + MASKED_VALUE if sep and secret_name(unquote(name)) else pair)
        query = "&".join(pairs)
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def parse_retry_after(value, now=None):
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class Failure(Exception):
    """One failed attempt, as the retry machinery sees it."""

    def __init__(self, error, sent, retry_after=None, fatal=False):
        super(Failure, self).__init__(error.msg)
        self.error = error
        self.sent = sent
        self.retry_after = retry_after
        self.fatal = fatal


class RetryPolicy:
    """How often and how long to retry, and which failures may be retried at all."""

    def __init__(self, retries=5, backoff=0.5, max_wait=30.0, deadline=300.0, statuses=RETRY_STATUSES):
        if retries is None or retries < 0:
            raise InputError("retries must be 0 or more, got %r" % (retries,))
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.max_wait = float(max_wait)
        self.deadline = float(deadline)
        self.statuses = frozenset(statuses)

    @property
    def attempts(self):
        return 1 + self.retries

    def should_retry(self, failure, idempotent):
        """The retry rule, in one place.

        * Nothing reached the server (could not connect): retried, whatever the call.
        * 429: retried, whatever the call: the server refused it, so it did not act.
        * 408/502/503/504, read timeouts and connections dropped after sending: retried only when the call is
          safe to repeat, because the server may already have acted on it.
        * Everything else (other 4xx, 500, TLS errors): never retried.
        """
        if failure.fatal:
            return False
        if not failure.sent:
            return True
        if failure.error.status == 429:
            return 429 in self.statuses
        if not idempotent:
            return False
        if failure.error.status is not None:
            return failure.error.status in self.statuses
        return failure.error.retryable

    def wait_seconds(self, attempt_number, failure):
        """Full-jitter exponential backoff, or the server's Retry-After; both capped at ``max_wait``."""
        if failure is not None and failure.retry_after is not None:
            return min(failure.retry_after, self.max_wait)
        ceiling = min(self.max_wait, self.backoff * (2 ** (attempt_number - 1)))
        return random.uniform(0, ceiling)


class Response:
    """What the transport hands back: status, headers, text, parsed JSON, and the attempts it took."""

    def __init__(self, status, headers, text, attempts, method, url):
        self.acted_before = False  # an earlier attempt of the call may have been acted on (its answer was lost)
        self.status = status
        self.headers = headers
        self.text = text
        self.attempts = attempts
        self.method = method
        self.url = url

    def json(self):
        if not self.text or not self.text.strip():
            return None
        try:
            return jsonlib.loads(self.text)
        except ValueError:
            raise TransportError(
                "%s %s returned a body that is not JSON" % (self.method, self.url),
                status=self.status, method=self.method, url=self.url, body=self.text, attempts=self.attempts,
            )


class Transport:
    """A pooled HTTP session with the collection's retry rule."""

    def __init__(self, base_url, headers=None, timeout=30, validate_certs=True, ca_path=None, policy=None,
                 warn=None, secrets=(), pool_size=16, sleep=None, cert=None):
        self.base_url = check_url(base_url)
        self.timeout = float(timeout)
        if self.timeout <= 0:
            raise InputError("timeout must be a positive number of seconds, got %r" % (timeout,))
        self.policy = policy or RetryPolicy()
        self.warn = warn or (lambda msg: None)
        self.secrets = tuple(s for s in secrets if s)
        self._sleep = sleep or time.sleep
        self.request_count = 0
        self.writes_answered = 0  # calls other than GET and HEAD answered 2xx: the engine's "something was written"
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self.session.headers.update(headers or {})
        if validate_certs and ca_path and not os.path.exists(ca_path):
            raise InputError("ca_path %s does not exist: give a CA bundle file or a folder of certificates" % ca_path)
        self.session.verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        self.session.cert = cert  # a client certificate file, or (certificate, key) files
        # What the environment says (proxies and NO_PROXY, a CA bundle variable when validate_certs is on without
        # ca_path) is read once here: every request goes to the one base URL, so the answer is the same for each,
        # and requests would otherwise walk the whole environment again for every request. Credentials are not
        # taken from it: with trust_env off, requests never reads ~/.netrc (or $NETRC), whose entry would replace
        # the Foxops bearer token or be sent to StockTrim as Basic auth.
        settings = self.session.merge_environment_settings(self.base_url, {}, None, self.session.verify, None)
        self._proxies = settings["proxies"]
        self._verify = settings["verify"]
        self.session.trust_env = False

    def close(self):
        """Close the pooled connections; the next request opens a new one (after a server dropped its end)."""
        self.session.close()

    def url_for(self, path):
        return self.base_url + path

    def shown_url(self, method, path, params=None):
        """The URL a call goes to, as messages and results show it (no credentials)."""
        return safe_url(requests.Request(method.upper(), self.url_for(path), params=params).prepare().url)

    def request(self, method, path, params=None, json=None, idempotent=None, data=None, headers=None, expect=()):
        """Send one API call with retries; return a :class:`Response` for 2xx, raise an ApiError otherwise.

        ``idempotent`` (True or False, required) declares whether the call is safe to send again once the server
        may have received it: a property of the API call, never of its method.  ``expect`` lists further
        statuses (a redirect, an error) answered with a Response, neither raised nor retried.
        """
        method = method.upper()
        if idempotent not in (True, False):
            raise ValueError("%s %s: every call declares whether it is safe to repeat (idempotent=True or False)"
                             % (method, path))
        url = self.url_for(path)
        shown = self.shown_url(method, path, params)
        expect = frozenset(expect or ())
        policy = self.policy
        started = time.monotonic()
        state = {"attempt": 0, "acted": False}

        def attempt():
            state["attempt"] += 1
            return self._send(method, url, shown, params, json, data, headers, state["attempt"], expect)

        def retry_if(retry_state):
            failure = retry_state.outcome.exception()
            return isinstance(failure, Failure) and policy.should_retry(failure, idempotent)

        planned = {}

        def wait(retry_state):
            # the wait before the next attempt, worked out once: tenacity asks for it before or after the stop
            # condition depending on its version, and both must see the same (jittered) wait
            number = retry_state.attempt_number
            if number not in planned:
                planned[number] = policy.wait_seconds(number, retry_state.outcome.exception())
            return planned[number]

        def stop(retry_state):
            if retry_state.attempt_number >= policy.attempts:
                return True
            return (time.monotonic() - started) + wait(retry_state) > policy.deadline

        def before_sleep(retry_state):
            failure = retry_state.outcome.exception()
            if failure.sent and (failure.error.status is None or failure.error.status >= 500):
                state["acted"] = True
            left = policy.attempts - retry_state.attempt_number
            reason = failure.error.status if failure.error.status is not None else failure.error.kind
            self.warn("retrying %s %s after %s in %.1fs, %d attempt%s left"
                      % (method, shown, reason, wait(retry_state), left, "" if left == 1 else "s"))

        retrying = tenacity.Retrying(
            retry=retry_if, wait=wait, stop=stop, before_sleep=before_sleep, sleep=self._sleep, reraise=True,
        )
        try:
            resp = retrying(attempt)
            resp.acted_before = state["acted"]
            return resp
        except Failure as failure:
            err = failure.error
            err.attempts = state["attempt"]
            err.sent = failure.sent
            err.acted_before = state["acted"]
            if failure.sent and not idempotent and not failure.fatal and err.may_have_acted and \
                    (err.status in policy.statuses or err.status is None):
                err.msg += (" (not retried: this call is not safe to repeat and the server may already have acted "
                            "on it)")
            elif state["attempt"] > 1:
                err.msg += " (after %d attempts)" % state["attempt"]
            raise err

    def _send(self, method, url, shown, params, json, data, headers, attempt_number, expect=frozenset()):
        self.request_count += 1
        try:
            # ``verify`` with every request, as worked out once from the options and the environment: given only on
            # the session, requests would let REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE replace validate_certs=false
            # or ca_path
            resp = self.session.request(
                method, url, params=params, json=json, data=data, headers=headers, proxies=self._proxies,
                timeout=(self.timeout, self.timeout), allow_redirects=False, verify=self._verify,
            )
        except requests.exceptions.SSLError as exc:
            raise Failure(TransportError("%s %s: TLS error: %s (see validate_certs, ca_path, client_cert and client_key)" % (method, shown, self._clean(exc)),
                                         method=method, url=shown), sent=False, fatal=True)
        except requests.exceptions.ConnectTimeout as exc:
            raise Failure(RequestTimeoutError("%s %s: timed out connecting after %ss: %s"
                                              % (method, shown, self.timeout, self._clean(exc)),
                                              method=method, url=shown, retryable=True), sent=False)
        except requests.exceptions.ReadTimeout:
            raise Failure(RequestTimeoutError("%s %s: no answer within %ss" % (method, shown, self.timeout),
                                              method=method, url=shown, retryable=True), sent=True)
        except requests.exceptions.ConnectionError as exc:
            sent = not _is_connect_failure(exc)
            what = "connection lost before an answer" if sent else "could not connect"
            raise Failure(TransportError("%s %s: %s: %s" % (method, shown, what, self._clean(exc)),
                                         method=method, url=shown, retryable=True), sent=sent)
        except requests.exceptions.RequestException as exc:
            raise Failure(TransportError("%s %s: %s" % (method, shown, self._clean(exc)), method=method, url=shown),
                          sent=False, fatal=True)
        except (OSError, ValueError) as exc:  # a TLS file that cannot be read, and such: before anything was sent
            raise Failure(TransportError("%s %s: %s (see ca_path, client_cert and client_key)"
                                         % (method, shown, self._clean(exc)), method=method, url=shown),
                          sent=False, fatal=True)
        text = self._clean(resp.text)
        if (resp.status_code < 400 and resp.status_code not in REDIRECTS) or resp.status_code in expect:
            if method not in ("GET", "HEAD") and 200 <= resp.status_code < 300:
                self.writes_answered += 1
            return Response(resp.status_code, resp.headers, text, attempt_number, method, shown)
        cls = error_for_status(resp.status_code)
        message = server_message(text)
        reason = resp.reason or ""
        if resp.status_code in REDIRECTS:
            message = "redirected to %s; check the url option" % resp.headers.get("Location", "?")
        err = cls("%s %s returned %s %s%s" % (method, shown, resp.status_code, reason,
                                              (": " + truncate(message, MSG_BODY_LIMIT)) if message else ""),
                  status=resp.status_code, method=method, url=shown, body=message or text)
        err.raw_body = truncate(text)
        raise Failure(err, sent=True, retry_after=parse_retry_after(resp.headers.get("Retry-After")))

    def _clean(self, value):
        return redact(str(value), self.secrets)


def _is_connect_failure(exc):
    """True when the exception says the connection was never established (so nothing was sent)."""
    seen = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        name = type(current).__name__
        if name in ("NewConnectionError", "ConnectTimeoutError", "NameResolutionError", "ConnectionRefusedError"):
            return True
        stack.extend([getattr(current, "reason", None), current.__cause__, current.__context__])
        stack.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
    return False
