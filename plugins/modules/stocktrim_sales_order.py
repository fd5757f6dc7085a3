#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_sales_order
short_description: Create or update a StockTrim sales order, a single sale or an order of several lines
version_added: 1.0.0
description:
  - Creates or updates a sales order by its O(external_reference_id) (the order's id in the shop or system it
    comes from), sent to StockTrim exactly as given.
  - The order is given in one of two forms, as the API takes it. A single sale (the API's C(SalesOrderRequestDto))
    is O(product_id), O(quantity) and O(unit_price) with the order's date, location and customer; StockTrim
    stores it as one line whose reference is O(external_reference_id). An order of several lines is
    O(sale_order_line_items), each line a sale of its own with its own reference
    O(sale_order_line_items[].external_reference_id), used as given.
  - A line given without O(sale_order_line_items[].external_reference_id) gets the reference
    C(<external_reference_id>/<product_id>), the reference earlier versions gave every line, so that the
    orders they wrote are found and updated rather than recorded twice. Give each line its own reference to
    have the lines keyed as your system keys them.
  - The two forms exclude each other; giving O(product_id), O(quantity) or O(unit_price) together with
    O(sale_order_line_items) is refused before any request. With neither, the single sale with this reference
    is updated (for instance only its O(customer_name)).
  - A single sale is found by its own reference only. When the tenant has lines of an order of several lines
    with this O(external_reference_id) (references C(<external_reference_id>/<product_id>)) but no sale with
    exactly this reference, the module warns that the single sale is recorded beside them.
  - Only the options given are compared; options left out keep their current value. The lines given in
    O(sale_order_line_items) are compared without regard to order, matched by their reference. An order of
    several lines is the lines given and the lines that follow the C(<external_reference_id>/<product_id>)
    rule.
  - StockTrim can add and update a line but cannot delete one line, so a line left out of
    O(sale_order_line_items) stays as it is; set its O(sale_order_line_items[].quantity) to V(0) to cancel it.
  - The write (C(PUT /api/SalesOrdersBulk)) is an upsert by reference, so it is retried after a 429, 502, 503,
    504 or a lost connection, and a write whose answer was lost after StockTrim acted on it is not recorded
    twice, by the retry or by a rerun.
  - Some StockTrim tenants cannot read sales orders back (the API answers 404). There the module cannot
    compare, so it writes the order, warns that it could not compare, and reports changed. O(order_date) and
    O(sale_order_line_items) (or O(product_id) and O(quantity)) are then needed on every run, and so is every
    other field you want kept (the customer and location). With no current order to complete the write from,
    only the options given are sent, and a StockTrim that replaces the stored lines on an upsert clears the
    fields left out.
  - StockTrim has no way to delete one sales order by its reference, so the module has no C(state) option.
options:
  external_reference_id:
    description:
      - The order's reference, its key in StockTrim (API field C(externalReferenceId)), sent as given.
      - For a single sale, the reference of its one line. For an order of several lines, the reference of the
        order, from which the lines without their own reference get theirs.
    type: str
    required: true
  product_id:
    description:
      - The product sold, for a single sale. Required to create one.
      - Cannot be given with O(sale_order_line_items).
    type: str
  quantity:
    description:
      - The quantity sold, for a single sale, V(0) or more. Required to create one.
      - Cannot be given with O(sale_order_line_items).
    type: float
  unit_price:
    description:
      - The price of one unit, for a single sale, V(0) or more.
      - Cannot be given with O(sale_order_line_items).
    type: float
  order_date:
    description:
      - The date of the order, ISO 8601 (V(2026-03-31) or V(2026-03-31T14:30:00)); compared as a point in time.
      - Required to create an order.
    type: str
  location_code:
    description:
      - The code of the location that sold.
    type: str
  location_name:
    description:
      - The name of the location that sold.
    type: str
  customer_code:
    description:
      - The code of the customer.
    type: str
  customer_name:
    description:
      - The name of the customer.
    type: str
  sale_order_line_items:
    description:
      - The order's lines, for an order of several lines. Required to create such an order.
      - Compared without regard to order, matched by their reference, which must be unique in the list.
      - Cannot be given with O(product_id), O(quantity) or O(unit_price).
    type: list
    elements: dict
    suboptions:
      external_reference_id:
        description:
          - The line's own reference, its key in StockTrim, sent as given.
          - Left out, the line's reference is C(<external_reference_id>/<product_id>) (the order's reference).
        type: str
      product_id:
        description:
          - The product sold.
        type: str
        required: true
      quantity:
        description:
          - The quantity sold, V(0) or more.
        type: float
        required: true
      unit_price:
        description:
          - The price of one unit, V(0) or more.
        type: float
attributes:
  check_mode:
    support: partial
    details:
      - Where the tenant cannot read sales orders back (StockTrim answers 404 to every read of them), the stored
        order cannot be compared. A check run then reports a change on every run and predicts the order from the
        options given only, not from what StockTrim holds.
  diff_mode:
    support: partial
    details:
      - Where the tenant cannot read sales orders back, C(diff.before) is empty (the stored order is unknown) and
        C(diff.after) holds the options given only.
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_sales_order_info
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Record a sale
  apiops.platforms.stocktrim_sales_order:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    external_reference_id: SO-1
    product_id: WIDGET-001
    quantity: 3
    unit_price: 4.99
    order_date: "2026-03-31T14:30:00"
    location_code: WEB
    customer_code: C-042

- name: Record a web shop order of several lines, each keyed by the shop's line id
  apiops.platforms.stocktrim_sales_order:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    external_reference_id: SHOP-10017
    order_date: "2026-03-31T14:30:00"
    location_code: WEB
    customer_code: C-042
    customer_name: Jane Doe
    sale_order_line_items:
      - external_reference_id: SHOP-10017-1
        product_id: WIDGET-001
        quantity: 3
        unit_price: 4.99
      - external_reference_id: SHOP-10017-2
        product_id: WIDGET-002
        quantity: 1
"""

RETURN = r"""
sales_order:
  description:
    - The sales order after the task; in check mode, or where the tenant cannot read sales orders back, the
      order as written.
    - For a single sale, the sale as StockTrim stores it (its C(id), O(product_id), O(quantity), O(unit_price)),
      with an empty C(sale_order_line_items).
    - For an order of several lines, the order with all its lines (each with its C(id) and its reference
      C(external_reference_id)); C(id), C(product_id), C(quantity) and C(unit_price) are then null.
  returned: always
  type: dict
  sample:
    id: null
    external_reference_id: SHOP-10017
    product_id: null
    quantity: null
    unit_price: null
    order_date: "2026-03-31T14:30:00"
    location_code: WEB
    location_name: null
    customer_code: C-042
    customer_name: Jane Doe
    sale_order_line_items:
      - id: 88
        external_reference_id: SHOP-10017-1
        product_id: WIDGET-001
        quantity: 3.0
        unit_price: 4.99
      - id: 89
        external_reference_id: SHOP-10017-2
        product_id: WIDGET-002
        quantity: 1.0
        unit_price: null
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.sales_orders import SALES_ORDER_RESOURCE


def main():
    SALES_ORDER_RESOURCE.run()


if __name__ == "__main__":
    main()
