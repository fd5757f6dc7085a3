# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""StockTrim bills of materials: one line (a component of a product and its quantity) per spec object.

``POST /api/boms`` sets the quantity of the line named by its natural key (``productId`` + ``componentId``);
the same body sent again sets the same quantity on the same line, so it is an upsert by key (retried).  Some
servers add a line on every POST instead: the line is read back and left single.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Info, Resource
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import Field, Model
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient

MAX_DELETES = 10  # a server may delete one line of a key per call

BOM = Model(
    Field("id", type="int", readonly=True),
    Field("product_id", required=True),
    Field("component_id", required=True),
    Field("quantity", type="float", minimum=0),
    Field("assembly_time_days", type="int", readonly=True),
)


def list_boms(client, product_id=None, component_id=None):
    """The BOM lines (of one product, of one component): ``GET /api/boms`` answers a list, one object, or
    404 for none, with 200 or (as the spec says) 201; the filters are applied here as well."""
    params = {}
    if product_id:
        params["productId"] = product_id
    if component_id:
        params["componentId"] = component_id
    found = [BOM.from_api(item) for item in client.get_list("/api/boms", params or None) if isinstance(item, dict)]
    return [b for b in found
            if (not product_id or b["product_id"] == product_id) and (not component_id or b["component_id"] == component_id)]


def find_bom(client, product_id, component_id):
    found = list_boms(client, product_id, component_id)
    return found[0] if found else None


def write_bom(client, values):
    """Set a BOM line's quantity by its natural key, and leave exactly one line for that key.

    Whether ``POST /api/boms`` updates the line of that key or adds another one is not documented.  It is
    sent as an upsert (retried when it fails in transit); the lines are then read back, and when the server
    added a second line for the key (or a retry did; a read that answers one object shows the old line
    unchanged then), the lines of the key are deleted and the line written once more.  The line after the
    write, or None when it could not be read.
    """
    product_id, component_id = values["product_id"], values["component_id"]
    body = BOM.to_api(values)
    client.write("POST", "/api/boms", body, idempotent=True)
    found = list_boms(client, product_id, component_id)
    if len(found) > 1 or (found and BOM.differences(values, found[0])):
        delete_bom(client, product_id, component_id)
        client.write("POST", "/api/boms", body, idempotent=True)
        found = list_boms(client, product_id, component_id)
    return found[0] if found else None


def delete_bom(client, product_id, component_id):
    """``DELETE /api/boms`` (201, 200 or 204) until no line of the key is left; False when there was none."""
    deleted = False
    for _count in range(MAX_DELETES):
        if not client.delete("/api/boms", {"productId": product_id, "componentId": component_id},
                             exists=lambda: bool(list_boms(client, product_id, component_id))):
            break
        deleted = True
        if not list_boms(client, product_id, component_id):
            break
    return deleted


def _complete(ctx, desired, current):
    """The line's key and quantity: the API sets the quantity sent (null when left out), so an update keeps
    the current one unless another is given."""
    values = dict(desired)
    if values.get("quantity") is None and current is not None:
        values["quantity"] = current["quantity"]
    return values


BOM_RESOURCE = Resource(
    "bom", StockTrimClient, BOM, key="product_id", keys=("product_id", "component_id"),
    find=lambda ctx: find_bom(ctx.client, ctx.params["product_id"], ctx.params["component_id"]),
    complete=_complete,
    write=lambda ctx, body, current, predicted: write_bom(ctx.client, body),
    delete=lambda ctx, current: delete_bom(ctx.client, current["product_id"], current["component_id"]),
)

BOM_INFO = Info("boms", StockTrimClient,
                lambda ctx: list_boms(ctx.client, ctx.params["product_id"], ctx.params["component_id"]),
                filters={"product_id": {"type": "str"}, "component_id": {"type": "str"}})
