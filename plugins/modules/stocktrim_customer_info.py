#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_customer_info
short_description: Read StockTrim customers
version_added: 1.0.0
description:
  - Reads one StockTrim customer by its O(code), or every customer (StockTrim answers them all at once).
  - Returns an empty list when nothing matches; that is never a failure.
options:
  code:
    description:
      - Only the customer with this code. Without it, every customer is returned. An empty value is refused.
    type: str
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes.info
  - apiops.platforms.attributes.stocktrim_group
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Read one customer
  apiops.platforms.stocktrim_customer_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    code: CUST-100
  register: customer

- name: Read every customer
  apiops.platforms.stocktrim_customer_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
  register: all_customers
"""

RETURN = r"""
customers:
  description:
    - The matching customers, each with every field of M(apiops.platforms.stocktrim_customer).
    - An empty list when nothing matches.
  returned: always
  type: list
  elements: dict
  sample:
    - code: CUST-100
      name: Corner Shop
      city: Brisbane
      country: Australia
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import CUSTOMER_INFO


def main():
    CUSTOMER_INFO.run()


if __name__ == "__main__":
    main()
