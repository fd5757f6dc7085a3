#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_inventories
short_description: Set the stock levels of many StockTrim products at their locations in one task
version_added: 1.0.0
description:
  - Sets the stock on hand and the stock on order of many products at their locations, as absolute numbers,
    with one paginated read of the catalogue (the levels are read from the products) and writes only for the
    levels that differ.
  - Each level is compared and completed like M(apiops.platforms.stocktrim_inventory) does it (a level not
    given keeps its current value, V(0) when the product has no stock at that location yet).
  - StockTrim takes many levels in one call (C(POST /api/Inventory), absolute levels, so it may be sent again),
    so the levels to write are sent together, 100 a call. When StockTrim refuses a call (a product that does not
    exist makes it refuse the whole call), its levels are sent again one a call, so that the others are written
    and each refused level is named with the reason under RV(failures).
  - The products must exist; create them first with M(apiops.platforms.stocktrim_products). In check mode a
    product that does not exist yet (an earlier task of the same run would create it) gives a warning and the
    predicted levels.
  - A level is named C(<product_id>/<location_code>) in RV(created), RV(updated), RV(unchanged) and the diff.
  - With C(--diff), C(diff.before) and C(diff.after) hold only the levels written.
options:
  inventory:
    description:
      - The stock levels (API field C(inventory)). Each element is a dict taking the options of
        M(apiops.platforms.stocktrim_inventory) (C(product_id) and C(location_code) required, then
        C(location_name), C(stock_on_hand), C(stock_on_order)), without the connection options and
        O(update_totals).
      - Every element is validated before any request is sent; an error names the element's index and the
        option.
      - A product may appear only once at each location.
    type: list
    elements: dict
    required: true
  update_totals:
    description:
      - Whether StockTrim sets each product's overall stock on hand and on order to the sum over its locations
        (API fields C(updateOverallAllOnHandToBeSumOfLocation) and C(updateOverallAllOnOrderToBeSumOfLocation)).
    type: bool
    default: true
  workers:
    description:
      - How many calls are sent at once, for the writes and for reading the catalogue the levels come from.
      - After its first page, the catalogue is read O(workers) pages at a time, taken in page order; besides the
        pages that exist (and the one that ends the read), at most O(workers) minus one more pages are asked for,
        which the server answers as empty. With V(1), one page after the other.
    type: int
    default: 8
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_inventory
  - module: apiops.platforms.stocktrim_products
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Set the stock of the warehouse
  apiops.platforms.stocktrim_inventories:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    inventory:
      - product_id: WIDGET-001
        location_code: MAIN
        stock_on_hand: 40
        stock_on_order: 100
      - product_id: WIDGET-002
        location_code: MAIN
        stock_on_hand: 12
"""

RETURN = r"""
created:
  description:
    - The C(<product_id>/<location_code>) of each product that had no stock at that location and was (or would
      be) given the levels.
  returned: always
  type: list
  elements: str
  sample: [WIDGET-002/MAIN]
updated:
  description: The C(<product_id>/<location_code>) of each level that differed and was (or would be) written.
  returned: always
  type: list
  elements: str
  sample: [WIDGET-001/MAIN]
unchanged:
  description: The C(<product_id>/<location_code>) of each level that already had the values given.
  returned: always
  type: list
  elements: str
  sample: []
deleted:
  description: Always empty; StockTrim cannot delete stock levels.
  returned: always
  type: list
  elements: str
  sample: []
inventory:
  description:
    - The levels given, in the same order, as they are after the task (in check mode, as predicted), each with
      the fields of M(apiops.platforms.stocktrim_inventory) that have a value.
    - Fields without a value (null) are left out; read one with a default, such as
      C(item.location_name | default(none)).
  returned: always
  type: list
  elements: dict
  sample:
    - product_id: WIDGET-001
      location_code: MAIN
      stock_on_hand: 40.0
      stock_on_order: 100.0
failed_inventory:
  description:
    - When some writes failed, the C(<product_id>/<location_code>) of each; the others were written and are
      listed in RV(created) or RV(updated).
  returned: failure
  type: list
  elements: str
  sample: [NOPE/MAIN]
failures:
  description:
    - When some writes failed, one entry for each, with the reason.
  returned: failure
  type: list
  elements: dict
  contains:
    item:
      description: The C(<product_id>/<location_code>).
      type: str
    error:
      description: The kind of error (V(validation), V(server), ...).
      type: str
    status:
      description: The HTTP status, if there was an answer.
      type: int
    msg:
      description: The reason.
      type: str
  sample:
    - item: NOPE/MAIN
      error: validation
      status: 400
      msg: "POST /api/Inventory failed: 400 Bad Request"
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import INVENTORIES


def main():
    INVENTORIES.run()


if __name__ == "__main__":
    main()
