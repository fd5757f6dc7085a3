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
  - Terms, when given, are incarnation repositories; the incarnations of all of them are returned, in the order of
    the terms, each repository once however often it is named.
  - An empty list when nothing matches; that is never an error.
  - Terms together with the O(incarnation_repository) keyword are refused before any request is sent; so is a
    filter (or a term) given as an empty string, with the message M(apiops.platforms.foxops_incarnation_info) gives.
  - Use C(query) (or C(lookup) with C(wantlist=true)) to always get a list, even of one incarnation.
options:
  _terms:
    description:
      - Incarnation repositories (the same as O(incarnation_repository), several at once). A repository named
        twice is read once.
      - Not together with O(incarnation_repository).
    type: list
    elements: str
    required: false
  incarnation_repository:
    description:
      - Only the incarnation(s) in this repository.
      - Not together with terms; give several repositories as terms instead.
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
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ApiError, InputError
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import FoxopsClient, search, with_details
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.info import FILTERS, check_filters
from ansible_collections.apiops.platforms.plugins.module_utils.core.transport import (
    HAS_REQUESTS,
    HAS_TENACITY,
)

display = Display()


def repositories_of(terms, options):
    """The repositories to read, in the order given and each once: the terms, or the ``incarnation_repository``
    keyword (None: every repository). Refused before any request: both at once, and a filter or a term the
    info module would refuse."""
    check_filters(options)
    terms = [str(term) for term in terms or []]
    if not terms:
        return [options["incarnation_repository"]]
    if options["incarnation_repository"] is not None:
        raise InputError("give the incarnation repositories either as terms or as the incarnation_repository keyword, "
                         "not both (terms: %s; incarnation_repository: %s)"
                         % (", ".join(terms), options["incarnation_repository"]))
    repositories = []
    for number, term in enumerate(terms, 1):
        try:
            check_filters(dict(options, incarnation_repository=term))
        except InputError as err:
            raise InputError("term %d is an incarnation repository: %s" % (number, err.msg))
        if term not in repositories:
            repositories.append(term)
    return repositories


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        options = plugin_options(self.get_option, FoxopsClient.connection_spec, FILTERS, ["details"])
        try:
            repositories = repositories_of(terms, options)
            if not HAS_REQUESTS or not HAS_TENACITY:
                raise AnsibleLookupError("the foxops_incarnations lookup needs the Python libraries requests and "
                                         "tenacity on the controller")
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
