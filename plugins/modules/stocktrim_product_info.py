#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_product_info
short_description: Read StockTrim products
version_added: 1.0.0
description:
  - Reads one StockTrim product by its O(product_id), or every product (all pages).
  - Returns an empty list when nothing matches; that is never a failure.
options:
  product_id:
    description:
      - Only the product with exactly this code. Without it, every product is returned. An empty value is refused.
    type: str
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes.info
  - apiops.platforms.attributes.stocktrim_group
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Read one product
  apiops.platforms.stocktrim_product_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    product_id: WIDGET-001
  register: widget

- name: Read the whole catalogue
  apiops.platforms.stocktrim_product_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
  register: catalogue

- name: Show the discontinued products
  ansible.builtin.debug:
    msg: "{{ catalogue.products | selectattr('discontinued') | map(attribute='product_id') | list }}"
"""

RETURN = r"""
products:
  description:
    - The matching products, each with every field of M(apiops.platforms.stocktrim_product) and its C(id).
    - An empty list when nothing matches.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1001
      product_id: WIDGET-001
      name: Blue widget
      cost: 2.5
      discontinued: false
      suppliers: []
      stock_locations:
        - location_code: MAIN
          location_name: Main warehouse
          stock_on_hand: 40.0
          stock_on_order: 0.0
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import PRODUCT_INFO


def main():
    PRODUCT_INFO.run()


if __name__ == "__main__":
    main()
