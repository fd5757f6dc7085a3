# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The StockTrim API client: authentication, the calls' primitives, and the API's quirks absorbed in one place.

Quirks handled here, for every resource:

* both ``api-auth-id`` and ``api-auth-signature`` headers on every request;
* a 404 that means "nothing there" (GET Products?code=, GET PurchaseOrders, ...) becomes an empty list
  (:meth:`StockTrimClient.get_list`) or None (:meth:`StockTrimClient.get_one`);
* a single object where a list is expected (and the reverse) is normalised to a list;
* every call declares whether it is safe to repeat: a write is an upsert by key (safe, so the transport may
  send it again) or acts every time it is received (sent once, never again once the server may have got it);
  the caller of :meth:`StockTrimClient.write` says which, where the call is written;
* a delete whose answer is lost is settled by a read (:meth:`StockTrimClient.delete` with ``exists``), never
  sent blind a second time: a second DELETE after a first that worked is answered 404;
* the answer of a write may be the object, a list holding it, another schema, an empty or a non-JSON body:
  :func:`answered` takes the object from it where it is there, and fields it does not carry from the
  predicted object; a write that succeeded never fails on its answer;
* keys and ids may come as numbers or strings (``10`` and ``"10"`` are the same key: :func:`match`);
* paginated reads follow the one paging rule (:func:`~paging.read_pages`).

What each resource's calls are, and its model, live in the file of its area (catalogue, purchase orders,
sales orders, BOMs, forecast and order plan).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import (
    STOCKTRIM_CONNECTION_SPEC,
    ApiClient,
    make_transport,
    require,
)
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import NotFoundError, TransportError
from ansible_collections.apiops.platforms.plugins.module_utils.core.paging import read_pages
from ansible_collections.apiops.platforms.plugins.module_utils.core.settle import settle_delete
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.keys import key_of

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for the import sanity test
    from urllib import quote  # type: ignore


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
            return as_list(self.transport.request("GET", path, params=params, idempotent=True).json())
        except NotFoundError:
            return []

    def get_one(self, path, params=None):
        """GET one object, or None on 404."""
        items = self.get_list(path, params)
        return items[0] if items else None

    def write(self, method, path, body=None, idempotent=None):
        """Send a write; its answer as JSON, or None when it has none or it is not JSON.

        ``idempotent`` (required) declares the call: True for an upsert by key, which the transport may send
        again after a failure in transit; False for a call that acts every time it is received (sent once, never
        again once the server may have got it).  A write that succeeded (2xx) is never turned into a failure by
        what its answer looks like: an empty body, a text such as ``Created``, an object or a list.
        """
        resp = self.transport.request(method, path, json=body, idempotent=idempotent)
        try:
            return resp.json()
        except TransportError:
            return None

    def pages(self, fetch, key, first, page_size=None, pool=None):
        """Every item of a paginated read (:func:`~paging.read_pages`), or a failure: never part of the list.
        ``first`` is where the call's pages start, as the call declares it; ``pool`` (a module's ``workers``)
        reads that many pages ahead at once, None or 1 one page after the other."""
        return read_pages(fetch, key, first, page_size, pool=pool)

    def delete(self, path, params=None, exists=None):
        """DELETE; the odd success codes (200, 201, 204) are all success, 404 is "already gone" (False).

        ``exists()`` reads whether what the delete removes is still there: with it, the delete is sent once,
        and a lost answer is settled by that read (:func:`~settle.settle_delete`). Without it (a delete of
        a selection no read can tell apart, such as sales by date range: sending it again removes nothing more),
        the delete is declared safe to repeat, and a 404 after an attempt whose answer was lost counts as done.
        """
        if exists is not None:
            return settle_delete(lambda: self._delete(path, params, False), exists)
        return self._delete(path, params, True)

    def _delete(self, path, params, idempotent):
        try:
            self.transport.request("DELETE", path, params=params, idempotent=idempotent)
        except NotFoundError as err:
            return bool(err.acted_before)
        return True


def dicts(items):
    """Only the objects of a list answer (a server may put nulls or other values in it)."""
    return [item for item in items if isinstance(item, dict)]


def match(items, key, value):
    """The object (raw API or model dict) whose ``key`` is exactly ``value`` (compared as text), or None."""
    wanted = key_of({"k": value}, "k")
    for item in items:
        if key_of(item, key) == wanted:
            return item
    return None


def answered(model, data, key, value, predicted=None):
    """The object a write answered with (one object or a list holding it), or ``predicted``.

    Fields the answer does not carry at all are taken from ``predicted``; an answer without this object
    (an empty body, another schema) gives ``predicted``.
    """
    wanted = key_of({"k": value}, "k")
    for item in as_list(data):
        if isinstance(item, dict):
            obj = model.from_api(item)
            if key_of(obj, key) == wanted:
                if predicted is not None:
                    for f in model.fields:
                        if f.api not in item and f.name not in item and predicted.get(f.name) is not None:
                            obj[f.name] = predicted[f.name]
                return obj
    return predicted


def path_part(value):
    """A key as one segment of a path (``/api/Customers/{code}``)."""
    return quote(str(value), safe="")
