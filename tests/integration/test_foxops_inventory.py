# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The foxops inventory plugin against the real Foxops server: ``ansible-inventory --list`` on source files, a
fleet bump played over the hosts it gives (check -> apply -> idempotent check -> idempotent apply, ``--diff``,
``forks`` 10), a play with the default settings (facts gathered) over them, filters, the cache (another server
and other filters are never answered from it), colliding host names, and bad input.

Inventory sources are not roles, so this is its own test rather than a target under ``targets/``.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import FOXOPS_TOKEN
from harness.foxops_server import FoxopsServer

BIN = Path(sys.executable).parent
# One incarnation a repository: Foxops refuses concurrent changes to one repository ("Rebase is required").
FLEET = (("fleet-1", "."), ("fleet-2", "."), ("fleet-3", "."), ("fleet-4", "."), ("fleet-5", "svc/api"))
FLEET_HOSTS = ["fleet-1", "fleet-2", "fleet-3", "fleet-4", "fleet-5__svc_api"]
HOST_VARS = {"id", "incarnation_repository", "target_directory", "template_repository", "template_repository_version",
             "template_repository_version_hash", "template_data", "template_data_full", "revision", "commit_sha",
             "commit_url", "merge_request_id", "merge_request_url", "merge_request_status", "status"}
CONNECTION_VARS = {"ansible_connection", "ansible_python_interpreter"}

SOURCE = """
plugin: apiops.platforms.foxops
compose:
  ansible_connection: "'local'"
  repository_and_directory: incarnation_repository ~ ':' ~ target_directory
groups:
  fleet: incarnation_repository.startswith('fleet-')
keyed_groups:
  - key: template_data.name
    prefix: name
"""

BUMP = """
- name: Bump the fleet to v2.0.0
  hosts: fleet
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Bump (check mode)
      apiops.platforms.foxops_incarnation: &bump
        incarnation_repository: "{{ incarnation_repository }}"
        target_directory: "{{ target_directory }}"
        template_repository_version: v2.0.0
        automerge: true
      check_mode: true
      register: bump_check
    - name: Bump
      apiops.platforms.foxops_incarnation: *bump
      register: bump
    - name: Bump again (check mode)
      apiops.platforms.foxops_incarnation: *bump
      check_mode: true
      register: bump_idem_check
    - name: Bump again
      apiops.platforms.foxops_incarnation: *bump
      register: bump_idem
    - name: Check that the check run predicted the bump and the reruns changed nothing
      ansible.builtin.assert:
        that:
          - bump_check is changed
          - bump is changed
          - bump_idem_check is not changed
          - bump_idem is not changed
          - bump.diff.before.template_repository_version == template_repository_version
          - bump.incarnation.template_repository_version == 'v2.0.0'
          - bump.incarnation.merge_request_status == 'merged'
          - bump.incarnation.id == id
          - "bump_check.incarnation | dict2items | selectattr('key', 'in', knowable) | list
             == bump.incarnation | dict2items | selectattr('key', 'in', knowable) | list"
      vars:
        knowable: [id, template_repository_version, template_data, revision, merge_request_status]
"""


def plain(value):
    """ansible-inventory's JSON with the marks of untrusted values taken off."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return dict((k, plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def post(server, path, body, method="POST"):
    request = urllib.request.Request(server.url + path, data=json.dumps(body).encode() if body else None,
                                     method=method, headers={"Content-Type": "application/json",
                                                             "Authorization": "Bearer %s" % FOXOPS_TOKEN})
    with urllib.request.urlopen(request, timeout=60) as resp:
        text = resp.read()
    return json.loads(text) if text else None


def create(server, repository, directory=".", name="Fleet"):
    """An incarnation of the template on v1.0.0, its repository added to the hoster first."""
    server.add_repository(repository)
    return post(server, "/api/incarnations", {
        "incarnation_repository": repository, "target_directory": directory, "template_repository": "template",
        "template_repository_version": "v1.0.0", "template_data": {"name": name, "age": 1}})


@pytest.fixture(scope="module")
def fleet(foxops_server):
    """Five repositories with an incarnation each (one in a subdirectory), on v1.0.0."""
    return [create(foxops_server, repository, directory) for repository, directory in FLEET]


@pytest.fixture(scope="module")
def other_server(tmp_path_factory):
    """A second real Foxops server with one incarnation: its ids are the first server's ids again."""
    server = FoxopsServer(tmp_path_factory.mktemp("other-foxops"), token=FOXOPS_TOKEN, repos=())
    server.start()
    try:
        create(server, "other-1", name="Other")
        yield server
    finally:
        server.stop()


