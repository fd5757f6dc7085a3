# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One error hierarchy for every API the collection talks to.

Every failure the shared client raises is an :class:`ApiError` carrying the facts a playbook author needs:
the stable ``kind`` (``authentication``, ``not_found``, ``conflict``, ``validation``, ``rate_limited``,
``server``, ``transport``, ``timeout``), the HTTP ``status``, ``method``, ``url`` (never with credentials), the
server's message (truncated) and the number of ``attempts`` made.  :attr:`ApiError.may_have_acted` says
whether the server may have carried the call out (it was sent, and no 4xx answer says it was refused).  :func:`error_result` turns one into the
structured fields of ``fail_json``; modules and lookups use nothing else.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

BODY_LIMIT = 1000
MASK = "********"


def truncate(text, limit=BODY_LIMIT):
    """Return ``text`` cut to ``limit`` characters, marking the cut."""
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    if len(text) <= limit:
        return text
    return text[:limit] + "... [truncated %d characters]" % (len(text) - limit)


def redact(text, secrets):
    """Replace every secret value found in ``text`` with a mask."""
    if not text or not secrets:
        return text
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, MASK)
    return text


def server_message(body):
    """Extract the human message from an error body.

    Understands ``{"message": ...}`` and ``{"detail": ...}`` (Foxops), ASP.NET problem details with
    ``title``/``detail``/``errors`` (StockTrim), and falls back to the raw text.
    """
    if body is None:
        return ""
    text = body.strip() if isinstance(body, str) else str(body)
    if not text:
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if not isinstance(data, dict):
        return text
    for key in ("message", "detail"):
        if isinstance(data.get(key), str) and data[key]:
            return data[key]
    errors = data.get("errors")
    if isinstance(errors, dict) and errors:
        parts = []
        for field in sorted(errors):
            problems = errors[field]
            if isinstance(problems, list):
                problems = " ".join(str(p) for p in problems)
            parts.append("%s: %s" % (field, problems) if field else str(problems))
        return "; ".join(parts)
    if isinstance(data.get("title"), str):
        return data["title"]
    return text


class ApiError(Exception):
    """Base of every error raised by the shared client."""

    kind = "server"

    def __init__(self, msg, status=None, method=None, url=None, body=None, attempts=1, retryable=False):
        super(ApiError, self).__init__(msg)
        self.msg = msg
        self.status = status
        self.method = method
        self.url = url
        self.body = truncate(body)
        self.raw_body = None  # set by the transport: the answer's text as it came (truncated), for its shape
        self.attempts = attempts
        self.retryable = retryable
        self.sent = False  # set by the transport: the request reached the server, or may have
        self.acted_before = False  # set by the transport: an earlier attempt of the call may have been acted on

    @property
    def may_have_acted(self):
        """True when the server may have carried the call out: it was sent, and no answer refused it (a 2xx came
        back, or no answer, a timeout or a 5xx after it was sent). A 4xx answer, 429 included, means it did not."""
        return self.acted_before or (bool(self.sent) and (self.status is None or self.status >= 500))

    def __str__(self):
        return self.msg

    def result(self):
        """The structured fields every failure carries (CONTRACT: error, status, method, url, body, attempts)."""
        return {
            "error": self.kind,
            "status": self.status,
            "method": self.method,
            "url": self.url,
            "body": self.body,
            "attempts": self.attempts,
        }


class AuthenticationError(ApiError):
    kind = "authentication"


class NotFoundError(ApiError):
    kind = "not_found"


class ConflictError(ApiError):
    kind = "conflict"


class ValidationError(ApiError):
    kind = "validation"


class RateLimitedError(ApiError):
    """429 Too Many Requests, still answered after the retries: the server did not act on the call."""

    kind = "rate_limited"


class ServerError(ApiError):
    kind = "server"


class TransportError(ApiError):
    kind = "transport"


class RequestTimeoutError(ApiError):
    kind = "timeout"


class InputError(ApiError):
    """Bad input found before any request was sent."""

    kind = "validation"

    def __init__(self, msg):
        super(InputError, self).__init__(msg, attempts=0)


STATUS_ERRORS = {
    400: ValidationError,
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitedError,
}


def error_for_status(status):
    """The error class for an HTTP status: the one place where statuses map to kinds."""
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    if status >= 500:
        return ServerError
    if status == 408:
        return RequestTimeoutError
    if status >= 400:
        return ValidationError
    return ApiError


def error_result(err, msg=None):
    """Keyword arguments for ``fail_json`` (or a lookup's error) describing ``err``."""
    result = err.result()
    result["msg"] = msg or err.msg
    return result
