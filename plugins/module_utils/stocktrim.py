# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The StockTrim API client: authentication, and the API's quirks absorbed in one place.

Quirks handled here and nowhere else:

* both ``api-auth-id`` and ``api-auth-signature`` headers on every request;
* a 404 that means "nothing there" (GET Products?code=, GET PurchaseOrders, ...) becomes an empty list
  (:meth:`StockTrimClient.get_list`) or None (:meth:`StockTrimClient.get_one`);
* a single object where a list is expected (and the reverse) is normalised to a list;
* the upserts by key (POST Products, POST PurchaseOrders, PUT Customers, POST Locations, ...) are idempotent
  and so may be retried: :meth:`StockTrimClient.upsert` marks them; every other POST is sent once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.connection import (
    STOCKTRIM_CONNECTION_SPEC,
    ApiClient,
    make_transport,
    require,
)
from ansible_collections.apiops.platforms.plugins.module_utils.errors import NotFoundError


def as_list(data):
    """The API answers a single object or a list depending on the filter: always give a list."""
    if data is None:
        return []
    if isinstance(data, list):
        return [item for item in data if item is not None]
    return [data]


class StockTrimClient(ApiClient):
    """Base StockTrim client; resource calls are added on top of these primitives."""

    connection_spec = STOCKTRIM_CONNECTION_SPEC

    @classmethod
    def from_options(cls, options, warn=None):
        auth_id = require(options, "auth_id")
        signature = require(options, "auth_signature")
        headers = {"api-auth-id": auth_id, "api-auth-signature": signature}
        return cls(make_transport(options, headers, secrets=(signature,), warn=warn))

    def get_list(self, path, params=None):
        """GET a collection; 404 ("nothing matches") is an empty list, one object a one-element list."""
        try:
            return as_list(self.transport.request("GET", path, params=params).json())
        except NotFoundError:
            return []

    def get_one(self, path, params=None):
        """GET one object, or None on 404."""
        items = self.get_list(path, params)
        return items[0] if items else None

    def upsert(self, method, path, body):
        """A create-or-update by key: idempotent, so the transport may retry it."""
        resp = self.transport.request(method, path, json=body, idempotent=True)
        return resp.json(), resp.status

    def post_once(self, path, body=None):
        """A POST that acts every time it is received: never re-sent once the server may have got it."""
        resp = self.transport.request("POST", path, json=body, idempotent=False)
        return resp.json(), resp.status

    def delete(self, path, params=None):
        """DELETE; the odd success codes (200, 201, 204) are all success, 404 is "already gone" (False)."""
        try:
            self.transport.request("DELETE", path, params=params)
        except NotFoundError:
            return False
        return True
