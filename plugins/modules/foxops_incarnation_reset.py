#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: foxops_incarnation_reset
short_description: Reset the manual customisations of a Foxops incarnation
version_added: 1.0.0
description:
  - Opens the merge request that brings an incarnation's repository back to what its template renders, undoing
    the changes made by hand to the rendered files.
  - The merge request is never merged by the module; it is returned for review as RV(merge_request).
  - Reports no change when there is nothing to reset (the repository has no manual customisations), and when
    an open merge request of the incarnation already carries the state to reset to (a second run).
  - Fails with C(error=conflict) when an open merge request carries another state, or when the open merge request
    is an update of the incarnation rather than a reset (merging it would keep the manual changes); merge or
    close it first. The failure names the merge request (C(merge_request_id), C(merge_request_url)).
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
      - The incarnation's id on the Foxops server (as M(apiops.platforms.foxops_incarnation_info), the lookup
        or the inventory give it), instead of O(incarnation_repository) and O(target_directory).
      - No incarnation with this id is a failure (C(error=not_found)), as for a repository without one.
    type: int
  template_repository_version:
    description:
      - The template version to reset to. The incarnation's current version when not set.
    type: str
  template_data:
    description:
      - Template data to reset to, merged into the incarnation's current data (the current data when not set).
      - With O(purge_template_data=true) it becomes the whole data.
    type: dict
  purge_template_data:
    description:
      - Make O(template_data) the whole template data; variables it does not list are dropped.
    type: bool
    default: false
  wait_for_merge_request:
    description:
      - After the reset, wait until its merge request is at least V(open) (opened; whatever became of it since) or
        V(merged). V(none) does not wait.
      - When the reset's merge request is already open (no change), it is waited for.
      - A merge request closed without being merged while waiting for V(merged) fails with C(error=conflict), and one
        that is not there after O(wait_timeout) with C(error=timeout); both name the merge request
        (C(merge_request_id), C(merge_request_url)) and report C(changed) when the run opened it.
      - A check run never waits.
    type: str
    choices: [none, open, merged]
    default: none
  wait_timeout:
    description:
      - How many seconds to wait at most for O(wait_for_merge_request); then the module fails with C(error=timeout).
    type: int
    default: 600
  wait_sleep:
    description:
      - Seconds between two looks at the merge request with O(wait_for_merge_request).
    type: float
    default: 5
extends_documentation_fragment:
  - apiops.platforms.foxops
  - apiops.platforms.attributes
  - apiops.platforms.attributes.foxops_group
notes:
  - A check run asks the server for the incarnation's manual customisations (its diff); when there are none it
    predicts no change, otherwise the merge request the real run opens (its id and url are null in the prediction).
  - The incarnation must exist; otherwise the module fails with C(error=not_found).
seealso:
  - module: apiops.platforms.foxops_incarnation
  - module: apiops.platforms.foxops_incarnation_info
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Show what was changed by hand (a check run with --diff predicts the reset)
  apiops.platforms.foxops_incarnation_info:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    incarnation_repository: platform/service-a
    diff: true
  register: drift

- name: Propose to undo the manual changes
  apiops.platforms.foxops_incarnation_reset:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    incarnation_repository: platform/service-a
  register: reset

- name: Show the merge request to review
  ansible.builtin.debug:
    msg: "Review {{ reset.merge_request.url }}"
  when: reset.changed

- name: Reset and upgrade in one merge request, the connection set once for the Foxops modules
  apiops.platforms.foxops_incarnation_reset:
    incarnation_repository: platform/service-b
    template_repository_version: v2.0.0
  module_defaults:
    group/apiops.platforms.foxops:
      url: https://foxops.example.com
      token: "{{ foxops_token }}"
"""

RETURN = r"""
merge_request:
  description:
    - The merge request that resets the incarnation (or the open one that already carries the state to reset to).
    - Null when there was nothing to reset. In check mode C(id) and C(url) are null.
  returned: always
  type: dict
  contains:
    id:
      description: The merge request's id.
      type: str
      sample: "4"
    url:
      description: A link to the merge request.
      type: str
      sample: https://gitlab.example.com/platform/service-a/-/merge_requests/4
incarnation:
  description:
    - The incarnation after the run, with the merge request's pending state (in check mode, the predicted one),
      with the same keys as the one M(apiops.platforms.foxops_incarnation) returns.
  returned: always
  type: dict
  sample:
    id: 4
    incarnation_repository: platform/service-a
    target_directory: .
    template_repository: platform/service-template
    template_repository_version: v2.0.0
    template_data: {name: service-a, age: 4}
    revision: 3
    merge_request_id: "4"
    merge_request_status: open
merge_request_id:
  description: On a conflict with an open merge request, or a failed O(wait_for_merge_request), its id.
  returned: on conflict, or when the wait for the merge request failed
  type: str
  sample: "3"
merge_request_url:
  description: On a conflict with an open merge request, or a failed O(wait_for_merge_request), its URL.
  returned: on conflict, or when the wait for the merge request failed
  type: str
"""

from ansible_collections.apiops.platforms.plugins.module_utils.foxops.actions import INCARNATION_RESET


def main():
    INCARNATION_RESET.run()


if __name__ == "__main__":
    main()
