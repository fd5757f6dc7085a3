# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: foxops
short_description: Foxops incarnations as an inventory
version_added: 1.0.0
description:
  - Turns the incarnations of a Foxops server into inventory hosts, one host per incarnation, so a fleet of
    repositories is changed by a play over hosts, with C(forks), C(serial) and C(max_fail_percentage).
  - The source is a YAML file whose name ends in C(foxops.yml) or C(foxops.yaml), whose O(plugin) is
    V(apiops.platforms.foxops).
  - The host name is the incarnation repository, followed by C(__) and the target directory when that is not
    the repository root; every character other than letters, digits, C(_), C(-) and C(.) becomes C(_). When two
    incarnations would get the same name, the later one gets its id appended.
  - The host variables are the incarnation's state as M(apiops.platforms.foxops_incarnation) returns it, flat
    (C(id), C(incarnation_repository), C(target_directory), C(template_repository), C(template_repository_version),
    C(template_data), C(template_data_full), C(revision), C(commit_sha), C(merge_request_id),
    C(merge_request_status), ...). The details are read concurrently.
  - Groups, with every character other than letters, digits and C(_) turned into C(_) - one per template repository,
    named after it (C(template)); one per template repository and version (C(template_v1_0_0)); one per merge
    request status (C(merge_request_open), C(merge_request_merged), C(merge_request_closed)).
  - Incarnations are not machines to log in to; plays over these hosts run with a local connection.
options:
  plugin:
    description:
      - The name of this plugin; it marks the file as a Foxops inventory source.
    type: str
    required: true
    choices: [apiops.platforms.foxops]
  incarnation_repository:
    description:
      - Only the incarnations in this repository.
    type: str
  target_directory:
    description:
      - Only incarnations in this directory of their repository (V(.) is the repository root).
    type: str
  id:
    description:
      - Only the incarnation with this id.
    type: int
  workers:
    description:
      - How many incarnations are read at once.
    type: int
    default: 8
extends_documentation_fragment:
  - apiops.platforms.foxops.plugins
  - constructed
  - inventory_cache
notes:
  - Foxops refuses two changes to one repository at the same time (it answers that a rebase is required), so
    incarnations that share a repository (in different directories) must not be changed in the same batch of a play.
  - A filter given as an empty string is refused (it would match every incarnation); leave it out instead.
  - With O(cache), the incarnations are kept by the cache plugin and the server is not asked again until the
    cache expires or C(--flush-cache) is given. The token is never cached.
seealso:
  - module: apiops.platforms.foxops_incarnation_info
  - module: apiops.platforms.foxops_incarnation
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
# fleet.foxops.yml: every incarnation; url and token from FOXOPS_URL and FOXOPS_TOKEN
plugin: apiops.platforms.foxops

---
# services.foxops.yml: one repository's incarnations, with groups of your own and a day's cache
plugin: apiops.platforms.foxops
url: https://foxops.example.com
incarnation_repository: platform/monorepo
compose:
  ansible_connection: "'local'"
groups:
  outdated: template_repository_version != 'v2.0.0'
keyed_groups:
  - key: template_data.team | default('none')
    prefix: team
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/foxops-inventory
cache_timeout: 86400

# A play that bumps the outdated incarnations of one template, ten at a time:
# - hosts: template:&outdated
#   connection: local
#   gather_facts: false
#   serial: 10
#   max_fail_percentage: 10
#   tasks:
#     - apiops.platforms.foxops_incarnation:
#         id: "{{ id }}"
#         template_repository_version: v2.0.0
"""

import re

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import check_workers, map_concurrently, plugin_options
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import not_empty
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ApiError
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import INCARNATION, FoxopsClient, search, with_details
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.info import FILTERS
from ansible_collections.apiops.platforms.plugins.module_utils.core.transport import HAS_REQUESTS, HAS_TENACITY

_NOT_IN_HOST_NAME = re.compile(r"[^A-Za-z0-9_.-]")
_NOT_IN_GROUP_NAME = re.compile(r"[^A-Za-z0-9_]")


def host_name(incarnation):
    """The host name of an incarnation: its repository, and its directory when that is not the root."""
    name = incarnation["incarnation_repository"]
    directory = (incarnation.get("target_directory") or ".").strip("/")
    if directory not in ("", "."):
        name = "%s__%s" % (name, directory)
    return _NOT_IN_HOST_NAME.sub("_", name)


def group_name(*parts):
    return _NOT_IN_GROUP_NAME.sub("_", "_".join(str(part) for part in parts))


def host_vars(incarnation):
    """The incarnation's state, the keys foxops_incarnation returns (not the list's keys of its latest change)."""
    return dict((field.name, incarnation.get(field.name)) for field in INCARNATION.fields)


def groups_of(incarnation):
    """The groups an incarnation belongs to: its template, its template version and its merge request status."""
    groups = []
    template = incarnation.get("template_repository")
    if template:
        groups.append(group_name(template))
        if incarnation.get("template_repository_version"):
            groups.append(group_name(template, incarnation["template_repository_version"]))
    if incarnation.get("merge_request_status"):
        groups.append(group_name("merge_request", incarnation["merge_request_status"]))
    return groups


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = "apiops.platforms.foxops"

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(("foxops.yml", "foxops.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        incarnations = None
        if use_cache:
            try:
                incarnations = self._cache[key]
            except KeyError:
                pass
        if incarnations is None:
            incarnations = self.read_incarnations()
            if self.get_option("cache"):
                self._cache[key] = incarnations
        self.populate(incarnations)

    def read_incarnations(self):
        """The incarnations matching the filters, each with its details, read through the modules' client."""
        if not HAS_REQUESTS or not HAS_TENACITY:
            raise AnsibleParserError("the foxops inventory plugin needs the Python libraries requests and tenacity "
                                     "on the controller")
        options = plugin_options(self.get_option, FoxopsClient.connection_spec, FILTERS, ["workers"])
        try:
            not_empty(options, *[name for name, spec in FILTERS.items() if spec["type"] == "str"])
            check_workers(options)
            client = FoxopsClient.from_options(options, warn=self.display.warning)
            try:
                found = search(client, options["incarnation_repository"], options["target_directory"], options["id"])
                found = map_concurrently(lambda item: with_details(client, item), found, options["workers"])
                return [host_vars(item) for item in found]
            finally:
                client.close()
        except ApiError as err:
            raise AnsibleParserError("foxops inventory: %s" % err.msg)

    def populate(self, incarnations):
        strict = self.get_option("strict")
        taken = {}
        for incarnation in incarnations:
            name = host_name(incarnation)
            if taken.get(name, incarnation["id"]) != incarnation["id"]:
                name = "%s_%s" % (name, incarnation["id"])
            taken[name] = incarnation["id"]
            self.inventory.add_host(name)
            for group in groups_of(incarnation):
                self.inventory.add_group(group)
                self.inventory.add_child(group, name)
            for key, value in incarnation.items():
                self.inventory.set_variable(name, key, value)
            self._set_composite_vars(self.get_option("compose"), incarnation, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), incarnation, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), incarnation, name, strict=strict)
