# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Any operation of a service's API, for what no module covers: ``foxops_request`` and ``stocktrim_request``.

The call goes through the service's own client (its authentication, the transport's retry rule, the error
hierarchy, the masking of secrets), so it behaves as every other module: a read is retried, a write is never sent
again once the server may have acted on it, and a failure after it may have reports ``changed``.  What this kind adds, once for both
services: the request's options and their checks (``path`` stays inside the API), the expected statuses, the
changed rule, check mode (what does not change anything is sent, the rest is not) and the result (status, parsed
JSON or text, headers with secrets masked).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

try:
    from urllib.parse import unquote
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for the import sanity test
    from urllib import unquote  # type: ignore

from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import SECRET_HEADER
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Spec
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import MASK, InputError, error_for_status, truncate

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
READS = frozenset(("GET", "HEAD"))  # not changed by default, so sent in check mode
# The calls sent again after an answer that may be lost (the transport's retry rule): a raw request cannot know
# whether its operation is safe to repeat (a Foxops PUT opens a change, a second DELETE of an incarnation may hit
# an id Foxops gave to another one), so only the reads are; a write is sent once. A failure to connect and a 429
# are retried for every call (the server did not act).
SAFE_TO_REPEAT = READS
CONTENT_LIMIT = 65536  # characters of a text answer returned in ``content``; the rest is cut, marked

REQUEST_OPTIONS = {
    "method": {"type": "str", "default": "GET", "choices": list(METHODS)},
    "path": {"type": "str", "required": True},
    "query": {"type": "dict"},
    "body": {"type": "raw"},
    "status_code": {"type": "list", "elements": "int"},
    "changed": {"type": "bool"},
}

ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:)?[/\\]{2}")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_path(path):
    """``path`` as sent after the service's url, with a leading ``/``; refused when it would leave the API."""
    if not isinstance(path, str) or not path.strip():
        raise InputError("path must not be empty: give the operation's path after the url, for example /api/Customers")
    path = path.strip()
    if ABSOLUTE.match(path) or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path):
        raise InputError("path must be relative to the url option, not an absolute URL (got %r): give only the part "
                         "after the service's url, for example /api/Customers" % truncate(path, 200))
    if CONTROL.search(path):
        raise InputError("path must not contain control characters or line breaks")
    if "?" in path or "#" in path:
        raise InputError("path must not carry a query string or a fragment: give the query parameters in the "
                         "query option, and encode a ? or # in a path segment as %3F or %23")
    if any(part == ".." for part in re.split(r"[/\\]", unquote(path))):
        raise InputError("path must stay inside the API below the url option: a '..' segment is refused (got %r)"
                         % truncate(path, 200))
    return path if path.startswith("/") else "/" + path


def check_query(query):
    """The query parameters as text: a boolean as ``true``/``false``, a list as a repeated parameter, None left out."""
    if query is None:
        return None
    params = {}
    for name, value in query.items():
        values = value if isinstance(value, list) else [value]
        texts = []
        for item in values:
            if item is None:
                continue
            if isinstance(item, bool):
                texts.append("true" if item else "false")
            elif isinstance(item, (str, int, float)):
                texts.append(str(item))
            else:
                raise InputError("query: the value of %s must be a text, a number, a boolean or a list of them, got %s"
                                 % (name, type(item).__name__))
        if texts:
            params[str(name)] = texts if isinstance(value, list) else texts[0]
    return params


