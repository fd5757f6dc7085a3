#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_purchase_order_info
short_description: Read StockTrim purchase orders
version_added: 1.0.0
description:
  - Reads one purchase order by its O(client_reference_number), or every purchase order (all pages of
    the paginated list), optionally only those of one O(status).
  - Returns an empty list when nothing matches; that is never a failure.
  - A filter given as an empty string is refused (leave it out to read every order).
options:
  client_reference_number:
    description:
      - Only the purchase order with this client reference number.
    type: str
  status:
    description:
      - Only the purchase orders with this status.
    type: str
    choices: [Draft, Approved, Sent, Received]
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.stocktrim.paged_reads
  - apiops.platforms.attributes.info
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_purchase_order
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: One purchase order
  apiops.platforms.stocktrim_purchase_order_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    client_reference_number: PO-2026-0042
  register: po

- name: Every draft purchase order
  apiops.platforms.stocktrim_purchase_order_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    status: Draft
  register: drafts

- name: Show their references
  ansible.builtin.debug:
    msg: "{{ drafts.purchase_orders | map(attribute='client_reference_number') | list }}"
"""

RETURN = r"""
purchase_orders:
  description:
    - The matching purchase orders, each with every field of M(apiops.platforms.stocktrim_purchase_order)'s
      C(purchase_order).
    - An empty list when nothing matches.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 17
      client_reference_number: PO-2026-0042
      order_date: "2026-03-31T00:00:00"
      status: Draft
      supplier:
        supplier_code: ACME
        supplier_name: Acme Supplies
      location: null
      purchase_order_line_items:
        - product_id: WIDGET-001
          quantity: 100.0
          unit_price: 2.5
          received_date: null
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.purchase_orders import PURCHASE_ORDER_INFO


def main():
    PURCHASE_ORDER_INFO.run()


if __name__ == "__main__":
    main()
