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
  - The host name is the incarnation repository, followed by C(__) and the target directory when that is not the
    repository root; every character other than letters, digits, C(_), C(-) and C(.) becomes C(_).
  - Host names are unique and do not depend on the order the server lists the incarnations in. When several
    incarnations would get one name (C(org/a) and C(org_a) both give C(org_a)), the one with the lowest id keeps it,
    and each other one gets C(_) and 8 hex digits of the SHA-256 of its repository and target directory appended
    (C(org_a_1f0c2b9e)). That suffix comes from the incarnation's identity, so it is the same on every run, on every
    server and after the incarnation is deleted and created again; the lowest id is the incarnation created first,
    so a host keeps its name when a later incarnation collides with it. The inventory warns naming the colliding
    incarnations, and gives each of them the host variable C(foxops_host_name_collision), the name they collided on.
  - The host variables are the incarnation's state as M(apiops.platforms.foxops_incarnation) returns it, flat
    (C(id), C(incarnation_repository), C(target_directory), C(template_repository), C(template_repository_version),
    C(template_data), C(template_data_full), C(revision), C(commit_sha), C(merge_request_id),
    C(merge_request_status), ...). The details are read concurrently.
  - Groups are named from parts; a part is a value with every run of characters other than letters and digits
    turned into one C(_) and no C(_) at either end, so a part never holds C(__). One group per template repository,
    named after it (C(platform/templates-python) is C(platform_templates_python); C(_) in front when it would
    start with a digit). One per template repository and version, the two parts joined by C(__)
    (C(platform_templates_python__v1_0_0)); no template group name holds C(__), so a version group is never
    another template's group. One per merge request status (C(merge_request_open), C(merge_request_merged),
    C(merge_request_closed)).
  - When two different values would still give one group name (C(org/tpl) and C(org-tpl), or a template repository
    named like a merge request status group), the merge request status group keeps its name, then the value that
    sorts first; the others get C(_) and 8 hex digits of the SHA-256 of the value appended, with a warning.
  - Incarnations are not machines to log in to; by default (O(local_connection)) every host gets
    C(ansible_connection=local) and the controller's Python as C(ansible_python_interpreter), so plays over these
    hosts, fact gathering included, run on the controller.
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
  local_connection:
    description:
      - Give every host C(ansible_connection=local) and C(ansible_python_interpreter) set to the Python that reads
        the inventory (as Ansible does for its implicit C(localhost)), so that plays over the incarnations run on
        the controller, where the collection's Python requirements are.
      - These are host variables set before O(compose), so O(compose) (or a play's C(vars)) can set others.
      - V(false) sets neither; the connection then comes from elsewhere (C(group_vars), the play).
    type: bool
    default: true
    version_added: 2.0.0
extends_documentation_fragment:
  - apiops.platforms.foxops.plugins
  - constructed
  - inventory_cache
notes:
  - Foxops refuses two changes to one repository at the same time (it answers that a rebase is required), so
    incarnations that share a repository (in different directories) must not be changed in the same batch of a play.
  - A filter given as an empty string is refused (it would match every incarnation); leave it out instead.
  - With O(cache), the incarnations are kept by the cache plugin and the server is not asked again until the
    cache expires or C(--flush-cache) is given. They are kept under a hash of what selects them, O(url) and the
    filters (O(incarnation_repository), O(target_directory), O(id)), so another server or other filters are read
    from the server, never answered with incarnations cached for others. The token is neither cached nor part
    of the key.
  - Host and group names are unique within one source; a filter that leaves out one of two colliding incarnations
    gives the other one its plain name.
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
#   gather_facts: false
#   serial: 10
#   max_fail_percentage: 10
#   tasks:
#     - apiops.platforms.foxops_incarnation:
#         id: "{{ id }}"
#         template_repository_version: v2.0.0
"""

import hashlib
import json
import re
import sys

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import check_workers, map_concurrently, plugin_options
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ApiError, InputError
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import INCARNATION, FoxopsClient, search, with_details
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.info import FILTERS, check_filters
from ansible_collections.apiops.platforms.plugins.module_utils.core.transport import HAS_REQUESTS, HAS_TENACITY, check_url

_NOT_IN_HOST_NAME = re.compile(r"[^A-Za-z0-9_.-]")
_NOT_IN_GROUP_PART = re.compile(r"[^A-Za-z0-9]+")
COLLISION_VAR = "foxops_host_name_collision"


def host_name(incarnation):
    """The host name an incarnation wants: its repository, and its directory when that is not the root."""
    name = incarnation["incarnation_repository"]
    directory = _directory(incarnation)
    if directory != ".":
        name = "%s__%s" % (name, directory)
    return _NOT_IN_HOST_NAME.sub("_", name)


def _directory(incarnation):
    return (incarnation.get("target_directory") or ".").strip("/") or "."


def group_part(value):
    """A value as part of a group name: each run of characters other than letters and digits one ``_``, none at
    either end, so a part never holds ``__``."""
    return _NOT_IN_GROUP_PART.sub("_", str(value)).strip("_") or "_"


def suffix(identity, length=8):
    """The stable suffix of a name that collided: hex digits of the SHA-256 of what identifies its owner."""
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:length]


def unique_names(wanted, taken=()):
    """Names that are unique and independent of the listing order.

    ``wanted`` maps each key to ``(name, rank, identity)``. Of the keys that want one name, the one of the lowest
    rank gets it and each other one gets ``<name>_<8 hex digits>`` (:func:`suffix` of its identity, longer in
    the unlikely case that is taken too). Names in ``taken`` are given already. Returns the names (key to name)
    and the collisions (wanted name to its keys, lowest rank first).
    """
    claims = {}
    for key, (name, rank, identity) in wanted.items():
        claims.setdefault(name, []).append((rank, str(key), key, identity))
    names, collisions, given = {}, {}, set(taken)
    later = []
    for name in sorted(claims):
        claimants = sorted(claims[name], key=lambda claim: claim[:2])
        if len(claimants) > 1 or name in given:
            collisions[name] = [claim[2] for claim in claimants]
        if name not in given:
            names[claimants[0][2]] = name
            given.add(name)
            claimants = claimants[1:]
        later.extend((name, claim) for claim in claimants)
    for name, (_rank, _text, key, identity) in later:
        for length in (8, 16, 64):
            candidate = "%s_%s" % (name, suffix(identity, length))
            if candidate not in given:
                break
        names[key] = candidate
        given.add(candidate)
    return names, collisions


def host_vars(incarnation):
    """The incarnation's state, the keys foxops_incarnation returns (not the list's keys of its latest change)."""
    return dict((field.name, incarnation.get(field.name)) for field in INCARNATION.fields)


def group_names(incarnations):
    """The names of the groups the incarnations make, keyed ``("status", status)``, ``("template", template)`` and
    ``("version", template, version)``, and the collisions (a name several of them wanted, to their keys)."""
    statuses, templates, versions = set(), set(), set()
    for incarnation in incarnations:
        template, version = incarnation.get("template_repository"), incarnation.get("template_repository_version")
        if incarnation.get("merge_request_status"):
            statuses.add(incarnation["merge_request_status"])
        if template:
            templates.add(template)
            if version:
                versions.add((template, version))
    names, collisions = unique_names(dict(
        (("status", status), ("merge_request_" + group_part(status), (0, status), status)) for status in statuses))
    wanted = {}
    for template in templates:
        part = group_part(template)
        wanted[("template", template)] = ("_" + part if part[0].isdigit() else part, (1, template), template)
    found, clashes = unique_names(wanted, taken=names.values())
    names.update(found)
    collisions.update(clashes)
    found, clashes = unique_names(dict(
        (("version", template, version), ("%s__%s" % (names[("template", template)], group_part(version)),
                                          (2, template, version), "%s\n%s" % (template, version)))
        for template, version in versions), taken=names.values())
    names.update(found)
    collisions.update(clashes)
    return names, collisions


def groups_of(incarnation, names=None):
    """The groups an incarnation belongs to: its template, its template version and its merge request status."""
    if names is None:
        names = group_names([incarnation])[0]
    groups = []
    template, version = incarnation.get("template_repository"), incarnation.get("template_repository_version")
    if template:
        groups.append(names[("template", template)])
        if version:
            groups.append(names[("version", template, version)])
    if incarnation.get("merge_request_status"):
        groups.append(names[("status", incarnation["merge_request_status"])])
    return groups


def host_names(incarnations):
    """The host names of the incarnations (id to name), and the collisions (wanted name to ids, lowest first)."""
    return unique_names(dict(
        (incarnation["id"], (host_name(incarnation), incarnation["id"],
                             "%s\n%s" % (incarnation["incarnation_repository"], _directory(incarnation))))
        for incarnation in incarnations))


def _describe(key, by_id):
    if not isinstance(key, tuple):
        incarnation = by_id[key]
        return "%s:%s (id %s)" % (incarnation["incarnation_repository"], _directory(incarnation), key)
    if key[0] == "status":
        return "the merge request status %s" % key[1]
    if key[0] == "template":
        return "the template repository %s" % key[1]
    return "version %s of the template repository %s" % (key[2], key[1])


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = "apiops.platforms.foxops"

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(("foxops.yml", "foxops.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        options = self.read_options()
        key = self.cache_key(options)
        use_cache = self.get_option("cache") and cache
        incarnations = None
        if use_cache:
            try:
                incarnations = self._cache[key]
            except KeyError:
                pass
        if incarnations is None:
            incarnations = self.read_incarnations(options)
            if self.get_option("cache"):
                self._cache[key] = incarnations
        self.populate(incarnations)

    def read_options(self):
        """The connection options, the filters and ``workers``; bad input refused naming the option."""
        options = plugin_options(self.get_option, FoxopsClient.connection_spec, FILTERS, ["workers"])
        try:
            options["url"] = check_url(options["url"], "url")
            check_filters(options)
            check_workers(options)
        except InputError as err:
            raise AnsibleParserError("foxops inventory: %s" % err.msg)
        return options

    def cache_key(self, options):
        """The cache key: a hash of what selects the incarnations, the URL and the filters (never the token), so
        another server or other filters never get the incarnations cached for these."""
        selection = dict((name, options[name]) for name in FILTERS)
        selection["url"] = options["url"]
        digest = hashlib.sha256(json.dumps(selection, sort_keys=True).encode("utf-8")).hexdigest()
        return "%s_%s" % (self.NAME, digest[:32])

    def read_incarnations(self, options=None):
        """The incarnations matching the filters, each with its details, read through the modules' client."""
        if not HAS_REQUESTS or not HAS_TENACITY:
            raise AnsibleParserError("the foxops inventory plugin needs the Python libraries requests and tenacity "
                                     "on the controller")
        if options is None:
            options = self.read_options()
        try:
            client = FoxopsClient.from_options(options, warn=self.display.warning)
            try:
                found = search(client, options["incarnation_repository"], options["target_directory"], options["id"])
                found = map_concurrently(lambda item: with_details(client, item), found, options["workers"])
                return [host_vars(item) for item in found]
            finally:
                client.close()
        except ApiError as err:
            raise AnsibleParserError("foxops inventory: %s" % err.msg)

    def warn_collisions(self, what, collisions, names, by_id=None):
        """One warning for each name that several incarnations or groups would have had."""
        for name, keys in sorted(collisions.items()):
            holders = [key for key, given in names.items() if given == name and key not in keys]
            claimants = [_describe(key, by_id) for key in holders + keys]
            given = [names[key] for key in holders + keys]
            self.display.warning(
                "foxops inventory: %s %s would be shared by %s; %s %s, so that none is lost%s"
                % (what, name, ", ".join(claimants), "they are" if len(given) > 1 else "it is", ", ".join(given),
                   " (host variable %s)" % COLLISION_VAR if what == "host name" else ""))

    def populate(self, incarnations):
        strict = self.get_option("strict")
        local = self.get_option("local_connection")
        hosts, host_collisions = host_names(incarnations)
        groups, group_collisions = group_names(incarnations)
        by_id = dict((incarnation["id"], incarnation) for incarnation in incarnations)
        self.warn_collisions("host name", host_collisions, hosts, by_id)
        self.warn_collisions("group name", group_collisions, groups)
        collided = dict((key, name) for name, keys in host_collisions.items() for key in keys)
        for incarnation in incarnations:
            name = hosts[incarnation["id"]]
            variables = dict(incarnation)
            if incarnation["id"] in collided:
                variables[COLLISION_VAR] = collided[incarnation["id"]]
            if local:
                variables.update(ansible_connection="local", ansible_python_interpreter=sys.executable)
            self.inventory.add_host(name)
            for group in groups_of(incarnation, groups):
                self.inventory.add_group(group)
                self.inventory.add_child(group, name)
            for key, value in variables.items():
                self.inventory.set_variable(name, key, value)
            self._set_composite_vars(self.get_option("compose"), variables, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), variables, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), variables, name, strict=strict)
