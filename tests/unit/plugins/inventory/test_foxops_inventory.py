# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The foxops inventory plugin without a server: host names, groups, host variables, the constructed options,
the cache, and bad input refused before any request."""

from __future__ import annotations

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
              "leading_separator": True, "use_extra_vars": False}
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
    assert plugin_module.groups_of(INC) == ["templates_python", "templates_python_v1_2_0", "merge_request_open"]
    assert plugin_module.groups_of(dict(INC, merge_request_status=None)) == ["templates_python", "templates_python_v1_2_0"]


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
    members = dict((name, sorted(h.name for h in group.hosts)) for name, group in inventory.groups.items())
    assert members["templates_python"] == ["platform_service-a", "platform_service-a__apps_web"]
    assert members["templates_python_v1_2_0"] == ["platform_service-a"]
    assert members["templates_python_v2_0_0"] == ["platform_service-a__apps_web"]
    assert members["merge_request_open"] == ["platform_service-a"]
    assert members["outdated"] == ["platform_service-a"]
    assert members["team_blue"] == ["platform_service-a", "platform_service-a__apps_web"]


def test_two_incarnations_with_one_name_stay_two_hosts():
    plugin = make_plugin()
    plugin.populate([dict(INC, incarnation_repository="a/b"), dict(INC, id=9, incarnation_repository="a_b")])
    assert sorted(plugin.inventory.hosts) == ["a_b", "a_b_9"]


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


def test_the_cache_is_read_first_and_filled_after_a_read(monkeypatch, tmp_path):
    path = tmp_path / "fleet.foxops.yml"
    reads = []
    plugin = make_plugin(cache=True)
    plugin._cache = _Cache()
    monkeypatch.setattr(plugin, "_read_config_data", lambda p: None)
    monkeypatch.setattr(plugin, "read_incarnations", lambda: reads.append(1) or [INC])
    inventory, loader = InventoryData(), DataLoader()
    plugin.parse(inventory, loader, str(path), cache=True)
    assert reads == [1] and list(plugin._cache.values()) == [[INC]]
    plugin.parse(InventoryData(), loader, str(path), cache=True)
    assert reads == [1]  # from the cache
    plugin.parse(InventoryData(), loader, str(path), cache=False)  # --flush-cache
    assert reads == [1, 1]
    assert sorted(plugin.inventory.hosts) == ["platform_service-a"]
