#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_request
short_description: Send any request to the StockTrim API
version_added: 1.0.0
description:
  - Sends one request to any operation of the StockTrim API, for what the other StockTrim modules do not cover,
    and returns the answer.
  - It uses the same connection options, authentication headers, retry rule, errors and masking of secrets as every
    other module of the collection.
  - A status other than the expected ones (O(status_code)) fails the task with the structured failure.
  - The module is not idempotent by itself, it sends what it is given. A read (V(GET), V(HEAD)) reports not changed.
    A write reports changed, except when it is answered with an expected status other than 2xx, such as a V(404)
    listed in O(status_code) for "already gone", as the server did not act; a rerun of such a delete reports not
    changed. O(changed), when given, decides instead.
  - In check mode, a call the task declares as not changing anything (a read, or any call with O(changed=false),
    such as a query sent as V(POST)) is sent and returns its answer; any other call is not sent, and the task
    reports changed (it cannot know that the answer would be an expected error status).
  - A POST is never sent twice once StockTrim may have received it, even where the operation is an upsert;
    the resource modules, which know which operations are upserts by key, retry those.
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.request
  - apiops.platforms.attributes.raw_request
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.foxops_request
  - module: apiops.platforms.stocktrim_customer
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Read one customer
  apiops.platforms.stocktrim_request:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    path: /api/Customers/CUST-100
  register: customer

- name: Record a sale (a POST that acts every time it is received, so sent once and never retried)
  apiops.platforms.stocktrim_request:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    method: POST
    path: /api/SalesOrders
    body:
      productId: WIDGET-1
      orderDate: "2026-01-15T00:00:00Z"
      quantity: 3

- name: Query the order plan (a POST that only reads, so sent in check mode too)
  apiops.platforms.stocktrim_request:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    method: POST
    path: /api/OrderPlan
    body: {searchString: WIDGET}
    changed: false
  register: plan

- name: Read a configuration value, taking a missing one for an answer
  apiops.platforms.stocktrim_request:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    path: /api/Configuration/Forecast%20Period
    status_code: [200, 404]
  register: forecast_period
"""

RETURN = r"""
status:
  description:
    - The HTTP status of the answer; null in check mode for a call that was not sent (one that changes something).
  returned: always
  type: int
  sample: 200
json:
  description:
    - The answer parsed as JSON, when it is JSON (its C(Content-Type) says so, or it has none and parses); otherwise
      null, as for an empty answer and a call not sent in check mode.
  returned: always
  type: raw
  sample: {code: CUST-100, name: Corner Shop}
content:
  description:
    - The answer as text when it is not JSON (a plain-text or HTML answer), cut at 65536 characters (the cut is
      marked at the end); null when the answer is JSON or empty.
  returned: always
  type: str
  sample: 2.9.1
headers:
  description:
    - The answer's headers, their names in lower case; the values of those whose names look like secrets are masked.
    - Empty for a call not sent in check mode.
  returned: always
  type: dict
  sample: {content-type: application/json, content-length: "57"}
url:
  description:
    - The URL the request went to (or would go to, in check mode), with the query string and without credentials.
  returned: always
  type: str
  sample: https://api.stocktrim.com/api/Customers/CUST-100
method:
  description: The HTTP method.
  returned: always
  type: str
  sample: GET
attempts:
  description:
    - How many times the request was sent (more than 1 after retries); 0 for a call not sent in check mode.
  returned: always
  type: int
  sample: 1
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.request import STOCKTRIM_REQUEST


def main():
    STOCKTRIM_REQUEST.run()


if __name__ == "__main__":
    main()
