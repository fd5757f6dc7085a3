#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_customer
short_description: Create or update a StockTrim customer
version_added: 1.0.0
description:
  - Creates or updates one StockTrim customer by its O(code).
  - Only the options given are compared; options left out keep their current value in StockTrim.
  - An update sends the whole customer, its current fields with the options given over them, so the result is
    the same whether StockTrim merges an upsert into the stored customer or replaces it.
  - The StockTrim API cannot delete customers, so this module has no C(state) option.
options:
  code:
    description:
      - The customer's code, its key in StockTrim (API field C(code)).
    type: str
    required: true
  name:
    description:
      - The customer's name.
    type: str
  street_address:
    description:
      - Street address.
    type: str
  address_line1:
    description:
      - First address line.
    type: str
  address_line2:
    description:
      - Second address line.
    type: str
  address_state:
    description:
      - The state or region of the address (API field C(state), named like the supplier's).
    type: str
  country:
    description:
      - Country of the address.
    type: str
  post_code:
    description:
      - Post code of the address.
    type: str
  city:
    description:
      - City of the address.
    type: str
  email_address:
    description:
      - The customer's email address.
    type: str
  phone:
    description:
      - The customer's phone number.
    type: str
notes:
  - What C(PUT /api/Customers) does with the fields a body leaves out is not known, so an update reads the customer again just before
    the write and sends that fresh read with the changes; a change made in between by another writer is kept,
    unless it lands in the one round trip between that read and the write.
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes
  - apiops.platforms.attributes.stocktrim_group
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Create or update a customer
  apiops.platforms.stocktrim_customer:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    code: CUST-100
    name: Corner Shop
    city: Brisbane
    address_state: QLD
    country: Australia
    email_address: buyer@cornershop.example.com
"""

RETURN = r"""
customer:
  description:
    - The customer after the task, with every field; in check mode the predicted customer.
  returned: always
  type: dict
  sample:
    code: CUST-100
    name: Corner Shop
    street_address: null
    address_line1: null
    address_line2: null
    address_state: QLD
    country: Australia
    post_code: null
    city: Brisbane
    email_address: buyer@cornershop.example.com
    phone: null
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import CUSTOMER_RESOURCE


def main():
    CUSTOMER_RESOURCE.run()


if __name__ == "__main__":
    main()
