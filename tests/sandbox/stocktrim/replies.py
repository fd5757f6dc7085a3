# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP answers of the StockTrim API sandbox and the service's problem documents."""

from __future__ import annotations

import json
import uuid

JSON_CONTENT = 'application/json; charset=utf-8'
PROBLEM_CONTENT = 'application/problem+json; charset=utf-8'
_HTML_ERROR = ('<!DOCTYPE html><html><head><title>Internal Server Error</title></head><body><h1>An unhandled exception '
               'occurred while processing the request.</h1><pre>System.NullReferenceException: Object reference not set '
               'to an instance of an object.\n   at StockTrim.Api.Controllers (sandbox)</pre></body></html>')


class Reply:
    """An HTTP answer: status, body bytes, content type and extra headers."""

    def __init__(self, status, body=b'', content_type=None, headers=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})


class ApiError(Exception):
    """Raised by a route handler to answer with ``reply`` instead."""

    def __init__(self, reply):
        super().__init__(reply.status)
        self.reply = reply


def json_reply(status, document, content_type=JSON_CONTENT):
    return Reply(status, json.dumps(document, separators=(',', ':')).encode('utf-8'), content_type)


def trace_id():
    return '00-%s-%s-00' % (uuid.uuid4().hex, uuid.uuid4().hex[:16])


def problem(status, title, section, **extra):
    document = {'type': 'https://tools.ietf.org/html/rfc7231#section-%s' % section, 'title': title, 'status': status,
                'traceId': trace_id()}
    document.update(extra)
    return json_reply(status, document, PROBLEM_CONTENT)


def not_found():
    return problem(404, 'Not Found', '6.5.4')


def validation_problem(errors):
    return problem(400, 'One or more validation errors occurred.', '6.5.1', errors=errors)


def required_param(name):
    return ApiError(validation_problem({name: ['The %s field is required.' % name]}))