def check_body(body, method):
    """The JSON body to send (None: no body). A text is taken for a JSON document and must parse."""
    if body is None:
        return None
    if method in READS:
        raise InputError("body is not sent with %s: give the parameters of a read in the query option" % method)
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError as exc:
            raise InputError("body given as a text must be a JSON document (%s); to send a JSON string, quote it, "
                             "for example '\"text\"'" % exc)
    try:
        json.dumps(body, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InputError("body must be a JSON value (objects, lists, texts, finite numbers, booleans, null): %s" % exc)
    return body


def check_statuses(statuses):
    """The expected statuses (None: any 2xx)."""
    if statuses is None:
        return None
    if not statuses:
        raise InputError("status_code must list at least one status; leave it out to accept any 2xx status")
    for status in statuses:
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise InputError("status_code must list HTTP statuses from 100 to 599, got %r" % (status,))
    return frozenset(statuses)


def declared_changed(params):
    """Whether the task says the call changes something: the ``changed`` option, or by default whether the method
    writes.  A call declared as not changing (a read, or a query sent as POST with ``changed: false``) is sent in
    check mode; any other is not."""
    if params.get("changed") is not None:
        return params["changed"]
    return params["method"] not in READS


def is_changed(params, status=None, acted_before=False):
    """``changed`` for an answer with ``status`` (None: not sent, check mode).

    The ``changed`` option when given; otherwise a read is not changed, and a write is changed unless an expected
    status other than 2xx came back (a 404 for "already gone"): the server did not act, unless an earlier attempt
    whose answer was lost may have (``acted_before``)."""
    declared = declared_changed(params)
    if params.get("changed") is not None or not declared:
        return declared
    return status is None or 200 <= status < 300 or bool(acted_before)


def shown_headers(headers, secrets):
    """Response headers for the result: lower-case names; values of secret-looking names masked, secrets redacted."""
    shown = {}
    for name, value in (headers or {}).items():
        name = str(name).lower()
        if SECRET_HEADER.search(name):
            shown[name] = MASK
        else:
            text = str(value)
            for secret in secrets:
                if secret and len(secret) >= 3:
                    text = text.replace(secret, MASK)
            shown[name] = text
    return shown


def answer_of(resp):
    """``(json, content)`` of an answer: parsed JSON when it is JSON (by its type, or untyped and parsing), else the
    text cut to :data:`CONTENT_LIMIT` characters; both None for an empty answer."""
    text = resp.text or ""
    if not text.strip():
        return None, None
    kind = str((resp.headers or {}).get("Content-Type", "")).lower()
    if not kind or "json" in kind:
        try:
            return json.loads(text), None
        except ValueError:
            pass
    return None, truncate(text, CONTENT_LIMIT)


class Request(Spec):
    """One request to any operation of the service's API, with the collection's transport."""

    def __init__(self, name, client, **kwargs):
        super(Request, self).__init__(name, client, options=dict(REQUEST_OPTIONS), **kwargs)

    def execute(self, ctx):
        params = ctx.params
        method = params["method"]
        path = check_path(params["path"])
        query = check_query(params.get("query"))
        body = check_body(params.get("body"), method)
        statuses = check_statuses(params.get("status_code"))
        transport = ctx.client.transport  # the connection options are checked here, before any request
        url = transport.shown_url(method, path, query)
        if ctx.check_mode and declared_changed(params):
            return ctx.module.exit_json(changed=is_changed(params), status=None, json=None, content=None, headers={},
                                        url=url, method=method, attempts=0)
        resp = ctx.writing(lambda: transport.request(
            method, path, params=query, json=body, idempotent=method in SAFE_TO_REPEAT,
            expect=[s for s in statuses if not 200 <= s < 300] if statuses else ()))
        if (resp.status not in statuses) if statuses else not 200 <= resp.status < 300:
            expected = ", ".join(str(s) for s in sorted(statuses)) if statuses else "2xx"
            err = error_for_status(resp.status)(
                "%s %s returned %s, not one of the expected statuses (status_code: %s)" % (method, url, resp.status, expected),
                status=resp.status, method=method, url=url, body=resp.text, attempts=resp.attempts)
            # a 2xx the task did not expect still did what was asked: report a write as changed
            return ctx.module.fail_error(err, changed=declared_changed(params) and 200 <= resp.status < 300)
        data, content = answer_of(resp)
        ctx.module.exit_json(changed=is_changed(params, resp.status, getattr(resp, "acted_before", False)),
                             status=resp.status, json=data, content=content,
                             headers=shown_headers(resp.headers, transport.secrets), url=resp.url, method=method,
                             attempts=resp.attempts)
