#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: foxops_incarnation_repair
short_description: Repair the incomplete change of a Foxops incarnation
version_added: 1.0.0
description:
  - Foxops records a change before it pushes it to the incarnation's repository. When the push fails (the hoster
    was down, or the branch of an earlier, closed merge request is still in the way) the change stays incomplete;
    the incarnation's C(status) is V(unknown), and every later update fails until it is repaired.
  - This module asks the server to repair it. The server completes the change when its commit was pushed, and drops
    it otherwise (the incarnation is then at the revision before).
  - Reports no change when the incarnation's latest change is complete.
  - M(apiops.platforms.foxops_incarnation) repairs the incomplete change its own failed update leaves behind; this
    module is for one left by anything else.
options:
  incarnation_repository:
    description:
      - The repository of the incarnation.
      - Required unless O(id) is given; mutually exclusive with O(id).
    type: str
  target_directory:
    description:
      - The directory of O(incarnation_repository) the template is rendered into; V(.) is the repository root.
      - Not with O(id).
    type: str
    default: .
  id:
    description:
      - The incarnation's id on the Foxops server, instead of O(incarnation_repository) and O(target_directory).
    type: int
extends_documentation_fragment:
  - apiops.platforms.foxops
  - apiops.platforms.attributes
  - apiops.platforms.attributes.foxops_group
notes:
  - "A check run sends no write. Whether the server completes or drops the change is known only once it repaired it,
    so the predicted incarnation has C(status=success), its identity and template repository, and null for the rest."
  - The incarnation must exist; otherwise the module fails with C(error=not_found).
seealso:
  - module: apiops.platforms.foxops_incarnation
  - module: apiops.platforms.foxops_incarnation_info
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Repair the incarnation of a repository if its latest change is incomplete
  apiops.platforms.foxops_incarnation_repair:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    incarnation_repository: platform/service-a
  register: repair

- name: Show which revision was repaired
  ansible.builtin.debug:
    msg: "revision {{ repair.repaired_revision }} repaired; the incarnation is at revision {{ repair.incarnation.revision }}"
  when: repair is changed
"""

RETURN = r"""
incarnation:
  description:
    - The incarnation after the run (in check mode, the predicted one), with the same keys as the one
      M(apiops.platforms.foxops_incarnation) returns.
  returned: always
  type: dict
  sample:
    id: 4
    incarnation_repository: platform/service-a
    target_directory: .
    template_repository: platform/service-template
    template_repository_version: v2.0.0
    template_data: {name: service-a, age: 4}
    revision: 2
    status: success
repaired_revision:
  description: The revision of the incomplete change that was (or, in check mode, would be) repaired; null when none.
  returned: always
  type: int
  sample: 3
"""

from ansible_collections.apiops.platforms.plugins.module_utils.foxops.actions import INCARNATION_REPAIR


def main():
    INCARNATION_REPAIR.run()


if __name__ == "__main__":
    main()
