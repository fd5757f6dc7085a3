#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_purchase_order
short_description: Create, update or delete a StockTrim purchase order
version_added: 1.0.0
description:
  - Creates or updates one StockTrim purchase order by its O(client_reference_number), or deletes it.
  - Only the options given are compared; options left out keep their current value in StockTrim.
  - The write sends O(client_reference_number) and every option given. Because StockTrim takes the supplier,
    the location and the line items whole on every write, one given without some of its fields keeps the
    current values of those fields (unless it names another supplier or location by its code). An update
    sends the whole order, the options not given with their current values, so that it keeps them whether
    StockTrim merges the fields sent or replaces the order.
  - The order is found by its client reference whichever reference StockTrim's filters match; it is
    read by reference (V1, then V2) and, when neither finds it, from the paginated list of all orders.
  - O(status) is compared without regard to case (StockTrim may answer V(draft), or the status's number).
  - O(purchase_order_line_items) is compared without regard to order, each line matched by its
    O(purchase_order_line_items[].product_id); the list given is the whole list of lines.
  - Dates are ISO 8601 (V(2026-03-31) or V(2026-03-31T14:30:00)), compared as points in time, and returned as
    C(YYYY-MM-DDTHH:MM:SS). StockTrim cannot clear an order date once it is set, so the module never sends an
    empty one; leaving O(order_date) out keeps the current date. An order created without O(order_date)
    is dated today (UTC, midnight), in check mode too.
  - V(absent) deletes by the client reference, then reads the order again to make sure it is gone, since
    StockTrim's filter may match its own C(reference_number) of the order instead, and may answer success
    although nothing matched. While the order is still there, it is deleted by its own C(reference_number)
    and read again. An order still there after both fails the task (C(error=server) when a deletion
    answered success, C(error=not_found) when both answered 404) instead of reporting a deletion that did
    not happen.
  - The write is an upsert by key, so it is retried after a 429, 502, 503, 504 or a lost connection.
options:
  state:
    description:
      - V(present) creates or updates the purchase order, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  client_reference_number:
    description:
      - The order's reference in the client system, its key in StockTrim (API field C(clientReferenceNumber)).
    type: str
    required: true
  order_date:
    description:
      - The date the order was placed. Once set it cannot be cleared.
      - When left out, an update keeps the current date and a creation dates the order today.
    type: str
  created_date:
    description:
      - The date the order was created.
    type: str
  fully_received_date:
    description:
      - The date the order was fully received.
    type: str
  supplier:
    description:
      - The supplier the order is placed with. Required to create an order.
      - Given by its code only, its name is the one stored for that code in StockTrim (see the notes).
    type: dict
    suboptions:
      supplier_code:
        description:
          - The supplier's code.
        type: str
      supplier_name:
        description:
          - The supplier's name.
        type: str
  location:
    description:
      - The location the goods are delivered to.
      - Given by its code only, its name is the one stored for that code in StockTrim, when this tenant can
        read locations (see the notes).
    type: dict
    suboptions:
      location_code:
        description:
          - The location's code.
        type: str
      location_name:
        description:
          - The location's name.
        type: str
  status:
    description:
      - The order's status.
      - "Default on create: V(Draft) (sent explicitly, so check mode predicts it); an update without it keeps the
        current status."
    type: str
    choices: [Draft, Approved, Sent, Received]
  purchase_order_line_items:
    description:
      - The order's lines, one per product. Required to create an order.
      - Compared without regard to order, matched by O(purchase_order_line_items[].product_id), which must be
        unique in the list.
    type: list
    elements: dict
    suboptions:
      product_id:
        description:
          - The product ordered.
        type: str
        required: true
      quantity:
        description:
          - The quantity ordered, V(0) or more.
        type: float
        required: true
      unit_price:
        description:
          - The price of one unit, V(0) or more.
        type: float
      received_date:
        description:
          - The date the line was received.
        type: str
  external_id:
    description:
      - The order's id in an external system.
    type: str
  reference_number:
    description:
      - The order's reference number in StockTrim.
    type: str
notes:
  - StockTrim may fill in the name of a supplier or location given by its code only from its stored records
    (O(supplier.supplier_name), O(location.location_name)). So that every server ends with the name the check
    run predicted, a supplier or location that the write would send with a code and no name (on create, or
    on an update that names another one than the current order's) is looked up by its code (C(GET
    /api/Suppliers), C(GET /api/Locations); reads only, in check mode too, once per run) and its stored name
    is sent and predicted. Not found, or on a tenant that cannot read locations back, the name is predicted
    as V(null) and left out of the write, and a server that fills it in anyway returns it filled. An update
    naming the current supplier or location by its code keeps its current name; a name given is sent as
    given; a run that changes nothing looks nothing up.
attributes:
  check_mode:
    support: partial
    details:
      - Where the tenant cannot read locations back (StockTrim answers 404 to every read of them), a location
        given by its code only cannot be looked up. Its name is then predicted as null, and a server that fills
        the name in from its stored location returns it filled after the real run.
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_purchase_order_info
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Create or update a draft purchase order
  apiops.platforms.stocktrim_purchase_order:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    client_reference_number: PO-2026-0042
    order_date: "2026-03-31"
    status: Draft
    supplier:
      supplier_code: ACME
      supplier_name: Acme Supplies
    location:
      location_code: WH1
    purchase_order_line_items:
      - product_id: WIDGET-001
        quantity: 100
        unit_price: 2.5
      - product_id: WIDGET-002
        quantity: 40

- name: Mark it sent (the supplier and the lines stay as they are)
  apiops.platforms.stocktrim_purchase_order:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    client_reference_number: PO-2026-0042
    status: Sent

- name: Delete it
  apiops.platforms.stocktrim_purchase_order:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    client_reference_number: PO-2026-0042
    state: absent
"""

RETURN = r"""
purchase_order:
  description:
    - The purchase order after the task, with every field (V(null) where StockTrim has no value); in check
      mode the predicted order (with C(id) null for an order that does not exist yet).
    - Null after a deletion.
  returned: always
  type: dict
  sample:
    id: 17
    client_reference_number: PO-2026-0042
    order_date: "2026-03-31T00:00:00"
    created_date: "2026-03-31T09:12:44.127"
    fully_received_date: null
    supplier:
      supplier_code: ACME
      supplier_name: Acme Supplies
    location:
      location_code: WH1
      location_name: Main warehouse
    status: Draft
    purchase_order_line_items:
      - product_id: WIDGET-001
        quantity: 100.0
        unit_price: 2.5
        received_date: null
    external_id: null
    reference_number: "1042"
    message: null
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.purchase_orders import PURCHASE_ORDER_RESOURCE


def main():
    PURCHASE_ORDER_RESOURCE.run()


if __name__ == "__main__":
    main()
