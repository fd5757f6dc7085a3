# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: stocktrim
short_description: Read StockTrim resources by name
version_added: 1.0.0
description:
  - Returns the StockTrim resources named by the one term (V(products), V(suppliers), V(customers),
    V(locations), V(purchase_orders), V(sales_orders) or V(boms)) as a list of dicts, read and filtered exactly
    as the matching C(_info) module reads them (M(apiops.platforms.stocktrim_product_info),
    M(apiops.platforms.stocktrim_supplier_info), and so on), with the same keys.
  - An empty list when nothing matches; that is never an error.
  - A filter the named resource does not have, an empty filter, a name that is not one of the above, or not
    exactly one name, is refused before any request is sent.
  - Where the tenant cannot read a resource back (StockTrim answers 404 to every read of locations or sales
    orders on some tenants), the list is empty and a warning says that nothing could be read, as the C(_info)
    modules do.
  - Use C(query) (or C(lookup) with C(wantlist=true)) to always get a list, even of one object.
options:
  _terms:
    description:
      - The resource to read, one of V(products), V(suppliers), V(customers), V(locations), V(purchase_orders),
        V(sales_orders), V(boms).
    type: list
    elements: str
    required: true
  product_id:
    description:
      - With V(products), V(sales_orders) or V(boms), only the objects of this product.
    type: str
  supplier_code:
    description:
      - With V(suppliers), only the supplier with this code.
    type: str
  code:
    description:
      - With V(customers), only the customer with this code.
    type: str
  location_code:
    description:
      - With V(locations), only the location with this code.
    type: str
  client_reference_number:
    description:
      - With V(purchase_orders), only the purchase order with this client reference number.
    type: str
  status:
    description:
      - With V(purchase_orders), only the purchase orders of this status.
    type: str
    choices: [Draft, Approved, Sent, Received]
  external_reference_id:
    description:
      - With V(sales_orders), only the lines of the sales order with this reference.
    type: str
  component_id:
    description:
      - With V(boms), only the bill of materials lines of this component.
    type: str
  workers:
    description:
      - With V(purchase_orders), how many pages of the list are read at once after its first page (in page order;
        at most O(workers) minus one requests past the end). With V(1), one page after the other.
    type: int
    default: 8
extends_documentation_fragment:
  - apiops.platforms.stocktrim.lookup
seealso:
  - module: apiops.platforms.stocktrim_product_info
  - module: apiops.platforms.stocktrim_supplier_info
  - module: apiops.platforms.stocktrim_customer_info
  - module: apiops.platforms.stocktrim_location_info
  - module: apiops.platforms.stocktrim_purchase_order_info
  - module: apiops.platforms.stocktrim_sales_order_info
  - module: apiops.platforms.stocktrim_bom_info
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Every product of the tenant, connection from STOCKTRIM_API_AUTH_ID and STOCKTRIM_API_AUTH_SIGNATURE
  ansible.builtin.debug:
    msg: "{{ query('apiops.platforms.stocktrim', 'products') | map(attribute='product_id') | list }}"

- name: One supplier, connection given as keywords
  ansible.builtin.debug:
    msg: "{{ query('apiops.platforms.stocktrim', 'suppliers', supplier_code='ACME', auth_id=stocktrim_auth_id,
             auth_signature=stocktrim_auth_signature) }}"

- name: Loop over the draft purchase orders
  ansible.builtin.debug:
    msg: "{{ item.reference_number }}"
  loop: "{{ query('apiops.platforms.stocktrim', 'purchase_orders', status='Draft') }}"
"""

RETURN = r"""
_raw:
  description:
    - The matching objects, with the keys the C(_info) module of that resource returns.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import WORKERS_SPEC, plugin_options
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import not_empty
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ApiError, InputError
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.boms import BOM_INFO
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import (
    CUSTOMER_INFO,
    LOCATION_INFO,
    PRODUCT_INFO,
    SUPPLIER_INFO,
)
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.purchase_orders import PURCHASE_ORDER_INFO
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.sales_orders import SALES_ORDER_INFO
from ansible_collections.apiops.platforms.plugins.module_utils.core.transport import HAS_REQUESTS, HAS_TENACITY

display = Display()

# The info specs whose reads the lookup runs, by the name a playbook gives.
INFO_SPECS = (PRODUCT_INFO, SUPPLIER_INFO, CUSTOMER_INFO, LOCATION_INFO, PURCHASE_ORDER_INFO, SALES_ORDER_INFO, BOM_INFO)
RESOURCES = dict((spec.name, spec) for spec in INFO_SPECS)


class _Run:
    """What an info spec's read gets (its Context): the options, the client, warnings, the run's memo."""

    check_mode = False

    def __init__(self, params, client):
        self.params = params
        self.client = client
        self.memo = {}
        self.extra = {}

    def warn(self, msg):
        display.warning(msg)


def check_options(name, spec, options, filters):
    """Refuse a filter the resource does not have, an empty one, or a value outside its choices."""
    own = spec.argument_spec()
    for option in filters:
        if options.get(option) is not None and option not in own:
            raise InputError("%s is not a filter of %s; its filters are %s"
                             % (option, name, ", ".join(sorted(own)) or "none"))
    not_empty(options, *spec.filters)
    for option, arg in own.items():
        if options.get(option) is not None and arg.get("choices") and options[option] not in arg["choices"]:
            raise InputError("%s must be one of %s, got %r" % (option, ", ".join(arg["choices"]), options[option]))
    if spec.check:
        spec.check(_Run(options, None))


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        names = [str(term) for term in terms or []]
        if len(names) != 1 or names[0] not in RESOURCES:
            raise AnsibleLookupError("stocktrim: name exactly one resource to read, one of %s (got %s)"
                                     % (", ".join(sorted(RESOURCES)), ", ".join(names) or "none"))
        name, spec = names[0], RESOURCES[names[0]]
        filters = []
        for other in RESOURCES.values():
            filters.extend(option for option in other.argument_spec() if option not in filters and option not in WORKERS_SPEC)
        try:
            options = plugin_options(self.get_option, StockTrimClient.connection_spec, filters, list(WORKERS_SPEC))
            check_options(name, spec, options, filters)
            if not HAS_REQUESTS or not HAS_TENACITY:
                raise AnsibleLookupError("the stocktrim lookup needs the Python libraries requests and tenacity "
                                         "on the controller")
            client = StockTrimClient.from_options(options, warn=display.warning)
            try:
                run = _Run(options, client)
                found = spec.read(run)
                if run.extra.get("readable") is False:
                    run.warn("the %s could not be read back from the API on this tenant (it answers 404): the list "
                             "is empty because nothing could be read, not because nothing matches" % name)
                return found
            finally:
                client.close()
        except ApiError as err:
            raise AnsibleLookupError("stocktrim: %s" % err.msg)
