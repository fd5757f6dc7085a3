#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_bom
short_description: Create, update or delete a line of a StockTrim bill of materials
version_added: 1.0.0
description:
  - Manages one line of a bill of materials, named by its O(product_id) (the assembled product) and its
    O(component_id) (the part it uses), with how many of the component go into one product.
  - Only the options given are compared; leaving O(quantity) out keeps the current quantity.
  - The write sets the quantity of the line named by the two keys, so sending it again gives the same
    line. It is treated as an upsert and retried after a 429, 502, 503, 504 or a lost connection.
  - The line is read back after the write. Where StockTrim adds a second line for the same two keys
    instead of updating the first (or a retried write did), the module deletes the lines of the two keys
    and writes the line once more, so that one line is left; V(absent) deletes until none is left.
options:
  state:
    description:
      - V(present) creates or updates the line, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  product_id:
    description:
      - The assembled product (API field C(productId)).
    type: str
    required: true
  component_id:
    description:
      - The component used in it (API field C(componentId)).
    type: str
    required: true
  quantity:
    description:
      - How many of the component go into one product, V(0) or more.
    type: float
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_bom_info
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: A bike uses two wheels
  apiops.platforms.stocktrim_bom:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    product_id: BIKE-01
    component_id: WHEEL-26
    quantity: 2

- name: It no longer uses a bell
  apiops.platforms.stocktrim_bom:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    product_id: BIKE-01
    component_id: BELL
    state: absent
"""

RETURN = r"""
bom:
  description:
    - The bill of materials line after the task; in check mode the predicted line (with C(id) null for a
      line that does not exist yet).
    - Null after a deletion.
  returned: always
  type: dict
  sample:
    id: 5
    product_id: BIKE-01
    component_id: WHEEL-26
    quantity: 2.0
    assembly_time_days: null
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.boms import BOM_RESOURCE


def main():
    BOM_RESOURCE.run()


if __name__ == "__main__":
    main()
