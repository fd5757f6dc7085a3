# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: stocktrim_catalog_merge
short_description: Merge StockTrim catalogues item by item, by each item's key
version_added: 1.0.0
description:
  - Merges catalogues, each a dict with any of the lists C(suppliers), C(products), C(inventory) and C(boms)
    (such as the result of P(apiops.platforms.stocktrim_catalog_csv#filter) and lists written in YAML), into
    one catalogue with all four lists.
  - Items are matched by their key (C(supplier_code); C(product_id); C(product_id) and C(location_code);
    C(product_id) and C(component_id)). An item whose key is already in an earlier catalogue is merged over it
    (its options win), so YAML can add the fields a CSV export has no column for; the order of first
    appearance is kept.
  - Keys are compared as the StockTrim modules compare them, as text, so a C(product_id) written as the number
    V(1001) in YAML and the same code read from a CSV export are one product; letters keep their case and
    leading zeros count (V(01001) is another product than V(1001)). The merged items carry their keys as that
    text.
  - A key given twice in one catalogue, or an item without its key, fails with a message naming the list and
    the index.
positional: _input, _catalogues
options:
  _input:
    description: The first catalogue.
    type: dict
    required: true
  _catalogues:
    description: The catalogues merged over it, in order.
    type: dict
seealso:
  - plugin: apiops.platforms.stocktrim_catalog_csv
    plugin_type: filter
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: The CSV export, with the suppliers' e-mail addresses from YAML
  ansible.builtin.set_fact:
    catalogue: >-
      {{ lookup('ansible.builtin.file', 'files/catalog.csv') | apiops.platforms.stocktrim_catalog_csv
         | apiops.platforms.stocktrim_catalog_merge({'suppliers': [{'supplier_code': 'ACME',
                                                                   'email_address': 'orders@acme.example'}]}) }}
"""

RETURN = r"""
_value:
  description: The merged catalogue, with the four lists C(suppliers), C(products), C(inventory) and C(boms).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.keys import key_of

KEYS = {
    "suppliers": ("supplier_code",),
    "products": ("product_id",),
    "inventory": ("product_id", "location_code"),
    "boms": ("product_id", "component_id"),
}


def stocktrim_catalog_merge(catalogue, *catalogues):
    """One catalogue of the four lists, the items of later catalogues merged over those of the same key."""
    merged = dict((kind, []) for kind in KEYS)
    index = dict((kind, {}) for kind in KEYS)
    for number, each in enumerate((catalogue,) + catalogues):
        if each is None:
            continue
        if not isinstance(each, dict):
            raise AnsibleFilterError("catalogue %d is not a dict of lists (suppliers, products, inventory, boms)" % number)
        unknown = sorted(set(each) - set(KEYS))
        if unknown:
            raise AnsibleFilterError("catalogue %d has %s; only suppliers, products, inventory and boms are merged"
                                     % (number, ", ".join(unknown)))
        for kind, keys in KEYS.items():
            items = each.get(kind) or []
            seen = set()
            if not isinstance(items, list):
                raise AnsibleFilterError("%s must be a list, not %s" % (kind, type(items).__name__))
            for position, item in enumerate(items):
                if not isinstance(item, dict):
                    raise AnsibleFilterError("%s[%d] must be a dict" % (kind, position))
                missing = [k for k in keys if item.get(k) in (None, "")]
                if missing:
                    raise AnsibleFilterError("%s[%d]: %s is required" % (kind, position, " and ".join(missing)))
                key = tuple(key_of(item, k) for k in keys)  # 1001 and "1001" are one key, as in the modules
                if key in seen:
                    raise AnsibleFilterError("%s[%d]: %s %s is given twice"
                                             % (kind, position, " and ".join(keys), "/".join(key)))
                seen.add(key)
                if key not in index[kind]:
                    index[kind][key] = {}
                    merged[kind].append(index[kind][key])
                index[kind][key].update(item)
                index[kind][key].update(zip(keys, key))
    return merged


class FilterModule(object):
    """The StockTrim catalogue merge filter."""

    def filters(self):
        return {"stocktrim_catalog_merge": stocktrim_catalog_merge}
