# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The foxops inventory plugin without a server: host names (unique whatever the listing order), groups (names
that never clash), host variables, the local connection, the constructed options, the cache (keyed by the URL and
the filters, never the token), and bad input refused before any request."""

from __future__ import annotations

import json
import sys

import pytest
from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader

try:
    from ansible.template import trust_as_template  # ansible-core 2.19+: expressions from a source file are trusted
except ImportError:
    def trust_as_template(value):
        return value

from ansible_collections.apiops.platforms.plugins.inventory import foxops as plugin_module
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import INCARNATION

INC = dict(INCARNATION.from_api({}), id=1, incarnation_repository="platform/service-a", target_directory=".",
           template_repository="templates/python", template_repository_version="v1.2.0",
           template_data={"team": "blue"}, merge_request_status="open", revision=2)


def options(**kwargs):
    values = {"compose": {}, "groups": {}, "keyed_groups": [], "strict": False, "cache": False, "url": None,
              "token": None, "validate_certs": True, "ca_path": None, "timeout": 30, "retries": 0,
              "incarnation_repository": None, "target_directory": None, "id": None, "workers": 8,
              "leading_separator": True, "use_extra_vars": False, "local_connection": True}
    values.update(kwargs)
    return values


def make_plugin(**kwargs):
    plugin = plugin_module.InventoryModule()
    values = options(**kwargs)
    plugin.get_option = values.get
    plugin.inventory = InventoryData()
    plugin.loader = DataLoader()
    plugin._vars = {}
    return plugin


@pytest.mark.parametrize("repository, directory, name", [
    ("inc1", ".", "inc1"),
    ("inc1", None, "inc1"),
    ("platform/service-a", ".", "platform_service-a"),
    ("platform/service-a", "apps/web", "platform_service-a__apps_web"),
    ("inc1", "./", "inc1"),
    ("repo.v2", "a b", "repo.v2__a_b"),
])
def test_host_name_from_repository_and_directory(repository, directory, name):
    assert plugin_module.host_name({"incarnation_repository": repository, "target_directory": directory}) == name


def test_groups_per_template_version_and_merge_request_status():
    assert plugin_module.groups_of(INC) == ["templates_python", "templates_python__v1_2_0", "merge_request_open"]
    assert plugin_module.groups_of(dict(INC, merge_request_status=None)) == ["templates_python", "templates_python__v1_2_0"]


@pytest.mark.parametrize("value, part", [
    ("platform/templates-python", "platform_templates_python"),
    ("org//tpl", "org_tpl"),
    ("_org/tpl_", "org_tpl"),
    ("v1.2.0", "v1_2_0"),
    ("v1__2", "v1_2"),
])
def test_a_group_name_part_never_holds_a_double_underscore(value, part):
    assert plugin_module.group_part(value) == part


@pytest.fixture
def warnings(monkeypatch):
    """The warnings the plugin gives, through the display every plugin shares."""
    seen = []
    monkeypatch.setattr(plugin_module.InventoryModule().display, "warning", lambda msg, *args, **kwargs: seen.append(msg))
    return seen


def members(inventory):
    return dict((name, sorted(h.name for h in group.hosts)) for name, group in inventory.groups.items())


def test_a_version_group_is_never_the_group_of_another_template(warnings):
    """org/tpl at v1 and org/tpl-v1 (at v2) gave one group org_tpl_v1 holding both."""
    plugin = make_plugin()
    plugin.populate([dict(INC, id=1, incarnation_repository="a", template_repository="org/tpl", template_repository_version="v1"),
                     dict(INC, id=2, incarnation_repository="b", template_repository="org/tpl-v1", template_repository_version="v2")])
    groups = members(plugin.inventory)
    assert [name for name, hosts in groups.items() if hosts == ["a", "b"]] == ["merge_request_open"]
    assert groups["org_tpl"] == ["a"] and groups["org_tpl__v1"] == ["a"]
    assert groups["org_tpl_v1"] == ["b"] and groups["org_tpl_v1__v2"] == ["b"]
    assert warnings == []


@pytest.mark.parametrize("listed", [0, 1])
def test_templates_with_one_group_name_get_groups_of_their_own(warnings, listed):
    incarnations = [dict(INC, id=1, incarnation_repository="a", template_repository="org/tpl", template_repository_version="v1"),
                    dict(INC, id=2, incarnation_repository="b", template_repository="org-tpl", template_repository_version="v1"),
                    dict(INC, id=3, incarnation_repository="c", template_repository="merge-request-open",
                         template_repository_version="v1")]
    plugin = make_plugin()
    plugin.populate(incarnations if listed == 0 else incarnations[::-1])
    groups = members(plugin.inventory)
    other = "org_tpl_" + plugin_module.suffix("org/tpl")  # "org-tpl" sorts first and keeps the name
    assert groups["org_tpl"] == ["b"] and groups["org_tpl__v1"] == ["b"]
    assert groups[other] == ["a"] and groups[other + "__v1"] == ["a"]
    assert groups["merge_request_open"] == ["a", "b", "c"]  # the status group keeps its name
    assert groups["merge_request_open_" + plugin_module.suffix("merge-request-open")] == ["c"]
    assert len(warnings) == 2
    assert "org_tpl would be shared by the template repository org-tpl, the template repository org/tpl" in warnings[1]
    assert "merge_request_open would be shared by the merge request status open, " \
           "the template repository merge-request-open" in warnings[0]


def test_host_vars_are_the_incarnation_keys_flat():
    listed = dict(INC, type="merge_request", requested_version="v1.2.0", created_at="2026-01-01")
    assert plugin_module.host_vars(listed) == INC
    assert set(plugin_module.host_vars(listed)) == set(f.name for f in INCARNATION.fields)


def test_populate_adds_hosts_groups_and_the_constructed_options():
    plugin = make_plugin(compose={"team": trust_as_template("template_data.team")},
                         groups={"outdated": trust_as_template("template_repository_version != 'v2.0.0'")},
                         keyed_groups=[{"key": trust_as_template("template_data.team"), "prefix": "team"}], strict=True)
    other = dict(INC, id=2, target_directory="apps/web", template_repository_version="v2.0.0", merge_request_status="merged")
    plugin.populate([INC, other])
    inventory = plugin.inventory
    assert sorted(inventory.hosts) == ["platform_service-a", "platform_service-a__apps_web"]
    host = inventory.get_host("platform_service-a")
    assert host.vars["template_repository_version"] == "v1.2.0" and host.vars["id"] == 1 and host.vars["team"] == "blue"
    assert "foxops_host_name_collision" not in host.vars
    groups = members(inventory)
    assert groups["templates_python"] == ["platform_service-a", "platform_service-a__apps_web"]
    assert groups["templates_python__v1_2_0"] == ["platform_service-a"]
    assert groups["templates_python__v2_0_0"] == ["platform_service-a__apps_web"]
    assert groups["merge_request_open"] == ["platform_service-a"]
    assert groups["outdated"] == ["platform_service-a"]
    assert groups["team_blue"] == ["platform_service-a", "platform_service-a__apps_web"]


def test_hosts_run_on_the_controller_unless_turned_off():
    plugin = make_plugin()
    plugin.populate([INC])
    values = plugin.inventory.get_host("platform_service-a").vars
    assert values["ansible_connection"] == "local" and values["ansible_python_interpreter"] == sys.executable

    plugin = make_plugin(compose={"ansible_connection": trust_as_template("'ssh'")})
    plugin.populate([INC])
    assert plugin.inventory.get_host("platform_service-a").vars["ansible_connection"] == "ssh"

    plugin = make_plugin(local_connection=False)
    plugin.populate([INC])
    values = plugin.inventory.get_host("platform_service-a").vars
    assert "ansible_connection" not in values and "ansible_python_interpreter" not in values


# org/a and org_a want one name; a repository named like the name the second one got before (org_a_9) made the
# second one overwrite it, whichever incarnation the listing gave first.
COLLIDING = [dict(INC, id=4, incarnation_repository="org_a_9"), dict(INC, id=1, incarnation_repository="org/a"),
             dict(INC, id=9, incarnation_repository="org_a"), dict(INC, id=5, incarnation_repository="org+a")]


def hosts_by_id(inventory):
    return dict((host.vars["id"], name) for name, host in inventory.hosts.items())


def test_colliding_names_are_unique_and_stable_whatever_the_listing_order(warnings):
    seen = []
    for order in (COLLIDING, COLLIDING[::-1], COLLIDING[1:] + COLLIDING[:1]):
        plugin = make_plugin()
        plugin.populate(order)
        assert len(plugin.inventory.hosts) == len(COLLIDING)
        seen.append(hosts_by_id(plugin.inventory))
        for name, host in plugin.inventory.hosts.items():
            assert host.vars["incarnation_repository"] == dict((i["id"], i) for i in COLLIDING)[host.vars["id"]][
                "incarnation_repository"], name
    assert seen[0] == seen[1] == seen[2]
    assert seen[0] == {1: "org_a", 4: "org_a_9", 9: "org_a_" + plugin_module.suffix("org_a\n."),
                       5: "org_a_" + plugin_module.suffix("org+a\n.")}
    assert warnings[0] == warnings[1] == warnings[2]
    assert warnings[0].startswith("foxops inventory: host name org_a would be shared by org/a:. (id 1), org+a:. (id 5), "
                                  "org_a:. (id 9); they are org_a, org_a_")
    assert "(host variable foxops_host_name_collision)" in warnings[0]
    plugin = make_plugin()
    plugin.populate(COLLIDING)
    collided = dict((host.vars["id"], host.vars.get("foxops_host_name_collision")) for host in plugin.inventory.hosts.values())
    assert collided == {1: "org_a", 5: "org_a", 9: "org_a", 4: None}


def test_a_collision_suffix_depends_on_the_repository_and_directory_only():
    alone, _collisions = plugin_module.host_names([dict(INC, id=1, incarnation_repository="org/a"),
                                                   dict(INC, id=2, incarnation_repository="org_a")])
    other_server, _collisions = plugin_module.host_names([dict(INC, id=70, incarnation_repository="org/a"),
                                                          dict(INC, id=81, incarnation_repository="org_a")])
    assert alone[2] == other_server[81] == "org_a_" + plugin_module.suffix("org_a\n.")


def test_a_suffixed_name_never_takes_a_name_in_use():
    wanted = {1: ("x", 1, "one"), 2: ("x", 2, "two"), 3: ("x_" + plugin_module.suffix("two"), 3, "three")}
    names, collisions = plugin_module.unique_names(wanted)
    assert len(set(names.values())) == 3 and names[1] == "x" and names[3] == "x_" + plugin_module.suffix("two")
    assert names[2] == "x_" + plugin_module.suffix("two", 16)
    assert collisions == {"x": [1, 2]}


def test_verify_file_wants_the_foxops_suffix(tmp_path):
    plugin = plugin_module.InventoryModule()
    for name, ok in (("fleet.foxops.yml", True), ("foxops.yaml", True), ("fleet.yml", False), ("foxops.json", False)):
        path = tmp_path / name
        path.write_text("plugin: apiops.platforms.foxops\n")
        assert plugin.verify_file(str(path)) is ok, name


@pytest.mark.parametrize("bad, message", [
    ({"url": "foxops.example.com"}, "url must be an http"),
    ({"incarnation_repository": " "}, "incarnation_repository must not be empty"),
    ({"target_directory": ""}, "target_directory must not be empty"),
    ({"workers": 0}, "workers must be 1 or more"),
    ({"token": None}, "token is required"),
])
def test_bad_input_is_refused_before_any_request(server, bad, message):
    plugin = make_plugin(**dict({"url": server.url, "token": "secret-token"}, **bad))
    with pytest.raises(AnsibleParserError) as caught:
        plugin.read_incarnations()
    assert message in str(caught.value)
    assert server.count() == 0


def test_details_are_read_and_the_token_stays_out_of_errors(server):
    server.script({"status": 200, "body": [{"id": 1, "incarnation_repository": "inc1", "target_directory": "."}]},
                  {"status": 200, "body": {"id": 1, "incarnation_repository": "inc1", "target_directory": ".",
                                           "template_repository": "template", "template_repository_version": "v1.0.0",
                                           "template_data": {}, "revision": 1}})
    found = make_plugin(url=server.url, token="secret-token").read_incarnations()
    assert [(i["id"], i["template_repository_version"]) for i in found] == [(1, "v1.0.0")]
    assert [s["path"] for s in server.seen] == ["/api/incarnations", "/api/incarnations/1"]
    assert server.seen[0]["headers"]["Authorization"] == "Bearer secret-token"

    server.script({"status": 401, "body": {"detail": "Token is invalid"}})
    with pytest.raises(AnsibleParserError) as caught:
        make_plugin(url=server.url, token="secret-token").read_incarnations()
    assert "Token is invalid" in str(caught.value) and "secret-token" not in str(caught.value)


class _Cache(dict):
    pass


def cached_plugin(monkeypatch, reads, **kwargs):
    values = options(cache=True, url="http://foxops-a.example.com", token="secret-token", **kwargs)
    plugin = make_plugin()
    plugin.get_option = values.get  # the same dict: a test changes the options between runs
    plugin._cache = _Cache()
    monkeypatch.setattr(plugin, "_read_config_data", lambda p: None)

    def read(*args):
        reads.append(dict(values))
        return [dict(INC, id=len(reads), incarnation_repository="read-%d" % len(reads))]
    monkeypatch.setattr(plugin, "read_incarnations", read)
    return plugin, values


def test_the_cache_is_read_first_and_filled_after_a_read(monkeypatch, tmp_path):
    path = str(tmp_path / "fleet.foxops.yml")
    reads = []
    plugin, _values = cached_plugin(monkeypatch, reads)
    plugin.parse(InventoryData(), DataLoader(), path, cache=True)
    assert len(reads) == 1 and list(plugin._cache.values()) == [[dict(INC, id=1, incarnation_repository="read-1")]]
    plugin.parse(InventoryData(), DataLoader(), path, cache=True)
    assert len(reads) == 1  # from the cache
    plugin.parse(InventoryData(), DataLoader(), path, cache=False)  # --flush-cache
    assert len(reads) == 2
    assert sorted(plugin.inventory.hosts) == ["read-2"]


def test_the_cache_is_keyed_by_the_url_and_the_filters_never_the_token(monkeypatch, tmp_path):
    """The key used to be the source file's path alone: another server or another filter got the first answer."""
    path = str(tmp_path / "fleet.foxops.yml")
    reads = []
    plugin, values = cached_plugin(monkeypatch, reads)

    def listed():
        plugin.parse(InventoryData(), DataLoader(), path, cache=True)
        return sorted(plugin.inventory.hosts)

    assert listed() == ["read-1"]
    values["url"] = "http://foxops-b.example.com"
    assert listed() == ["read-2"]  # another server: read, not the first server's incarnations
    values["incarnation_repository"] = "platform/service-a"
    assert listed() == ["read-3"]
    values["target_directory"] = "."
    assert listed() == ["read-4"]
    values["id"] = 7
    assert listed() == ["read-5"]
    values.update(url="http://foxops-a.example.com", incarnation_repository=None, target_directory=None, id=None)
    assert listed() == ["read-1"]  # the first selection again: from the cache
    values["token"] = "another-token"
    assert listed() == ["read-1"]  # the token selects nothing
    values["url"] = "http://foxops-a.example.com/"
    assert listed() == ["read-1"]  # the same server
    assert len(reads) == 5 and len(plugin._cache) == 5
    stored = json.dumps(list(plugin._cache.items()))
    assert "secret-token" not in stored and "another-token" not in stored


def test_bad_input_is_refused_before_the_cache_is_read(monkeypatch, tmp_path):
    reads = []
    plugin, values = cached_plugin(monkeypatch, reads)
    plugin.parse(InventoryData(), DataLoader(), str(tmp_path / "fleet.foxops.yml"), cache=True)
    values["url"] = "foxops-a.example.com"
    with pytest.raises(AnsibleParserError) as caught:
        plugin.parse(InventoryData(), DataLoader(), str(tmp_path / "fleet.foxops.yml"), cache=True)
    assert "url must be an http" in str(caught.value) and len(reads) == 1
