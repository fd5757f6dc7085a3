#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_suppliers
short_description: Reconcile many StockTrim suppliers in one task
version_added: 1.0.0
description:
  - Brings a whole list of suppliers to the state given, with one read of every supplier and writes only for the
    suppliers that differ.
  - Each supplier is compared like M(apiops.platforms.stocktrim_supplier) compares it (only the options given)
    and written like it (an update sends the whole supplier).
  - StockTrim takes an array of suppliers in one call (C(POST /api/Suppliers), an upsert by C(supplier_code)),
    so the suppliers to write are sent together, 100 a call. When StockTrim refuses a call as invalid, its
    suppliers are sent again one a call, so that the others are written and each refused supplier is named with
    the reason under RV(failures).
  - Suppliers of the tenant that are not in O(suppliers) are left alone; so are suppliers without a code
    (StockTrim creates those from the supplier name of a purchase order).
  - With C(--diff), C(diff.before) and C(diff.after) hold only the suppliers created, updated or deleted, by
    C(supplier_code), without their empty fields.
options:
  suppliers:
    description:
      - The suppliers. Each element is a dict taking the options of M(apiops.platforms.stocktrim_supplier)
        (C(supplier_code) required, then C(supplier_name), C(email_address), C(default_lead_time) and the
        rest), without the connection options and O(state).
      - Every element is validated before any request is sent; an error names the element's index and the
        option.
      - A C(supplier_code) may appear only once.
    type: list
    elements: dict
    required: true
  state:
    description:
      - V(present) creates or updates the suppliers, V(absent) deletes those of them that exist (one call each).
    type: str
    choices: [present, absent]
    default: present
  workers:
    description:
      - How many calls are sent at once.
    type: int
    default: 8
notes:
  - What C(POST /api/Suppliers) does with the fields a body leaves out is not known, so an update reads the suppliers again, once, just before
    the writes and sends that fresh read with the changes, so a change made in between by another writer is kept,
    unless it lands in the one round trip between that read and the write.
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_supplier
  - module: apiops.platforms.stocktrim_supplier_info
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Sync the suppliers
  apiops.platforms.stocktrim_suppliers:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    suppliers:
      - supplier_code: ACME
        supplier_name: Acme Supplies
        default_lead_time: 10
      - supplier_code: BOLT
        supplier_name: Bolt and Nut
        country: Australia
  register: synced

- name: Show what was created and updated
  ansible.builtin.debug:
    msg: "created {{ synced.created }}, updated {{ synced.updated }}"
"""

RETURN = r"""
created:
  description: The C(supplier_code) of each supplier that did not exist and was (or would be) created.
  returned: always
  type: list
  elements: str
  sample: [BOLT]
updated:
  description: The C(supplier_code) of each supplier that existed and differed, and was (or would be) updated.
  returned: always
  type: list
  elements: str
  sample: [ACME]
unchanged:
  description:
    - The C(supplier_code) of each supplier that already had the values given (with O(state=present)), or that
      did not exist (with O(state=absent)).
  returned: always
  type: list
  elements: str
  sample: []
deleted:
  description: The C(supplier_code) of each supplier that was (or would be) deleted, with O(state=absent).
  returned: always
  type: list
  elements: str
  sample: []
suppliers:
  description:
    - The suppliers given, in the same order, as they are after the task (in check mode, as predicted), each
      with the fields of M(apiops.platforms.stocktrim_supplier) that have a value. Empty with O(state=absent).
    - Fields without a value (null, or an empty list) are left out; read one with a default, such as
      C(item.email_address | default(none)).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 12
      supplier_code: ACME
      supplier_name: Acme Supplies
      default_lead_time: 10
failed_suppliers:
  description:
    - When some writes failed, the C(supplier_code) of each; the others were written and are listed in
      RV(created), RV(updated) or RV(deleted).
  returned: failure
  type: list
  elements: str
  sample: [ZED]
failures:
  description:
    - When some writes or deletes failed, one entry for each, with the reason.
  returned: failure
  type: list
  elements: dict
  contains:
    item:
      description: The C(supplier_code).
      type: str
    error:
      description: The kind of error (V(validation), V(server), ...).
      type: str
    status:
      description: The HTTP status, if there was an answer.
      type: int
    msg:
      description: The reason.
      type: str
  sample:
    - item: ZED
      error: validation
      status: 400
      msg: "POST /api/Suppliers failed: 400 Bad Request"
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import SUPPLIERS


def main():
    SUPPLIERS.run()


if __name__ == "__main__":
    main()
