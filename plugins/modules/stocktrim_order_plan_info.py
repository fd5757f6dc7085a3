#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_order_plan_info
short_description: Query the StockTrim order plan
version_added: 1.0.0
description:
  - Queries StockTrim's order plan (the forecast's results per product and location, such as the reorder
    point, the order quantity and the days until stock-out) with its filters, and returns every row, all pages.
  - The query changes nothing (it is sent as a POST only because its filter travels in the body), so it is
    retried after a 429, 502, 503, 504 or a lost connection.
  - Returns an empty list when nothing matches (also when StockTrim answers 404); that is never a failure.
  - The pages are read while StockTrim says there is a next page (C(hasNextPage)), or, when it does not
    say, while pages are full (50 rows). A page with no new row ends the read, so it ends also when
    StockTrim ignores the page number; pages counted from 1 are followed too.
  - Each row is returned once, told by its product (C(product_code), C(sku_code)) and its location
    (C(location_id), C(location_name)), not by its whole content, since StockTrim computes some fields
    again on every read (such as C(calculated_date_time)); a page read twice (page 0 read as page 1) adds
    nothing.
  - A 500 (StockTrim sometimes answers one with an HTML page) is not retried; the failure carries the
    start of the page in C(body).
  - StockTrim takes one location, one customer, one supplier and one category a query.
options:
  exclude_manufactured:
    description:
      - Leave out the products that are manufactured.
    type: bool
  current_status:
    description:
      - Only the current products, only the discontinued ones, or all.
    type: str
    choices: [Current, Discontinued, All]
  location_id:
    description:
      - Only the rows of the location with this id.
    type: int
  location:
    description:
      - Only the rows of the location with this name or code.
    type: str
  customer_id:
    description:
      - Only the rows of the customer with this id.
    type: int
  customer:
    description:
      - Only the rows of this customer.
    type: str
  supplier_id:
    description:
      - Only the rows of the supplier with this id.
    type: int
  supplier:
    description:
      - Only the rows of this supplier.
    type: str
  category:
    description:
      - Only the rows of products in this category.
    type: str
  search_string:
    description:
      - Only the rows whose product matches this text (code or name, partial match).
    type: str
  sort_order:
    description:
      - The order of the rows, as StockTrim names it.
    type: str
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.stocktrim.paged_reads
  - apiops.platforms.attributes.info
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_forecast
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: The order plan of one supplier's current products
  apiops.platforms.stocktrim_order_plan_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    supplier: ACME
    current_status: Current
  register: plan

- name: What runs out within two weeks (a product without demand never runs out; its days_until_stock_out is null)
  ansible.builtin.debug:
    msg: "{{ plan.results | rejectattr('days_until_stock_out', 'none') | selectattr('days_until_stock_out', 'le', 14)
             | map(attribute='product_code') | list }}"
"""

RETURN = r"""
results:
  description:
    - The order plan's rows, every page, each with StockTrim's fields in snake_case (V(null) where there is
      no value), for example C(product_code), C(name), C(location_name), C(stock_on_hand), C(stock_on_order),
      C(reorder_point), C(order_quantity), C(days_until_stock_out), C(safety_stock_level), C(lead_time_days).
    - An empty list when nothing matches.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 311
      product_code: WIDGET-001
      name: Blue widget
      location_name: Main warehouse
      stock_on_hand: 12.0
      stock_on_order: 0.0
      reorder_point: 40.0
      order_quantity: 100.0
      days_until_stock_out: 6
      category: Widgets
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.forecast import ORDER_PLAN_INFO


def main():
    ORDER_PLAN_INFO.run()


if __name__ == "__main__":
    main()
