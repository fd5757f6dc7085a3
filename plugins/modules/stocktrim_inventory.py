#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_inventory
short_description: Set the stock levels of a StockTrim product at one location
version_added: 1.0.0
description:
  - Sets the stock on hand and the stock on order of one product at one location, as absolute numbers.
  - The current levels are read from the product (its stock per location); when they already are the ones
    given, nothing is written.
  - A level not given keeps its current value (V(0) when the product has no stock at that location yet).
  - The product must exist; create it first with M(apiops.platforms.stocktrim_product). In check mode a
    product that does not exist yet (an earlier task of the same run would create it) gives a warning and
    the predicted levels.
options:
  product_id:
    description:
      - The product's code (API field C(productId)).
    type: str
    required: true
  location_code:
    description:
      - The location's code (API field C(locationCode)).
    type: str
    required: true
  location_name:
    description:
      - The location's name, sent with the levels.
    type: str
  stock_on_hand:
    description:
      - The stock on hand at the location.
      - At least one of O(stock_on_hand) and O(stock_on_order) is required. O(stock_on_order) is V(0) or more;
        O(stock_on_hand) may be negative (stock sold before it was booked in).
    type: float
  stock_on_order:
    description:
      - The stock on order for the location.
    type: float
  update_totals:
    description:
      - Whether StockTrim sets the product's overall stock on hand and on order to the sum over its locations
        (API fields C(updateOverallAllOnHandToBeSumOfLocation) and C(updateOverallAllOnOrderToBeSumOfLocation)).
    type: bool
    default: true
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes
  - apiops.platforms.attributes.stocktrim_group
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Set the stock of a product in the main warehouse
  apiops.platforms.stocktrim_inventory:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    product_id: WIDGET-001
    location_code: MAIN
    stock_on_hand: 40
    stock_on_order: 100
"""

RETURN = r"""
inventory:
  description:
    - The stock levels of the product at the location after the task; in check mode the predicted levels.
  returned: always
  type: dict
  contains:
    product_id:
      description: The product's code.
      type: str
      returned: always
    location_code:
      description: The location's code.
      type: str
      returned: always
    location_name:
      description: The location's name, when StockTrim knows it.
      type: str
      returned: always
    stock_on_hand:
      description: The stock on hand at the location.
      type: float
      returned: always
    stock_on_order:
      description: The stock on order for the location.
      type: float
      returned: always
  sample:
    product_id: WIDGET-001
    location_code: MAIN
    location_name: Main warehouse
    stock_on_hand: 40.0
    stock_on_order: 100.0
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import INVENTORY_RESOURCE


def main():
    INVENTORY_RESOURCE.run()


if __name__ == "__main__":
    main()
