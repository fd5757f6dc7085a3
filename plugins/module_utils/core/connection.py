# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options, written once for modules and lookups alike.

Modules read them from their parameters (with the environment fallbacks below); lookups read them through
``get_option`` (their documentation names the same environment variables).  Both end in
:meth:`ApiClient.from_options`, so the client stack exists once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import os

from ansible.module_utils.basic import env_fallback

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import InputError
from ansible_collections.apiops.platforms.plugins.module_utils.core.transport import SECRET_NAME, RetryPolicy, Transport, check_url

COMMON_CONNECTION_SPEC = {
    "validate_certs": {"type": "bool", "default": True},
    "ca_path": {"type": "path"},
    "timeout": {"type": "float", "default": 30},
    "retries": {"type": "int", "default": 5},
    "client_cert": {"type": "path"},
    "client_key": {"type": "path"},
    "headers": {"type": "dict"},
}

# Header names whose values are taken for secrets: masked in every output, failure and log.
SECRET_HEADER = SECRET_NAME  # the one rule for secret-looking names, headers and query parameters alike

FOXOPS_CONNECTION_SPEC = dict(COMMON_CONNECTION_SPEC, **{
    "url": {"type": "str", "required": True, "fallback": (env_fallback, ["FOXOPS_URL"])},
    "token": {"type": "str", "required": True, "no_log": True, "fallback": (env_fallback, ["FOXOPS_TOKEN"])},
})

STOCKTRIM_CONNECTION_SPEC = dict(COMMON_CONNECTION_SPEC, **{
    "url": {"type": "str", "default": "https://api.stocktrim.com", "fallback": (env_fallback, ["STOCKTRIM_URL"])},
    "auth_id": {"type": "str", "required": True, "fallback": (env_fallback, ["STOCKTRIM_API_AUTH_ID"])},
    "auth_signature": {"type": "str", "required": True, "no_log": True,
                       "fallback": (env_fallback, ["STOCKTRIM_API_AUTH_SIGNATURE"])},
})


def require(options, name):
    value = options.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError("%s is required" % name)
    return value


def extra_headers(options, own=()):
    """The ``headers`` option as text; the service's own authentication headers (``own``) cannot be replaced."""
    given = options.get("headers") or {}
    if not isinstance(given, dict):
        raise InputError("headers must be a dictionary of header names and values")
    taken = set(name.lower() for name in own)
    headers = {}
    for name, value in given.items():
        if not isinstance(name, str) or not name.strip() or value is None or isinstance(value, (dict, list)):
            raise InputError("headers: %r must be a header name with a text value" % (name,))
        if name.lower() in taken:
            raise InputError("headers must not set %s: the connection options set it" % name)
        headers[name] = str(value)
    return headers


def secret_header_values(headers):
    """The values of the headers whose names look like secrets (an API key, a token, a cookie)."""
    return [str(value) for name, value in (headers or {}).items() if value is not None and SECRET_HEADER.search(str(name))]


def client_certificate(options):
    """``client_cert`` alone, or (``client_cert``, ``client_key``); None without one. The files must exist."""
    cert, key = options.get("client_cert"), options.get("client_key")
    if key and not cert:
        raise InputError("client_key needs client_cert (the client certificate it belongs to)")
    for name, path in (("client_cert", cert), ("client_key", key)):
        if path and not os.path.isfile(path):
            raise InputError("%s %r is not a file" % (name, path))
    return (cert, key) if key else cert


def make_transport(options, headers, secrets, warn=None):
    """A :class:`Transport` from connection options; bad values are refused before any request.  A module's
    ``workers`` (the most requests it sends at once) sizes the connection pool (:func:`pool_size`)."""
    extra = extra_headers(options, own=headers)
    retries = options.get("retries")
    retries = 5 if retries is None else retries
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        raise InputError("retries must be a whole number, 0 or more (0 turns retrying off), got %r" % (retries,))
    timeout = options.get("timeout")
    timeout = 30 if timeout is None else timeout
    try:
        timeout = float(timeout)
    except (TypeError, ValueError):
        raise InputError("timeout must be a number of seconds, got %r" % (timeout,))
    if not math.isfinite(timeout) or timeout <= 0:
        raise InputError("timeout must be a positive number of seconds, got %r" % (timeout,))
    validate_certs = options.get("validate_certs")
    workers = options.get("workers")
    return Transport(
        check_url(options.get("url"), "url"),
        headers=dict(extra, **headers),
        timeout=timeout,
        validate_certs=True if validate_certs is None else validate_certs,
        ca_path=options.get("ca_path"),
        policy=RetryPolicy(retries=retries),
        warn=warn,
        secrets=tuple(secrets) + tuple(secret_header_values(extra)),
        cert=client_certificate(options),
        pool_size=pool_size(workers),
    )


def pool_size(workers):
    """Connections kept open: 16, or ``workers`` where more run at once (beyond the pool's size, each request
    over it would open a connection of its own and close it after)."""
    if isinstance(workers, int) and not isinstance(workers, bool):
        return max(16, workers)
    return 16


class ApiClient:
    """Base of the API clients: holds the transport; subclasses add the API's calls."""

    connection_spec = {}

    def __init__(self, transport):
        self.transport = transport

    @classmethod
    def from_options(cls, options, warn=None):
        raise NotImplementedError

    @property
    def request_count(self):
        return self.transport.request_count

    def close(self):
        self.transport.close()


def plugin_options(get_option, *specs):
    """The options of a lookup or inventory plugin, read through ``get_option`` by the names of the argument
    specs a module of the same family takes (the connection spec first), so both read the same options."""
    names = []
    for spec in specs:
        names.extend(name for name in spec if name not in names)
    return dict((name, get_option(name)) for name in names)


WORKERS_SPEC = {"workers": {"type": "int", "default": 8}}


def check_workers(params):
    """``workers`` bounds every pool of concurrent calls (writes, reads ahead, details): 1 sends them one at a
    time."""
    workers = params.get("workers")
    if workers is not None and workers < 1:
        raise InputError("workers must be 1 or more, got %d" % workers)


def map_concurrently(func, items, workers=8):
    """``[func(item) for item in items]`` on a bounded thread pool sharing one pooled session.

    Results keep the order of ``items``; the first exception raised is re-raised once all calls finished.
    """
    items = list(items)
    if len(items) <= 1 or workers <= 1:
        return [func(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        futures = [pool.submit(func, item) for item in items]
    return [future.result() for future in futures]
