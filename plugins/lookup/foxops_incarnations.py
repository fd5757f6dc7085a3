# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: foxops_incarnations
short_description: The incarnations a Foxops server knows
version_added: 1.0.0
description:
  - Returns the incarnations of a Foxops server as a list of dicts, filtered like
    M(apiops.platforms.foxops_incarnation_info).
  - Terms, when given, are incarnation repositories; the incarnations of all of them are returned, in order.
  - An empty list when nothing matches; that is never an error.
  - Use C(query) (or C(lookup) with C(wantlist=true)) to always get a list, even of one incarnation.
options:
  _terms:
    description:
      - Incarnation repositories (the same as O(incarnation_repository), several at once).
    type: list
    elements: str
    required: false
  incarnation_repository:
    description:
      - Only the incarnation(s) in this repository.
    type: str
  target_directory:
    description:
      - Only incarnations in this directory of their repository (V(.) is the repository root).
    type: str
  id:
    description:
      - Only the incarnation with this id.
    type: int
  details:
    description:
      - Return each incarnation's full state (template version, template data, merge request status) instead of
        the list fields. The details are fetched concurrently.
    type: bool
    default: false
extends_documentation_fragment:
  - apiops.platforms.foxops.plugins
notes:
  - Lookups do not take C(module_defaults); give the connection options as keywords or through E(FOXOPS_URL)
    and E(FOXOPS_TOKEN).
seealso:
  - module: apiops.platforms.foxops_incarnation_info
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Every incarnation of the server, connection from FOXOPS_URL and FOXOPS_TOKEN
  ansible.builtin.debug:
    msg: "{{ query('apiops.platforms.foxops_incarnations') | map(attribute='incarnation_repository') | list }}"

- name: The template versions of two repositories
  ansible.builtin.debug:
    msg: "{{ item.incarnation_repository }}: {{ item.template_repository_version }}"
  loop: "{{ query('apiops.platforms.foxops_incarnations', 'platform/service-a', 'platform/service-b', details=true,
            url='https://foxops.example.com', token=foxops_token) }}"

- name: Fail when an incarnation is still on an old version
  ansible.builtin.assert:
    that: incarnation.template_repository_version == 'v2.0.0'
  vars:
    incarnation: "{{ query('apiops.platforms.foxops_incarnations', incarnation_repository='platform/service-a',
                     target_directory='.', details=true) | first }}"
"""

RETURN = r"""
_raw:
  description:
    - The matching incarnations, oldest first. Without O(details), the list fields (C(id), C(incarnation_repository),
      C(target_directory), C(template_repository), C(revision), C(requested_version), C(commit_sha),
      C(merge_request_id), ...); with O(details), the full state as M(apiops.platforms.foxops_incarnation) returns it.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import map_concurrently, plugin_options
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ApiError
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import FoxopsClient, search, with_details
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.info import FILTERS
from ansible_collections.apiops.platforms.plugins.module_utils.core.transport import (
    HAS_REQUESTS,
    HAS_TENACITY,
)

display = Display()


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        if not HAS_REQUESTS or not HAS_TENACITY:
            raise AnsibleLookupError("the foxops_incarnations lookup needs the Python libraries requests and tenacity "
                                     "on the controller")
        options = plugin_options(self.get_option, FoxopsClient.connection_spec, FILTERS, ["details"])
        repositories = [str(term) for term in terms or []] or [options["incarnation_repository"]]
        try:
            client = FoxopsClient.from_options(options, warn=display.warning)
            try:
                found = []
                for repository in repositories:
                    found.extend(search(client, repository, options["target_directory"], options["id"]))
                if options["details"]:
                    found = map_concurrently(lambda item: with_details(client, item), found)
                return found
            finally:
                client.close()
        except ApiError as err:
            raise AnsibleLookupError("foxops_incarnations: %s" % err.msg)
