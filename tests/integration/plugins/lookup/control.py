# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A test-only lookup: one request to a test server's control API, sent from the controller."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: control
short_description: One request to a test server's control API, sent from the controller
description:
  - For the integration targets only (the harness puts this folder on the lookup path). It sends one request to the
    StockTrim sandbox's C(/_sandbox/) or the fault proxy's C(/_proxy/) control API, or stands in for another writer,
    without a module process, and fails when the answer's status is not one expected.
options:
  _terms:
    description:
      - One request, a dictionary with the keys of the uri module it replaces (C(url), C(method), C(body),
        C(body_format) (json only), C(headers), C(status_code)).
    required: true
    type: list
    elements: dict
"""

RETURN = r"""
_raw:
  description: The answer, decoded from JSON when it is JSON, else its text.
  type: raw
"""

import json
import urllib.error
import urllib.request

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        return [self.send(dict(term)) for term in terms]

    @staticmethod
    def send(request):
        url = request.pop("url")
        method = request.pop("method", "GET")
        expected = request.pop("status_code", 200)
        expected = [int(code) for code in (expected if isinstance(expected, list) else [expected])]
        if request.pop("body_format", "json") != "json":
            raise AnsibleError("control: only body_format json is supported")
        headers = dict(request.pop("headers", {}))
        data = None
        if "body" in request:
            data = json.dumps(request.pop("body")).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if request:
            raise AnsibleError("control: unknown keys %s" % ", ".join(sorted(request)))
        # the standard library's client: a worker that loads this lookup loads no more than it needs (the test
        # servers speak plain HTTP on 127.0.0.1)
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # nosec: a test server's control API
                status, text = answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            status, text = err.code, err.read().decode("utf-8", "replace")
        if status not in expected:
            raise AnsibleError("control: %s %s answered %s, expected %s: %s" % (method, url, status, expected, text[:500]))
        try:
            return json.loads(text)
        except ValueError:
            return text
