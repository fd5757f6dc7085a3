#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_product
short_description: Create, update or delete a StockTrim product
version_added: 1.0.0
description:
  - Creates or updates one StockTrim product by its O(product_id), or deletes it.
  - Only the options given are compared; options left out keep their current value in StockTrim.
  - An update sends the whole product, its current fields with the options given over them, so the result is
    the same whether StockTrim merges an upsert into the stored product or replaces it.
  - Quantities, prices, times and sizes must be V(0) or more; O(service_level) at most V(1).
  - Lists (O(suppliers), O(stock_locations)) are compared without regard to order; a list given is the whole list.
  - To manage many products in one task with a single read, use M(apiops.platforms.stocktrim_products).
options:
  state:
    description:
      - V(present) creates or updates the product, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  product_id:
    description:
      - The product's code, its key in StockTrim (API field C(productId)).
    type: str
    required: true
  product_code_readable:
    description:
      - A human-readable product code.
    type: str
  name:
    description:
      - The product's name.
    type: str
  category:
    description:
      - The product's category.
    type: str
  sub_category:
    description:
      - The product's sub-category.
    type: str
  service_level:
    description:
      - The target service level, as a fraction (V(0.95) for 95%).
    type: float
  lead_time:
    description:
      - The supplier lead time, in days.
    type: int
  stock_on_hand:
    description:
      - The overall stock on hand. Per-location levels are better set with M(apiops.platforms.stocktrim_inventory).
    type: float
  stock_on_order:
    description:
      - The overall stock on order.
    type: float
  cost:
    description:
      - The unit cost.
    type: float
  price:
    description:
      - The unit selling price.
    type: float
  supplier_code:
    description:
      - The code of the product's default supplier.
    type: str
  suppliers:
    description:
      - The product's suppliers; compared without regard to order, matched by O(suppliers[].supplier_id).
    type: list
    elements: dict
    suboptions:
      supplier_id:
        description:
          - The supplier's code.
        type: str
        required: true
      supplier_name:
        description:
          - The supplier's name.
        type: str
      supplier_sku_code:
        description:
          - The supplier's code for this product.
        type: str
  forecast_period:
    description:
      - The forecast period, in days.
    type: int
  manufacturing_time:
    description:
      - The manufacturing time, in days.
    type: int
  order_frequency:
    description:
      - How often the product is ordered, in days.
    type: int
  minimum_order_quantity:
    description:
      - The minimum quantity of an order.
    type: float
  minimum_shelf_level:
    description:
      - The minimum shelf level.
    type: float
  maximum_shelf_level:
    description:
      - The maximum shelf level.
    type: float
  batch_size:
    description:
      - Orders are rounded to multiples of this batch size.
    type: float
  barcode:
    description:
      - The product's barcode.
    type: str
  discontinued:
    description:
      - Whether the product is discontinued.
    type: bool
  unstocked:
    description:
      - Whether the product is not kept in stock.
    type: bool
  option1:
    description:
      - Free option field 1.
    type: str
  option2:
    description:
      - Free option field 2.
    type: str
  option3:
    description:
      - Free option field 3.
    type: str
  overridden_demand:
    description:
      - A demand that overrides the forecast.
    type: float
  overridden_demand_period:
    description:
      - The period of O(overridden_demand), in days.
    type: int
  stock_locations:
    description:
      - Stock levels per location; compared without regard to order, matched by O(stock_locations[].location_code).
    type: list
    elements: dict
    suboptions:
      location_code:
        description:
          - The location's code.
        type: str
        required: true
      location_name:
        description:
          - The location's name.
        type: str
      stock_on_hand:
        description:
          - Stock on hand at this location.
        type: float
      stock_on_order:
        description:
          - Stock on order for this location.
        type: float
  parent_id:
    description:
      - The O(product_id) of the parent product of a variant.
    type: str
  variant_type:
    description:
      - The kind of variant, for example V(Size).
    type: str
  variant:
    description:
      - The variant's value, for example V(XL).
    type: str
  ignore_seasonality:
    description:
      - Whether the forecast ignores seasonality for this product.
    type: bool
  weight:
    description:
      - The product's weight.
    type: float
  height:
    description:
      - The product's height.
    type: float
  width:
    description:
      - The product's width.
    type: float
  length:
    description:
      - The product's length.
    type: float
notes:
  - C(POST /api/Products) merges the fields present in its body. An update therefore sends the product's key and the
    fields that differ, nothing else; a field the task does not give is never sent back from an earlier read, so a
    change made in between by another writer (a sale, a stock count) is kept.
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes
  - apiops.platforms.attributes.stocktrim_group
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Create or update a product
  apiops.platforms.stocktrim_product:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    product_id: WIDGET-001
    name: Blue widget
    category: Widgets
    cost: 2.5
    price: 4.99
    lead_time: 14
    suppliers:
      - supplier_id: ACME
        supplier_sku_code: ACME-BW-1

- name: Delete a product
  apiops.platforms.stocktrim_product:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    product_id: WIDGET-OLD
    state: absent
"""

RETURN = r"""
product:
  description:
    - The product after the task, with every field (V(null) where StockTrim has no value); in check mode the
      predicted product (with C(id) null for a product that does not exist yet).
    - Null after a deletion.
  returned: always
  type: dict
  sample:
    id: 1001
    product_id: WIDGET-001
    name: Blue widget
    category: Widgets
    cost: 2.5
    price: 4.99
    lead_time: 14
    suppliers:
      - supplier_id: ACME
        supplier_name: null
        supplier_sku_code: ACME-BW-1
    stock_locations: []
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import PRODUCT_RESOURCE


def main():
    PRODUCT_RESOURCE.run()


if __name__ == "__main__":
    main()
