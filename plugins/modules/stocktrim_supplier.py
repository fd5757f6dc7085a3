#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_supplier
short_description: Create, update or delete a StockTrim supplier
version_added: 1.0.0
description:
  - Creates or updates one StockTrim supplier by its O(supplier_code), or deletes it.
  - Only the options given are compared; options left out keep their current value in StockTrim.
  - An update sends the whole supplier, its current fields with the options given over them, so the result is
    the same whether StockTrim merges an upsert into the stored supplier or replaces it.
options:
  state:
    description:
      - V(present) creates or updates the supplier, V(absent) deletes it.
      - StockTrim deletes by code or name, so a supplier whose name equals O(supplier_code) may be deleted too.
    type: str
    choices: [present, absent]
    default: present
  supplier_code:
    description:
      - The supplier's code, its key in StockTrim (API field C(supplierCode)).
    type: str
    required: true
  supplier_name:
    description:
      - The supplier's name.
    type: str
  email_address:
    description:
      - The supplier's email address.
    type: str
  primary_contact_name:
    description:
      - The name of the supplier's primary contact.
    type: str
  external_id:
    description:
      - The supplier's id in another system.
    type: str
  default_lead_time:
    description:
      - The supplier's default lead time, in days (V(0) or more).
    type: int
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
      - The state or region of the address (API field C(state), renamed because O(state) is present/absent).
    type: str
  country:
    description:
      - Country of the address.
    type: str
  post_code:
    description:
      - Post code of the address.
    type: str
notes:
  - What C(POST /api/Suppliers) does with the fields a body leaves out is not known, so an update reads the supplier again just before
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
- name: Create or update a supplier
  apiops.platforms.stocktrim_supplier:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    supplier_code: ACME
    supplier_name: Acme Supplies
    email_address: orders@acme.example.com
    default_lead_time: 10
    address_state: NSW
    country: Australia

- name: Delete a supplier
  apiops.platforms.stocktrim_supplier:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    supplier_code: OLD-SUPPLIER
    state: absent
"""

RETURN = r"""
supplier:
  description:
    - The supplier after the task, with every field; in check mode the predicted supplier (C(id) null when it
      does not exist yet). Null after a deletion.
  returned: always
  type: dict
  sample:
    id: 12
    supplier_code: ACME
    supplier_name: Acme Supplies
    email_address: orders@acme.example.com
    primary_contact_name: null
    external_id: null
    default_lead_time: 10
    street_address: null
    address_line1: null
    address_line2: null
    address_state: NSW
    country: Australia
    post_code: null
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import SUPPLIER_RESOURCE


def main():
    SUPPLIER_RESOURCE.run()


if __name__ == "__main__":
    main()
