#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: foxops_incarnation
short_description: Manage Foxops incarnations as code
version_added: 1.0.0
description:
  - Creates, updates and deletes the incarnation of a template in a repository on a Foxops server.
  - An incarnation is identified by O(incarnation_repository) and O(target_directory).
  - Creating one renders the template into the repository at once (a direct commit).
  - Updating one (a new O(template_repository_version), new O(template_data)) goes through a merge request
    by default; O(automerge=true) merges it at once. O(change_type=direct) commits the change directly instead.
  - Only what the user set is compared (the incarnation's C(template_data), never the C(template_data_full)
    with the template's defaults). An update that changes nothing sends no write.
  - While a merge request of the incarnation is open, the server already shows the state it carries. When
    that is the desired state the module reports no change and returns it. When it carries something else,
    the module fails with C(error=conflict) and the merge request's URL, or with O(wait=true) waits until it
    is merged or closed and goes on.
options:
  state:
    description:
      - V(present) creates the incarnation or brings it to the desired state.
      - V(absent) deletes the incarnation from Foxops. The repository is left as it is, files and
        C(.fengine.yaml) included, so Foxops refuses to create an incarnation at the same place again
        until that file is removed from the repository.
    type: str
    choices: [present, absent]
    default: present
  incarnation_repository:
    description:
      - The repository the template is rendered into, as the Foxops server's hoster names it
        (for example a GitLab project path).
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
      - An incarnation is created only by its repository and directory; with O(id), an incarnation that does not
        exist is a failure (C(error=not_found)) with O(state=present), and no change with O(state=absent).
    type: int
  template_repository:
    description:
      - The repository of the template.
      - Required to create an incarnation. Foxops cannot move an incarnation to another template; giving another one
        for an existing incarnation fails before any write, unless O(recreate=true).
    type: str
  recreate:
    description:
      - When O(template_repository) differs from the existing incarnation's, delete the incarnation and create it
        anew from O(template_repository), at O(template_repository_version) (default the current version) with the
        current O(template_data) merged with the given one (the whole data with O(purge_template_data=true)).
      - Foxops refuses to create an incarnation where the state file (C(.fengine.yaml)) of the old one still is, and
        its API cannot remove that file. So the run first reads the incarnation's diff (also in check mode) and fails
        with C(error=conflict) before any write, naming the file to remove, until a commit on the default branch has
        removed it. An open merge request or an incomplete change fails the same way.
      - The new incarnation has a new C(id) (Foxops may reuse the old number), C(revision) 1, and is a direct commit.
        The diff shows the old incarnation before and the new one after.
      - When the create fails after the delete (for example data the new template refuses), the incarnation is gone
        from Foxops and the failure says so; a run with corrected options creates it.
      - Without effect when O(template_repository) is not given or is the incarnation's.
    type: bool
    default: false
  template_repository_version:
    description:
      - The version of the template (a git tag, branch or commit of O(template_repository)).
      - Required to create an incarnation. When not set for an existing one, its version stays.
      - Setting the previous version rolls an upgrade back.
    type: str
  template_data:
    description:
      - Values for the template's variables.
      - By default they are merged into the incarnation's current data; variables not listed keep their values.
      - With O(purge_template_data=true) they become the whole data.
    type: dict
  purge_template_data:
    description:
      - Make O(template_data) the whole template data of the incarnation; variables it does not list are dropped
        (and take the template's default, if it has one).
    type: bool
    default: false
  change_type:
    description:
      - How an update of an existing incarnation reaches the repository.
      - V(merge_request) opens a merge request (merged at once with O(automerge=true)).
      - V(direct) commits the change to the default branch directly, without a merge request, for teams that do
        not review template updates. O(automerge) has no effect then.
    type: str
    choices: [merge_request, direct]
    default: merge_request
  automerge:
    description:
      - With O(change_type=merge_request), merge the merge request of an update at once.
      - When V(false), the merge request stays open for review and is returned in RV(incarnation).
    type: bool
    default: false
attributes:
  check_mode:
    support: partial
    details:
      - With O(wait=true) and an open merge request that carries another state, a real run waits for a person to
        merge or close it and builds on what that leaves; a check run never waits, so it cannot predict the state
        an open merge request leaves once it is merged or closed. It predicts on the repository's applied state,
        as if the merge request were closed.
extends_documentation_fragment:
  - apiops.platforms.foxops
  - apiops.platforms.foxops.wait
  - apiops.platforms.attributes
  - apiops.platforms.attributes.foxops_group
notes:
  - "A check run sends no write and returns the predicted incarnation: the merged O(template_data), the version,
    the revision one up, and the C(merge_request_status) the real run leaves (V(merged) with O(automerge=true) or
    O(wait_for_merge_request=merged), V(open) without, null for O(change_type=direct)). What only the server decides is null in the prediction:
    C(id) on create, C(commit_sha), C(commit_url), C(merge_request_id), C(merge_request_url),
    C(template_repository_version_hash)."
  - "The predicted C(template_data_full) of an update is the current one with the new data and version written in,
    strings converted as the template reads them (V(\"30\") for an integer variable becomes V(30)), and the
    template's defaults at the new version as the incarnation's change history shows them (one more read in
    check mode, only after a version change or when O(purge_template_data=true) drops a variable). A default the
    server has never shown is not known before: a variable a new version adds is missing from the prediction,
    a dropped variable that was never left unset before is null. On create the template's defaults are not known before: C(template_data_full) is null."
  - A no-op is told by the C(revision) the server returns; when it did not move, the module reports no change.
  - When the last merge request was closed without merging, the server still shows the state it carried; the
    module compares against the state the repository holds (the last merged or direct change) instead.
  - An unknown O(template_repository_version) fails with C(error=validation) and a message naming the option
    (the server answers 400 on create but 500 on an update). A missing O(incarnation_repository) fails with
    C(error=not_found).
  - A wrong O(token) fails with C(error=authentication) at the first request, before anything is changed.
  - When the server fails an update half-way (for example because the branch of an earlier, closed merge request
    for the same version still exists), it leaves an incomplete change that blocks later updates. The module
    has the server repair it at once and still reports the failure. An incomplete change left by another client
    fails with C(error=conflict) and the request that repairs it.
seealso:
  - module: apiops.platforms.foxops_incarnation_info
  - module: apiops.platforms.foxops_incarnation_reset
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Render the template into a repository
  apiops.platforms.foxops_incarnation:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    incarnation_repository: platform/service-a
    template_repository: platform/service-template
    template_repository_version: v1.0.0
    template_data:
      name: service-a
      age: 3
  register: service_a

- name: Change one variable and merge at once
  apiops.platforms.foxops_incarnation:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    incarnation_repository: platform/service-a
    template_data:
      age: 4
    automerge: true

- name: Replace the whole template data (variables not listed are dropped), committed directly
  apiops.platforms.foxops_incarnation:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    incarnation_repository: platform/service-a
    template_data:
      name: service-a
      age: 5
    purge_template_data: true
    change_type: direct

- name: Upgrade an incarnation known by its id (as this module, the info module, the lookup or the inventory give it)
  apiops.platforms.foxops_incarnation:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    id: "{{ service_a.incarnation.id }}"
    template_repository_version: v2.0.0

- name: Upgrade many repositories, the connection set once for the play's Foxops modules
  module_defaults:
    group/apiops.platforms.foxops:
      url: https://foxops.example.com
      token: "{{ foxops_token }}"
  block:
    - name: Propose the upgrade to v2.0.0 as merge requests, for review
      apiops.platforms.foxops_incarnation:
        incarnation_repository: "{{ item }}"
        template_repository_version: v2.0.0
      loop: [platform/service-a, platform/service-b]
      register: upgrades

    - name: Show the merge requests to review
      ansible.builtin.debug:
        msg: "{{ upgrades.results | map(attribute='incarnation.merge_request_url') | list }}"

- name: Wait up to 30 minutes for a pending merge request before changing the incarnation
  apiops.platforms.foxops_incarnation:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    incarnation_repository: platform/service-a
    template_repository_version: v3.0.0
    wait: true
    wait_timeout: 1800
    wait_sleep: 30

- name: Upgrade and wait up to an hour for a reviewer to merge the merge request
  apiops.platforms.foxops_incarnation:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    incarnation_repository: platform/service-a
    template_repository_version: v3.0.0
    wait_for_merge_request: merged
    wait_timeout: 3600
    wait_sleep: 30

- name: Forget the incarnation (the repository is left as it is)
  apiops.platforms.foxops_incarnation:
    url: https://foxops.example.com
    token: "{{ foxops_token }}"
    incarnation_repository: platform/service-a
    state: absent
"""

RETURN = r"""
incarnation:
  description:
    - The incarnation after the run (in check mode, the predicted one; see the notes for the fields that a
      prediction leaves null).
    - Null after O(state=absent).
  returned: always
  type: dict
  contains:
    id:
      description: The incarnation's id on the server.
      type: int
      sample: 1
    incarnation_repository:
      description: The repository the template is rendered into.
      type: str
      sample: platform/service-a
    target_directory:
      description: The directory of the repository the template is rendered into.
      type: str
      sample: .
    template_repository:
      description: The repository of the template.
      type: str
      sample: platform/service-template
    template_repository_version:
      description: The template version (pending, while a merge request is open).
      type: str
      sample: v2.0.0
    template_repository_version_hash:
      description: The commit of the template version, as the server reports it.
      type: str
      sample: 61587b06a4fbcc568adc100cd37806ff3cfd62ac
    template_data:
      description: The template data the user set (pending, while a merge request is open).
      type: dict
      sample: {name: service-a, age: 4}
    template_data_full:
      description: The template data with the template's defaults and the engine's own keys.
      type: dict
      sample: {name: service-a, age: 4, country: Switzerland}
    revision:
      description: The number of the incarnation's latest change; it goes up by one with every change.
      type: int
      sample: 2
    commit_sha:
      description: The commit of the latest change.
      type: str
      sample: 6832fd27f5990bb683d8da59854d3fa63dd51130
    commit_url:
      description: A link to that commit.
      type: str
    merge_request_id:
      description: The merge request of the latest change; null for a direct change.
      type: str
      sample: "2"
    merge_request_url:
      description: A link to that merge request.
      type: str
    merge_request_status:
      description: V(open), V(merged), V(closed), V(unknown), or null for a direct change.
      type: str
      sample: open
    status:
      description: The server's deprecated overall status of the latest change.
      type: str
      sample: success
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

from ansible_collections.apiops.platforms.plugins.module_utils.foxops.specs import INCARNATION_RESOURCE


def main():
    INCARNATION_RESOURCE.run()


if __name__ == "__main__":
    main()
