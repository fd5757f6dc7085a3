#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: foxops_incarnation_info
short_description: List Foxops incarnations, with their details, diffs and change history
version_added: 1.0.0
description:
  - Lists the incarnations a Foxops server knows, filtered by repository, target directory or id.
  - Returns an empty list when nothing matches; that is never a failure.
  - A filter given as an empty string is refused before any request (it would match every incarnation); leave
    it out to match every one.
  - Details, the diff of manual customisations and the change history are fetched concurrently when
    several incarnations match.
options:
  incarnation_repository:
    description:
      - Only the incarnations in this repository, in any of its directories unless O(target_directory) is given.
    type: str
  target_directory:
    description:
      - Only incarnations in this directory of their repository (V(.) is the repository root), in any repository
        unless O(incarnation_repository) is given.
    type: str
  id:
    description:
      - Only the incarnation with this id (it comes with its full state, as with O(details)).
    type: int
  details:
    description:
      - Also fetch each incarnation's full state (template version, template data, merge request status).
    type: bool
    default: false
  diff:
    description:
      - Also fetch each incarnation's manual customisations as a unified diff (key C(diff)).
    type: bool
    default: false
  changes:
    description:
      - Also fetch each incarnation's change history, newest first (key C(changes)).
    type: bool
    default: false
  server_version:
    description:
      - Also read the version of the Foxops server that answers (C(GET /version), one more request) and return it
        as RV(server_version).
      - Without it, a call without O(details), O(diff), O(changes), O(revision) or O(wait_for_merge_request) sends
        exactly one request (the list).
    type: bool
    default: false
    version_added: 2.0.0
  workers:
    description:
      - How many incarnations are fetched at once when O(details), O(diff) or O(changes) is set.
    type: int
    default: 8
  revision:
    description:
      - Also fetch each incarnation's change at this revision, with what it changed (key C(change); null when the
        incarnation has no such revision).
    type: int
  wait_for_merge_request:
    description:
      - Wait until the merge request of each matching incarnation is at least V(open) (opened; whatever became of it
        since) or V(merged), for example after a change of M(apiops.platforms.foxops_incarnation) with C(automerge=false).
        V(none) does not wait. Implies O(details).
      - An incarnation without a merge request (created or changed directly) is not waited for.
      - A merge request closed without being merged while waiting for V(merged) fails with C(error=conflict), and one
        that is not there after O(wait_timeout) with C(error=timeout); both name the merge request
        (C(merge_request_id), C(merge_request_url)).
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
  - apiops.platforms.attributes.info
  - apiops.platforms.attributes.foxops_group
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: List every incarnation
  apiops.platforms.foxops_incarnation_info:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
  register: all_incarnations

- name: One repository, with details and manual customisations
  apiops.platforms.foxops_incarnation_info:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    incarnation_repository: platform/service-a
    target_directory: .
    details: true
    diff: true
  register: service_a

- name: Which Foxops version answers
  apiops.platforms.foxops_incarnation_info:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    id: 1
    server_version: true
  register: foxops_server

- name: What the second change of an incarnation changed
  apiops.platforms.foxops_incarnation_info:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    id: "{{ service_a.incarnations[0].id }}"
    revision: 2
  register: second_change

- name: Wait until the merge requests of a repository's incarnations are merged
  apiops.platforms.foxops_incarnation_info:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    incarnation_repository: platform/monorepo
    wait_for_merge_request: merged
    wait_timeout: 3600
    wait_sleep: 30

- name: Fail when a repository drifted from its template
  ansible.builtin.assert:
    that: service_a.incarnations | map(attribute='diff') | select | list | length == 0
"""

RETURN = r"""
incarnations:
  description:
    - The matching incarnations, oldest first; an empty list when nothing matches.
    - Without O(details) each carries the list fields (id, repository, directory, template repository,
      revision, type and requested version of the latest change, commit and merge request); with O(details)
      also the full state as returned by M(apiops.platforms.foxops_incarnation).
    - With O(diff), C(diff) is the unified diff of the manual customisations (empty when there are none).
    - With O(changes), C(changes) is the change history, newest first; each change has C(id), C(type)
      (V(direct) or V(merge_request)), C(revision), C(requested_version), C(requested_data), C(template_data_full),
      C(created_at), C(commit_sha), C(merge_request_id), C(merge_request_branch_name) and C(merge_request_status).
    - With O(revision), C(change) is that change, with the same keys, and C(diff) - C(before) and C(after), each the
      C(template_repository_version) and C(template_data) of the revision before it and of this one (C(before) is
      empty for revision 1).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1
      incarnation_repository: inc1
      target_directory: .
      template_repository: template
      template_repository_version: v1.0.0
      template_data: {name: Jon, age: 18}
      revision: 1
      merge_request_status: null
server_version:
  description:
    - The version of the Foxops server that answered.
    - Returned always before version 2.0.0 of the collection.
  returned: when O(server_version=true)
  type: str
  sample: 2.9.1
"""

from ansible_collections.apiops.platforms.plugins.module_utils.foxops.info import INCARNATION_INFO


def main():
    INCARNATION_INFO.run()


if __name__ == "__main__":
    main()
