#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_location
short_description: Create or update a StockTrim location
version_added: 1.0.0
description:
  - Creates or updates one StockTrim location (a warehouse or store) by its O(location_code).
  - Only the options given are compared; options left out keep their current value in StockTrim.
  - An update sends the whole location, its current fields with the options given over them, so the result is
    the same whether StockTrim merges an upsert into the stored location or replaces it.
  - The StockTrim API cannot delete locations, so this module has no C(state) option.
  - Some StockTrim tenants cannot read locations back (the API answers 404). There the module still
    converges by writing the location, warns that it could not compare, and reports changed on every run.
    Having no current location to complete the update from, it sends only the options given, so give every
    field you want kept (O(location_name), O(external_id)) on every run, because a StockTrim that replaces
    the stored location on an upsert clears the fields left out. Where locations can be read, it is idempotent.
options:
  location_code:
    description:
      - The location's code, its key in StockTrim (API field C(locationCode)).
    type: str
    required: true
  location_name:
    description:
      - The location's name.
    type: str
  external_id:
    description:
      - The location's id in another system.
    type: str
attributes:
  check_mode:
    support: partial
    details:
      - Where the tenant cannot read locations back (StockTrim answers 404 to every read of them), the stored
        location cannot be compared. A check run then reports a change on every run and predicts the location
        from the options given only, not from what StockTrim holds.
  diff_mode:
    support: partial
    details:
      - Where the tenant cannot read locations back, C(diff.before) is empty (the stored location is unknown) and
        C(diff.after) holds the options given only.
notes:
  - What C(POST /api/V2/Locations) does with the fields a body leaves out is not known, so an update reads the location again just before
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
- name: Create or update a warehouse
  apiops.platforms.stocktrim_location:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    location_code: MAIN
    location_name: Main warehouse
"""

RETURN = r"""
location:
  description:
    - The location after the task, with every field; in check mode the predicted location (C(id) null when it
      does not exist yet or cannot be read back).
  returned: always
  type: dict
  sample:
    id: 3
    location_code: MAIN
    location_name: Main warehouse
    external_id: null
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import LOCATION_RESOURCE


def main():
    LOCATION_RESOURCE.run()


if __name__ == "__main__":
    main()
