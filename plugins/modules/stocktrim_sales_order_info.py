#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_sales_order_info
short_description: Read StockTrim sales order lines
version_added: 1.0.0
description:
  - Reads the sales order lines, all of them or those of one product, optionally only those of one order.
  - Returns an empty list when nothing matches; that is never a failure.
  - Some StockTrim tenants cannot read sales orders back (the API answers 404 for all of them); there the
    list is empty and the module warns that nothing could be read.
  - A filter given as an empty string is refused (leave it out to read every line).
options:
  product_id:
    description:
      - Only the lines of this product.
    type: str
  external_reference_id:
    description:
      - Only the lines with this reference (a single sale, or one line of an order that has its own reference),
        and the lines whose reference is C(<external_reference_id>/<product_id>), the lines of an order that
        M(apiops.platforms.stocktrim_sales_order) wrote without references of their own.
    type: str
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes.info
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_sales_order
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: The sales of one product
  apiops.platforms.stocktrim_sales_order_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    product_id: WIDGET-001
  register: sales

- name: How many were sold
  ansible.builtin.debug:
    msg: "{{ sales.sales_orders | map(attribute='quantity') | sum }}"
"""

RETURN = r"""
sales_orders:
  description:
    - The matching sales order lines, one per product and order, each with every field StockTrim returns.
    - An empty list when nothing matches or the tenant cannot read sales orders back (then with a warning).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 88
      product_id: WIDGET-001
      external_reference_id: SHOP-10017/WIDGET-001
      order_date: "2026-03-31T14:30:00"
      quantity: 3.0
      unit_price: 4.99
      location_id: 2
      location_code: WEB
      location_name: Web shop
      customer_code: C-042
      customer_name: Jane Doe
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.sales_orders import SALES_ORDER_INFO


def main():
    SALES_ORDER_INFO.run()


if __name__ == "__main__":
    main()
