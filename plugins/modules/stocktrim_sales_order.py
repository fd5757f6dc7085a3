#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_sales_order
short_description: Create or update a StockTrim sales order with its lines
version_added: 1.0.0
description:
  - Creates or updates one sales order, with its lines, by its O(external_reference_id) (the order's id in
    the shop or system it comes from).
  - StockTrim stores a sales order as lines, one per product, each with the order's date, location and
    customer, and creates or updates each line by its own reference. The module gives each line the
    reference C(<external_reference_id>/<product_id>), so that the lines of one order stay distinct and
    are found again on the next run.
  - Only the options given are compared; options left out keep their current value. The lines given in
    O(sale_order_line_items) are compared without regard to order, matched by
    O(sale_order_line_items[].product_id).
  - StockTrim can add and update a line but cannot delete one line, so a line left out of
    O(sale_order_line_items) stays as it is; set its O(sale_order_line_items[].quantity) to V(0) to cancel it.
  - The write is an upsert by O(external_reference_id), so it is retried after a 429, 502, 503, 504 or a
    lost connection.
  - Some StockTrim tenants cannot read sales orders back (the API answers 404). There the module cannot
    compare, so it writes the order, warns that it could not compare, and reports changed. O(order_date) and
    O(sale_order_line_items) are then needed on every run, and so is every other field you want kept (the
    customer and location). With no current order to complete the write from, only the options given are
    sent, and a StockTrim that replaces the stored lines on an upsert clears the fields left out.
  - StockTrim has no way to delete one sales order by its reference, so the module has no C(state) option.
options:
  external_reference_id:
    description:
      - The order's reference, its key in StockTrim (API field C(externalReferenceId)).
    type: str
    required: true
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
      - The order's lines, one per product. Required to create an order.
      - Compared without regard to order, matched by O(sale_order_line_items[].product_id), which must be unique
        in the list.
    type: list
    elements: dict
    suboptions:
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
- name: Record a web shop order
  apiops.platforms.stocktrim_sales_order:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    external_reference_id: SHOP-10017
    order_date: "2026-03-31T14:30:00"
    location_code: WEB
    customer_code: C-042
    customer_name: Jane Doe
    sale_order_line_items:
      - product_id: WIDGET-001
        quantity: 3
        unit_price: 4.99
      - product_id: WIDGET-002
        quantity: 1
"""

RETURN = r"""
sales_order:
  description:
    - The sales order after the task, with all its lines (each with its C(id) and its StockTrim reference
      C(external_reference_id)); in check mode, or where the tenant cannot read sales orders back, the
      order as written.
  returned: always
  type: dict
  sample:
    external_reference_id: SHOP-10017
    order_date: "2026-03-31T14:30:00"
    location_code: WEB
    location_name: null
    customer_code: C-042
    customer_name: Jane Doe
    sale_order_line_items:
      - id: 88
        external_reference_id: SHOP-10017/WIDGET-001
        product_id: WIDGET-001
        quantity: 3.0
        unit_price: 4.99
      - id: 89
        external_reference_id: SHOP-10017/WIDGET-002
        product_id: WIDGET-002
        quantity: 1.0
        unit_price: null
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim_sales_orders import SALES_ORDER_RESOURCE


def main():
    SALES_ORDER_RESOURCE.run()


if __name__ == "__main__":
    main()
