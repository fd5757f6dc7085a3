#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_settings_info
short_description: Read a StockTrim tenant's settings and configuration values
version_added: 1.0.0
description:
  - Reads the tenant's inventory management system setting (C(GET /api/InventoryManagementSystemSettings)) and,
    for each name of O(configuration_names), the configuration value (C(GET /api/Configuration/{configurationName})).
options:
  configuration_names:
    description:
      - The names of the configuration values to read. A name the tenant has no value for reads as null.
    type: list
    elements: str
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes.info
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_settings
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Read the settings and one configuration value
  apiops.platforms.stocktrim_settings_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    configuration_names:
      - ForecastPeriod
  register: tenant

- name: Show where the tenant takes its data from
  ansible.builtin.debug:
    msg: "{{ tenant.settings.api }}"
"""

RETURN = r"""
settings:
  description: The tenant's settings.
  returned: always
  type: dict
  contains:
    api:
      description: The inventory management system, as StockTrim names it.
      type: str
      returned: always
    configuration:
      description: Each name of O(configuration_names) with its value (null when the tenant has none).
      type: dict
      returned: always
  sample:
    api: StockTrimIncomingApi
    configuration:
      ForecastPeriod: "90"
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.settings import SETTINGS_INFO


def main():
    SETTINGS_INFO.run()


if __name__ == "__main__":
    main()
