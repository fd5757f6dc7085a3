#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: foxops_incarnations
short_description: Bring many Foxops incarnations to their desired state in one task
version_added: 2.0.0
description:
  - The fleet counterpart of M(apiops.platforms.foxops_incarnation). Each element of O(incarnations) describes one
    incarnation with the options of that module that describe one (its identity or its C(id),
    O(template_repository), O(template_repository_version), O(template_data), O(purge_template_data),
    O(automerge), O(change_type), O(state)); each is compared and changed exactly as that module does it, merge
    requests, waiting, lost answers and repair included.
  - The same options at the top level are defaults for every element, so a fleet bump is one
    O(template_repository_version) beside a list of identities. An element's own value wins; its O(template_data)
    is merged over the top-level one, key by key.
  - One read of the list of incarnations; the details of an incarnation are read only where its data must be
    compared, O(workers) at a time.
  - Changes run O(workers) at a time, but never two to one repository at once (Foxops refuses a change to a
    repository while another is under way), so the changes to one repository run one after the other.
  - A failure of one incarnation (an open merge request that carries another state, an incomplete change, a
    refused write) does not stop the others. The task then fails, naming each failed incarnation under
    RV(failures), and reports C(changed) when anything may have been written.
options:
  incarnations:
    description:
      - The incarnations, in the order their results are returned. Each element is a dict that takes
        C(incarnation_repository) and C(target_directory), or C(id), and C(template_repository),
        C(template_repository_version), C(template_data), C(purge_template_data), C(automerge), C(change_type) and
        C(state), as M(apiops.platforms.foxops_incarnation) takes them.
      - Every element is validated before any request (unknown keys, types, an identity given twice or not at
        all); an error names the element's index and the option.
      - An incarnation may appear only once.
    type: list
    elements: dict
    required: true
  incarnation_repository:
    description:
      - The default C(incarnation_repository) of the elements (for several directories of one repository).
    type: str
  target_directory:
    description:
      - The default C(target_directory) of the elements; V(.) is the repository root.
    type: str
    default: .
  template_repository:
    description:
      - The default C(template_repository) of the elements, needed to create an incarnation.
    type: str
  template_repository_version:
    description:
      - The default C(template_repository_version) of the elements; beside a list of identities, a fleet bump.
    type: str
  template_data:
    description:
      - Template data for every element; an element's C(template_data) is merged over it, key by key.
    type: dict
  purge_template_data:
    description:
      - The default C(purge_template_data) of the elements.
    type: bool
    default: false
  automerge:
    description:
      - The default C(automerge) of the elements.
    type: bool
    default: false
  change_type:
    description:
      - The default C(change_type) of the elements.
    type: str
    choices: [merge_request, direct]
    default: merge_request
  state:
    description:
      - The default C(state) of the elements. V(absent) deletes the incarnations from Foxops (the repositories are left
        as they are); their identities are returned under RV(deleted).
    type: str
    choices: [present, absent]
    default: present
  workers:
    description:
      - How many incarnations are read and changed at once (the changes to one repository still run one after the
        other).
    type: int
    default: 8
attributes:
  check_mode:
    support: partial
    details:
      - As M(apiops.platforms.foxops_incarnation), for each incarnation. With O(wait=true) and an open merge request that
        carries another state, a real run waits for a person to merge or close it; a check run never waits, so it
        cannot predict the state an open merge request leaves once it is merged or closed.
extends_documentation_fragment:
  - apiops.platforms.foxops
  - apiops.platforms.foxops.wait
  - apiops.platforms.attributes
  - apiops.platforms.attributes.foxops_group
notes:
  - "A check run sends no write and returns each predicted incarnation as M(apiops.platforms.foxops_incarnation)
    predicts it (what only the server decides, such as C(merge_request_id), is null)."
  - With C(--diff), C(diff.before) and C(diff.after) hold only the incarnations created, updated or deleted, by
    C(incarnation_repository:target_directory), without their empty fields.
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Create incarnations of one template, with data shared by all and per incarnation
  apiops.platforms.foxops_incarnations:
    url: "{{ foxops_url }}"
    token: "{{ foxops_token }}"
    template_repository: platform/service-template
    template_repository_version: v1.0.0
    template_data:
      age: 1
    incarnations:
      - incarnation_repository: platform/service-a
        template_data:
          name: service-a
      - incarnation_repository: platform/monorepo
        target_directory: billing
        template_data:
          name: billing
      - incarnation_repository: platform/monorepo
        target_directory: shipping
        template_data:
          name: shipping

- name: Move the whole fleet to v2.0.0 of its template, through merge requests merged at once
  apiops.platforms.foxops_incarnations:
    url: "{{ foxops_url }}"
    token: "{{ foxops_token }}"
    template_repository_version: v2.0.0
    automerge: true
    incarnations:
      - incarnation_repository: platform/service-a
      - incarnation_repository: platform/monorepo
        target_directory: billing
      - incarnation_repository: platform/monorepo
        target_directory: shipping
        template_data:
          age: 3
  register: bump

- name: Show the merge requests opened
  ansible.builtin.debug:
    msg: "{{ bump.merge_requests | map(attribute='merge_request_url') | list }}"
"""

RETURN = r"""
incarnations:
  description:
    - The incarnations after the run (in check mode, as predicted), in the order given, without their empty fields;
      those deleted are not in it.
  returned: always
  type: list
  elements: dict
created:
  description: The incarnations created (or, in check mode, that would be).
  returned: always
  type: list
  elements: dict
  contains:
    incarnation_repository:
      description: The incarnation's repository.
      type: str
    target_directory:
      description: The incarnation's directory.
      type: str
  sample: [{"incarnation_repository": "team-c/billing", "target_directory": "."}]
updated:
  description: The incarnations changed (or, in check mode, that would be), entries as in RV(created).
  returned: always
  type: list
  elements: dict
unchanged:
  description: The incarnations already in the desired state (or absent, with O(state=absent)), entries as in RV(created).
  returned: always
  type: list
  elements: dict
deleted:
  description: The incarnations deleted (or, in check mode, that would be), entries as in RV(created).
  returned: always
  type: list
  elements: dict
merge_requests:
  description:
    - The merge requests the run opened (in check mode, would open), one per incarnation updated through a merge
      request.
  returned: always
  type: list
  elements: dict
  contains:
    incarnation_repository:
      description: The incarnation's repository.
      type: str
    target_directory:
      description: The incarnation's directory.
      type: str
    id:
      description: The incarnation's id.
      type: int
    merge_request_id:
      description: The merge request's id on the hoster (null in check mode).
      type: str
    merge_request_url:
      description: The merge request's URL (null in check mode).
      type: str
    merge_request_status:
      description: V(open), or V(merged) with automerge or once waited for.
      type: str
versions_before:
  description:
    - The template version each incarnation that was found had before the run, by C(incarnation_repository:target_directory).
  returned: always
  type: dict
  sample: {"team-a/service-one:.": "v1.4.0"}
failures:
  description: On a partial failure, each incarnation that failed, with its reason.
  returned: failure
  type: list
  elements: dict
  contains:
    item:
      description: The incarnation, as in RV(created).
      type: dict
    error:
      description: The error kind.
      type: str
    status:
      description: The HTTP status, if any.
      type: int
    msg:
      description: What went wrong.
      type: str
"""

from ansible_collections.apiops.platforms.plugins.module_utils.foxops.fleet import INCARNATIONS


def main():
    INCARNATIONS.run()


if __name__ == "__main__":
    main()
