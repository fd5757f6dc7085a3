#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_location_info
short_description: Read StockTrim locations
version_added: 1.0.0
description:
  - Reads one StockTrim location by its O(location_code), or every location.
  - Returns an empty list when nothing matches; that is never a failure.
  - Some StockTrim tenants cannot read locations back (the API answers 404 for all of them). There the module
    returns an empty list and C(readable=false).
options:
  location_code:
    description:
      - Only the location with this code. Without it, every location is returned. An empty value is refused.
    type: str
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes.info
  - apiops.platforms.attributes.stocktrim_group
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Read one location
  apiops.platforms.stocktrim_location_info:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    location_code: MAIN
  register: main_location

- name: Tell whether this tenant can read locations at all
  ansible.builtin.debug:
    msg: "{{ 'readable' if main_location.readable else 'this tenant cannot read locations back' }}"
"""

RETURN = r"""
locations:
  description:
    - The matching locations, each with every field of M(apiops.platforms.stocktrim_location) and its C(id).
    - An empty list when nothing matches or when the tenant cannot read locations.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 3
      location_code: MAIN
      location_name: Main warehouse
      external_id: null
readable:
  description: Whether this tenant can read locations back; when false, RV(locations) is always empty.
  returned: always
  type: bool
  sample: true
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import LOCATION_INFO


def main():
    LOCATION_INFO.run()


if __name__ == "__main__":
    main()
