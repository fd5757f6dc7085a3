#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_products
short_description: Reconcile many StockTrim products in one task
version_added: 1.0.0
description:
  - Brings a whole list of products to the state given, with one paginated read of the catalogue and a write
    only for each product that differs.
  - Each product is compared like M(apiops.platforms.stocktrim_product) compares it (only the options given,
    numbers by value, lists without regard to order), and written like it (an update sends the whole product).
  - The catalogue is read page by page until a page is empty, shorter than the first, or repeats products
    already read, so any page size of the server is read completely.
  - The catalogue's pages after the first and the writes are sent concurrently, at most O(workers) at a time.
  - Products of the catalogue that are not in O(products) are left alone, unless O(purge=true).
  - With O(purge=true), the products of the catalogue that are not in O(products) are deleted, after the
    writes and only when they all succeeded, except those whose C(product_id) matches a pattern of
    O(purge_exclude). Check mode lists them under RV(deleted) and deletes nothing.
  - With C(--diff), C(diff.before) and C(diff.after) hold only the products created, updated or deleted, by
    C(product_id), without their empty fields.
options:
  products:
    description:
      - The products. Each element is a dict taking the options of M(apiops.platforms.stocktrim_product)
        (C(product_id) required, then C(name), C(category), C(cost), C(suppliers), C(stock_locations) and
        the rest), without the connection options and O(state).
      - Every element is validated before any request is sent (unknown keys, types, impossible values such as a
        negative C(cost)); an error names the element's index and the option.
      - A C(product_id) may appear only once.
    type: list
    elements: dict
    required: true
  state:
    description:
      - V(present) creates or updates the products, V(absent) deletes those of them that exist.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - Delete the products of the catalogue that are not in O(products) (and match no pattern of
        O(purge_exclude)); their C(product_id) are returned under RV(deleted).
      - Only with O(state=present). With an empty O(products), every product not excluded is deleted.
    type: bool
    default: false
  purge_exclude:
    description:
      - Glob patterns (V(*), V(?), V([seq])) of C(product_id) that O(purge) never deletes, compared
        case-sensitively, such as V(LEGACY-*), so that a feed that covers only part of the catalogue cannot delete
        the rest.
      - Only with O(purge=true).
    type: list
    elements: str
  workers:
    description:
      - How many requests are sent at once, for the writes and for reading the catalogue.
      - After its first page, the catalogue is read O(workers) pages at a time, taken in page order, so the products
        and their order are those of a read one page after the other. The price is requests past the end; besides
        the pages that exist (and the empty or short one that ends the read), at most O(workers) minus one more
        pages are asked for, which the server answers as empty. With V(1), one page after the other.
    type: int
    default: 8
notes:
  - C(POST /api/Products) merges the fields present in its body. An update therefore sends the product's key and the
    fields that differ, nothing else; a field an item does not give is never sent back from an earlier read, so a
    change made in between by another writer (a sale, a stock count) is kept.
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes
  - apiops.platforms.attributes.stocktrim_group
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Preview what a catalogue sync would change
  apiops.platforms.stocktrim_products:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    products:
      - product_id: WIDGET-001
        name: Blue widget
        cost: 2.5
      - product_id: WIDGET-002
        name: Red widget
        cost: 2.75
        suppliers:
          - supplier_id: ACME
  check_mode: true
  register: preview

- name: Show what would be created and updated
  ansible.builtin.debug:
    msg: "create {{ preview.created }}, update {{ preview.updated }}"

- name: Sync the catalogue
  apiops.platforms.stocktrim_products:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    products:
      - product_id: WIDGET-001
        name: Blue widget
        cost: 2.5
      - product_id: WIDGET-002
        name: Red widget
        cost: 2.75
    workers: 4

- name: Make the catalogue exactly this feed, but never touch the legacy products
  apiops.platforms.stocktrim_products:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    products:
      - product_id: WIDGET-001
        name: Blue widget
    purge: true
    purge_exclude:
      - LEGACY-*
  register: purged

- name: Show what was deleted
  ansible.builtin.debug:
    msg: "deleted {{ purged.deleted }}"
"""

RETURN = r"""
created:
  description: The C(product_id) of each product that did not exist and was (or, in check mode, would be) created.
  returned: always
  type: list
  elements: str
  sample: [WIDGET-002]
updated:
  description: The C(product_id) of each product that existed and differed, and was (or would be) updated.
  returned: always
  type: list
  elements: str
  sample: [WIDGET-001]
unchanged:
  description:
    - The C(product_id) of each product that already had the values given (with O(state=present)), or that
      did not exist (with O(state=absent)).
  returned: always
  type: list
  elements: str
  sample: []
deleted:
  description:
    - The C(product_id) of each product that was (or would be) deleted, those given with O(state=absent), or
      those not given with O(purge=true).
  returned: always
  type: list
  elements: str
  sample: []
products:
  description:
    - The products given, in the same order, as they are after the task (in check mode, as predicted), each with
      the fields of M(apiops.platforms.stocktrim_product) that have a value. Empty with O(state=absent).
    - Fields without a value (null, or an empty list) are left out, also inside C(suppliers) and
      C(stock_locations), so that a large catalogue does not make a large result; read one with a default,
      such as C(item.category | default(none)).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1001
      product_id: WIDGET-001
      name: Blue widget
      cost: 2.5
failed_products:
  description:
    - When some writes failed, the C(product_id) of each; the others were written and are listed in
      RV(created), RV(updated) or RV(deleted).
  returned: failure
  type: list
  elements: str
  sample: [WIDGET-009]
failures:
  description:
    - When some writes or deletes failed, one entry for each, with the reason.
  returned: failure
  type: list
  elements: dict
  contains:
    item:
      description: The C(product_id).
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
    - item: WIDGET-009
      error: validation
      status: 400
      msg: "POST /api/Products failed: 400 Bad Request"
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import PRODUCTS


def main():
    PRODUCTS.run()


if __name__ == "__main__":
    main()
