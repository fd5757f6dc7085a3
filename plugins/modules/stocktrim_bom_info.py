#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_bom_info
short_description: Read StockTrim bills of materials
version_added: 1.0.0
description:
  - Reads the lines of bills of materials, all of them or only those of one product, of one component, or both.
  - Returns an empty list when nothing matches; that is never a failure.
  - A filter given as an empty string is refused (leave it out to read every line).
options:
  product_id:
    description:
      - Only the lines of this assembled product.
    type: str
  component_id:
    description:
      - Only the lines that use this component.
    type: str
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes.info
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_bom
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: The bill of materials of one product
  apiops.platforms.stocktrim_bom_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    product_id: BIKE-01
  register: bike

- name: Which products use a component
  apiops.platforms.stocktrim_bom_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    component_id: WHEEL-26
  register: uses
"""

RETURN = r"""
boms:
  description:
    - The matching lines, each as M(apiops.platforms.stocktrim_bom)'s C(bom).
    - An empty list when nothing matches.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 5
      product_id: BIKE-01
      component_id: WHEEL-26
      quantity: 2.0
      assembly_time_days: null
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.boms import BOM_INFO


def main():
    BOM_INFO.run()


if __name__ == "__main__":
    main()
