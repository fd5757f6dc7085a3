#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_sales_history
short_description: Delete StockTrim sales history by product, date range, location, or all of it
version_added: 1.0.0
description:
  - Deletes sales orders (the sales history StockTrim forecasts from) in bulk, the way the API deletes them. This
    is how a feed of sales is imported again, with M(apiops.platforms.stocktrim_sales_order), after a mistake.
  - Give one selection. O(product_id) alone deletes the sales of one product. O(from_date) and O(to_date)
    delete the sales in that range, of one product when O(product_id) is given too. O(location_code_or_name)
    deletes the sales of one location. O(all) with O(confirm) deletes every sales order of the tenant.
  - StockTrim cannot delete one sales order by its reference. To remove one order, delete its product's sales
    in a date range around it and record the others again, or set the quantities of its lines to V(0) with
    M(apiops.platforms.stocktrim_sales_order).
  - Where the tenant can read sales orders back, the sales selected are read first; when there are none,
    nothing is sent and the task is V(ok). Check mode reports what would be deleted (RV(count) and RV(deleted),
    with their references) and deletes nothing.
  - Some StockTrim tenants cannot read sales orders back (the API answers 404). There the module cannot tell
    whether anything matches, so it sends the delete, warns that it could not compare, and reports changed;
    RV(count) is then null.
  - The delete is retried after a 429, 502, 503, 504 or a lost connection (deleting again what is already gone
    changes nothing).
options:
  product_id:
    description:
      - Delete the sales of this product (API parameter C(productId)); with O(from_date) and O(to_date), only
        those in the range.
    type: str
  from_date:
    description:
      - The start of the range of order dates to delete, ISO 8601 (V(2026-03-01) or V(2026-03-01T00:00:00)),
        included (API parameter C(fromDate)). Given together with O(to_date).
    type: str
  to_date:
    description:
      - The end of the range of order dates to delete, included (API parameter C(toDate)). A date alone is
        midnight, so give V(2026-03-31T23:59:59) to include the whole last day. Given together with O(from_date).
    type: str
  location_code_or_name:
    description:
      - Delete the sales of the location with this code or name (API parameter C(locationCodeOrName)).
      - Cannot be combined with O(product_id), O(from_date) or O(to_date).
    type: str
  all:
    description:
      - Delete every sales order of the tenant. Needs O(confirm=true), and no other selection.
    type: bool
    default: false
  confirm:
    description:
      - Confirms O(all=true); refused without it.
    type: bool
    default: false
attributes:
  check_mode:
    support: partial
    details:
      - Where the tenant cannot read sales orders back (StockTrim answers 404 to every read of them), a check run
        cannot tell whether any sale matches. It then reports a change on every run, with RV(count) null and
        RV(deleted) empty, whether or not the real run deletes anything.
  diff_mode:
    support: partial
    details:
      - Where the tenant cannot read sales orders back, the diff cannot show the sales deleted; C(diff.before)
        lists none.
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_sales_order
  - module: apiops.platforms.stocktrim_sales_order_info
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: See which sales of March a re-import would replace
  apiops.platforms.stocktrim_sales_history:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    from_date: "2026-03-01"
    to_date: "2026-03-31T23:59:59"
  check_mode: true
  register: march

- name: Show them
  ansible.builtin.debug:
    msg: "{{ march.count }} sales: {{ march.deleted | map(attribute='external_reference_id') | list }}"

- name: Delete the sales of one product
  apiops.platforms.stocktrim_sales_history:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    product_id: WIDGET-001

- name: Delete the whole sales history
  apiops.platforms.stocktrim_sales_history:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    all: true
    confirm: true
"""

RETURN = r"""
deleted:
  description:
    - The sales lines that were (in check mode, would be) deleted, each with every field of
      M(apiops.platforms.stocktrim_sales_order_info), its reference C(external_reference_id) included.
    - Empty where the tenant cannot read sales orders back.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 88
      product_id: WIDGET-001
      external_reference_id: SO-1
      order_date: "2026-03-31T14:30:00"
      quantity: 3.0
      unit_price: 4.99
      location_id: 0
      location_code: WEB
      location_name: null
      customer_code: C-042
      customer_name: null
count:
  description: How many sales lines were (or would be) deleted; null where the tenant cannot read them back.
  returned: always
  type: int
  sample: 1
readable:
  description: Whether the tenant could read sales orders back (and so whether RV(deleted) and RV(count) are known).
  returned: always
  type: bool
  sample: true
sales_history:
  description:
    - The sales history the options select, after the task (in check mode, as predicted). With C(--diff),
      C(diff.before) and C(diff.after) show it before and after.
  returned: always
  type: dict
  contains:
    sales_orders:
      description: The sales lines of the selection, an empty list once deleted.
      type: list
      elements: dict
      returned: always
  sample:
    sales_orders: []
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.sales_orders import SALES_HISTORY


def main():
    SALES_HISTORY.run()


if __name__ == "__main__":
    main()