@pytest.fixture
def env(ansible_env, foxops_server):
    return dict(ansible_env, FOXOPS_URL=foxops_server.url, FOXOPS_TOKEN=FOXOPS_TOKEN,
                ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")


def run_inventory(source_file, env, *args):
    return subprocess.run([str(BIN / "ansible-inventory"), "-i", str(source_file), "--list"] + list(args), env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def parsed(proc):
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "[WARNING]" not in proc.stderr, proc.stderr
    lines = proc.stdout.splitlines()
    return plain(json.loads("\n".join(lines[lines.index("{"):])))  # after -vvv's preamble


def inventory(source_file, env, *args):
    return parsed(run_inventory(source_file, env, *args))


def source(tmp_path, text, name="fleet.foxops.yml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def hosts_of(listing, group):
    return sorted((listing.get(group) or {}).get("hosts", []))


def test_incarnations_become_hosts_with_their_state_and_groups(fleet, env, tmp_path):
    proc = run_inventory(source(tmp_path, SOURCE), env, "-vvv")
    assert FOXOPS_TOKEN not in proc.stdout + proc.stderr
    listing = parsed(proc)
    hostvars = listing["_meta"]["hostvars"]
    assert hosts_of(listing, "fleet") == FLEET_HOSTS
    for name, incarnation in zip(FLEET_HOSTS, fleet):
        values = hostvars[name]
        assert set(values) == HOST_VARS | CONNECTION_VARS | {"repository_and_directory"}
        assert values["ansible_connection"] == "local"
        assert values["id"] == incarnation["id"]
        assert values["template_repository_version"] == "v1.0.0"
        assert values["template_data"] == {"name": "Fleet", "age": 1}
        assert values["template_data_full"]["country"] == "Switzerland"
        assert values["repository_and_directory"] == "%s:%s" % (name.split("__")[0], incarnation["target_directory"])
    assert set(FLEET_HOSTS) <= set(hosts_of(listing, "template"))
    assert set(FLEET_HOSTS) <= set(hosts_of(listing, "template__v1_0_0"))
    assert set(FLEET_HOSTS) <= set(hosts_of(listing, "name_Fleet"))


def test_a_fleet_bump_played_over_the_inventory(fleet, env, tmp_path):
    fleet_source = source(tmp_path, SOURCE)
    playbook = tmp_path / "bump.yml"
    playbook.write_text(BUMP)
    proc = subprocess.run([str(BIN / "ansible-playbook"), "-i", str(fleet_source), "--diff", "--forks", "10",
                           str(playbook)], env=env, capture_output=True, text=True, timeout=600, check=False)
    output = proc.stdout + proc.stderr
    (tmp_path / "output.txt").write_text(output)
    assert proc.returncode == 0, output[-20000:]
    assert "[WARNING]" not in output, output
    assert FOXOPS_TOKEN not in output
    recap = [line for line in output.splitlines() if line.startswith("fleet-")]
    assert len(recap) == len(FLEET_HOSTS) and all("failed=0" in line for line in recap), recap

    listing = inventory(fleet_source, env)
    assert hosts_of(listing, "fleet") == FLEET_HOSTS
    assert set(FLEET_HOSTS) <= set(hosts_of(listing, "template__v2_0_0"))
    assert not set(FLEET_HOSTS) & set(hosts_of(listing, "template__v1_0_0"))
    assert set(FLEET_HOSTS) <= set(hosts_of(listing, "merge_request_merged"))


DEFAULTS_SOURCE = """
plugin: apiops.platforms.foxops
groups:
  fleet: incarnation_repository.startswith('fleet-')
"""

DEFAULT_PLAY = """
- name: A play with the default settings over the inventory, facts gathered
  hosts: fleet
  tasks:
    - name: Read the incarnation of this host
      apiops.platforms.foxops_incarnation_info:
        id: "{{ id }}"
      register: found
    - name: Check that it ran on the controller and found the host's incarnation
      ansible.builtin.assert:
        that:
          - ansible_facts.python.executable == ansible_playbook_python
          - found.incarnations | map(attribute='incarnation_repository') | list == [incarnation_repository]
"""


def test_a_play_with_the_default_settings_runs_on_the_controller(fleet, env, tmp_path):
    """No connection set anywhere: the hosts are not machines to reach over SSH."""
    playbook = tmp_path / "defaults.yml"
    playbook.write_text(DEFAULT_PLAY)
    proc = subprocess.run([str(BIN / "ansible-playbook"), "-i", str(source(tmp_path, DEFAULTS_SOURCE)), str(playbook)],
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-20000:]
    assert "[WARNING]" not in output, output
    recap = [line for line in output.splitlines() if line.startswith("fleet-")]
    assert len(recap) == len(FLEET_HOSTS) and all("ok=3" in line and "failed=0" in line for line in recap), recap
    assert "Gathering Facts" in output

    off = DEFAULTS_SOURCE + "local_connection: false\n"
    hostvars = inventory(source(tmp_path, off, "off.foxops.yml"), env)["_meta"]["hostvars"]
    assert not any(CONNECTION_VARS & set(values) for values in hostvars.values()), hostvars


def test_filters_as_the_info_module(fleet, env, tmp_path, foxops_server):
    text = ("plugin: apiops.platforms.foxops\nurl: %s\ntoken: %s\nincarnation_repository: fleet-5\n"
            "target_directory: svc/api\n" % (foxops_server.url, FOXOPS_TOKEN))
    listing = inventory(source(tmp_path, text, "one.foxops.yaml"), dict(env, FOXOPS_URL="", FOXOPS_TOKEN=""))
    assert sorted(listing["_meta"]["hostvars"]) == ["fleet-5__svc_api"]

    by_id = "plugin: apiops.platforms.foxops\nid: %d\n" % fleet[0]["id"]
    listing = inventory(source(tmp_path, by_id, "by-id.foxops.yml"), env)
    assert sorted(listing["_meta"]["hostvars"]) == ["fleet-1"]

    nothing = "plugin: apiops.platforms.foxops\nincarnation_repository: no-such-repository\n"
    listing = inventory(source(tmp_path, nothing, "none.foxops.yml"), env)
    assert listing["_meta"]["hostvars"] == {}


def test_the_cache_answers_without_asking_the_server(fleet, env, tmp_path):
    text = SOURCE + "cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\n" % (tmp_path / "cache")
    cached_source = source(tmp_path, text)
    first = inventory(cached_source, env)
    assert list((tmp_path / "cache").iterdir())
    assert FOXOPS_TOKEN not in "".join(p.read_text() for p in (tmp_path / "cache").iterdir())
    again = inventory(cached_source, dict(env, FOXOPS_TOKEN="not-the-token"))
    assert again == first
    refused = run_inventory(cached_source, dict(env, FOXOPS_TOKEN="not-the-token"), "--flush-cache")
    assert refused.returncode != 0
    assert "Token is invalid" in refused.stderr and "not-the-token" not in refused.stdout + refused.stderr


def test_the_cache_is_kept_per_server_and_filters(fleet, other_server, env, tmp_path):
    """With the cache on, another URL or another filter is read from its server, never answered with the
    incarnations cached for the first (the ids of both servers start at 1, so its id host vars would be wrong)."""
    cache = tmp_path / "cache"
    text = "plugin: apiops.platforms.foxops\ncache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\n" % cache
    cached_source = source(tmp_path, text)
    first = inventory(cached_source, env)["_meta"]["hostvars"]
    assert set(FLEET_HOSTS) <= set(first)

    other_env = dict(env, FOXOPS_URL=other_server.url)
    other = inventory(cached_source, other_env)["_meta"]["hostvars"]
    assert sorted(other) == ["other-1"] and other["other-1"]["template_data"]["name"] == "Other"
    assert other["other-1"]["id"] == 1  # an id the first server has too

    filtered_source = source(tmp_path, text + "incarnation_repository: fleet-2\n", "filtered.foxops.yml")
    assert sorted(inventory(filtered_source, env)["_meta"]["hostvars"]) == ["fleet-2"]
    by_id = source(tmp_path, text + "id: %d\n" % first["fleet-3"]["id"], "by-id.foxops.yml")
    assert sorted(inventory(by_id, env)["_meta"]["hostvars"]) == ["fleet-3"]

    # each selection is still cached: a token the servers refuse is never sent
    wrong = dict(FOXOPS_TOKEN="not-the-token")
    assert inventory(cached_source, dict(env, **wrong))["_meta"]["hostvars"] == first
    assert inventory(cached_source, dict(other_env, **wrong))["_meta"]["hostvars"] == other
    assert sorted(inventory(filtered_source, dict(env, **wrong))["_meta"]["hostvars"]) == ["fleet-2"]
    stored = "".join(path.name + path.read_text() for path in cache.iterdir())
    assert len(list(cache.iterdir())) == 4
    assert FOXOPS_TOKEN not in stored and "not-the-token" not in stored


def suffixed(name, repository, directory):
    return "%s_%s" % (name, hashlib.sha256(("%s\n%s" % (repository, directory)).encode()).hexdigest()[:8])


def test_colliding_host_names_keep_every_incarnation(other_server, env, tmp_path):
    """Three incarnations want the host name lossy__a_b. The fourth one's repository is named like the name the
    plugin used to give the third one (the wanted name and its id), whose host variables then replaced its own.
    The local hoster takes repository names of a-z, 0-9, _ and - only, so the collisions come from the directory."""
    first = create(other_server, "lossy__a_b")
    second = create(other_server, "lossy", "a/b")
    created = [first, second]
    try:
        created.append(create(other_server, "lossy__a_b_%d" % (second["id"] + 2)))
        created.append(create(other_server, "lossy", "a_b"))
        assert created[3]["id"] == second["id"] + 2, created  # Foxops gives the next id
        text = "plugin: apiops.platforms.foxops\ngroups:\n  lossy: incarnation_repository.startswith('lossy')\n"
        lossy_source = source(tmp_path, text)
        other_env = dict(env, FOXOPS_URL=other_server.url)
        expected = {
            "lossy__a_b": first["id"],
            suffixed("lossy__a_b", "lossy", "a/b"): second["id"],
            "lossy__a_b_%d" % created[3]["id"]: created[2]["id"],
            suffixed("lossy__a_b", "lossy", "a_b"): created[3]["id"],
        }
        for _run in range(2):  # the same names every time
            proc = run_inventory(lossy_source, other_env)
            assert proc.returncode == 0, proc.stderr
            listing = plain(json.loads(proc.stdout))
            hostvars = listing["_meta"]["hostvars"]
            assert sorted(hosts_of(listing, "lossy")) == sorted(expected), listing
            assert dict((name, hostvars[name]["id"]) for name in expected) == expected
            for incarnation in created:
                name = [host for host, host_id in expected.items() if host_id == incarnation["id"]][0]
                assert hostvars[name]["incarnation_repository"] == incarnation["incarnation_repository"]
                assert hostvars[name]["target_directory"] == incarnation["target_directory"]
            collided = dict((name, hostvars[name].get("foxops_host_name_collision")) for name in expected)
            assert collided == dict((name, None if host_id == created[2]["id"] else "lossy__a_b")
                                    for name, host_id in expected.items())
            assert proc.stderr.count("[WARNING]") == 1, proc.stderr
            warning = " ".join(proc.stderr.split())
            assert ("host name lossy__a_b would be shared by lossy__a_b:. (id %d), lossy:a/b (id %d), lossy:a_b (id %d)"
                    % (first["id"], second["id"], created[3]["id"])) in warning, warning
    finally:
        for incarnation in created:
            post(other_server, "/api/incarnations/%d" % incarnation["id"], None, method="DELETE")


@pytest.mark.parametrize("text, message", [
    ("plugin: apiops.platforms.foxops\nurl: foxops.example.com\n", "url must be an http"),
    ("plugin: apiops.platforms.foxops\nincarnation_repository: ''\n", "incarnation_repository must not be empty"),
    ("plugin: apiops.platforms.foxops\nworkers: 0\n", "workers must be 1 or more"),
])
def test_bad_input_is_refused_naming_the_option(env, tmp_path, text, message):
    proc = run_inventory(source(tmp_path, text), env)
    assert proc.returncode != 0
    assert message in proc.stderr, proc.stderr
