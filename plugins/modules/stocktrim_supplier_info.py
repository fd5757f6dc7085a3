#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_supplier_info
short_description: Read StockTrim suppliers
version_added: 1.0.0
description:
  - Reads one StockTrim supplier by its O(supplier_code), or every supplier.
  - Returns an empty list when nothing matches; that is never a failure.
  - Suppliers created implicitly by StockTrim (from a purchase order's supplier name) may have a null C(supplier_code).
options:
  supplier_code:
    description:
      - Only the supplier with this code. Without it, every supplier is returned. An empty value is refused.
    type: str
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes.info
  - apiops.platforms.attributes.stocktrim_group
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Read one supplier
  apiops.platforms.stocktrim_supplier_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    supplier_code: ACME
  register: acme

- name: Read every supplier
  apiops.platforms.stocktrim_supplier_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
  register: all_suppliers
"""

RETURN = r"""
suppliers:
  description:
    - The matching suppliers, each with every field of M(apiops.platforms.stocktrim_supplier) and its C(id).
    - An empty list when nothing matches.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 12
      supplier_code: ACME
      supplier_name: Acme Supplies
      default_lead_time: 10
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import SUPPLIER_INFO


def main():
    SUPPLIER_INFO.run()


if __name__ == "__main__":
    main()
