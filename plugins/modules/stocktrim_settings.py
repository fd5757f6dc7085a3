#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_settings
short_description: Set the inventory management system a StockTrim tenant takes its data from
version_added: 1.0.0
description:
  - Sets the tenant's inventory management system setting (C(POST /api/InventoryManagementSystemSettings)), the
    system StockTrim takes products, stock and sales from, after reading the current one; when it already is
    the one given, nothing is written.
  - The value is compared without regard to case.
  - StockTrim's configuration values can only be read; see M(apiops.platforms.stocktrim_settings_info).
options:
  api:
    description:
      - The inventory management system (API field C(api), the API's C(ApiEnum)). V(StockTrimIncomingApi) is
        the API this collection writes through.
    type: str
    required: true
    choices:
      - Shopify
      - Vend
      - Unleashed
      - TradeGecko
      - Cin7
      - Myob
      - Quickbooks
      - StockTrimIncomingApi
      - Xero
      - Dear
      - CsvUpload
      - Katana
      - Odoo
      - WooCommerce
      - Finale
      - AmazonFba
      - Zoho
      - BigCommerce
      - SquareInventory
      - Magento
      - MrpEasy
      - Fishbowl
      - SkuVault
      - InFlow
      - Neto
      - Sellercloud
      - Acumatica
      - AcumaticaErp
      - All
      - Master
notes:
  - What C(POST /api/InventoryManagementSystemSettings) does with the fields a body leaves out is not known, so an update reads the settings again just before
    the write and sends that fresh read with the changes; a change made in between by another writer is kept,
    unless it lands in the one round trip between that read and the write.
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_settings_info
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Take the tenant's data from the API
  apiops.platforms.stocktrim_settings:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    api: StockTrimIncomingApi
"""

RETURN = r"""
settings:
  description: The tenant's settings after the task; in check mode, as predicted.
  returned: always
  type: dict
  contains:
    api:
      description: The inventory management system, as StockTrim names it.
      type: str
      returned: always
  sample:
    api: StockTrimIncomingApi
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.settings import SETTINGS_RESOURCE


def main():
    SETTINGS_RESOURCE.run()


if __name__ == "__main__":
    main()
