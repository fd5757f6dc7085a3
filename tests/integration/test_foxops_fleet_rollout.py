# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The foxops_template_rollout role over the hosts of the foxops inventory, against the real Foxops server: a fleet of
25 incarnations bumped from v1.0.0 to v2.0.0 through a merge request each, ``forks`` 10, ``serial`` 10 and
``max_fail_percentage`` 0: check -> apply -> idempotent check -> idempotent apply, ``--diff``, with the role's
report and summary asserted and the merge requests counted in the hoster. Also the list mode's batches and
failure rate, and the list mode in a play over two hosts: it runs once, each incarnation written once.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import pytest

from conftest import FOXOPS_TOKEN
from test_foxops_inventory import BIN, create, env, hosts_of, inventory, source  # noqa: F401  pylint: disable=unused-import

# One incarnation a repository: Foxops refuses concurrent changes to one repository ("Rebase is required").
WAVE = ["wave-%02d" % number for number in range(1, 26)]

SETUP = """
- name: Create the fleet on v1.0.0, in one task
  hosts: localhost
  gather_facts: false
  connection: local
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Create the incarnations
      apiops.platforms.foxops_incarnations:
        template_repository: template
        template_repository_version: v1.0.0
        template_data: {name: Wave, age: 1}
        incarnations: %s
      register: fleet

    - name: Check every incarnation was created
      ansible.builtin.assert:
        that:
          - fleet is changed
          - fleet.created | length == 25
          - fleet.failures | default([]) | length == 0
""" % json.dumps([{"incarnation_repository": repository} for repository in WAVE])

SOURCE = """
plugin: apiops.platforms.foxops
groups:
  wave: incarnation_repository.startswith('wave-')
"""

ROLLOUT = """
- name: Roll template v2.0.0 out over the fleet
  hosts: wave
  gather_facts: false
  serial: 10
  max_fail_percentage: 0
  roles:
    - role: apiops.platforms.foxops_template_rollout
      vars:
        foxops_template_rollout_version: v2.0.0
  post_tasks:
    - name: Keep the summary for the test
      ansible.builtin.copy:
        content: "{{ foxops_template_rollout_summary | to_nice_json }}"
        dest: "{{ summary_file }}"
        mode: "0600"
      delegate_to: localhost
      run_once: true
      check_mode: false
      diff: false
      changed_when: false
"""
# The --diff lines of a bump, once per incarnation.
VERSION_DIFF = ('-    "template_repository_version": "v1.0.0",', '+    "template_repository_version": "v2.0.0",')


def merge_requests(server, repository):
    """The merge requests of a repository as the local hoster keeps them (one JSON file each)."""
    folder = server.hoster_dir / repository / "merge_requests"
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


def playbook(tmp_path, env, inventory_source, text, step, *args):
    path = tmp_path / "play.yml"
    path.write_text(text)
    summary_file = tmp_path / "summary.json"
    if summary_file.exists():
        summary_file.unlink()
    started = time.monotonic()
    proc = subprocess.run([str(BIN / "ansible-playbook"), "-i", str(inventory_source), "--diff", "--forks", "10",
                           "-e", "summary_file=%s" % summary_file] + list(args) + [str(path)],
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    output = proc.stdout + proc.stderr
    (tmp_path / ("%s.txt" % step)).write_text(output)
    assert proc.returncode == 0, output[-20000:]
    assert "[WARNING]" not in output, output
    assert FOXOPS_TOKEN not in output
    recap = dict((line.split()[0], line) for line in output.splitlines() if line.startswith("wave-"))
    assert sorted(recap) == WAVE, output[-5000:]
    assert all("failed=0" in line for line in recap.values()), recap
    summary = json.loads(summary_file.read_text()) if summary_file.exists() else None
    return output, recap, summary, time.monotonic() - started


def report_lines(output):
    """The role's one line a host: host name to the line."""
    return dict((host, line) for line, host in re.findall(r'"msg": "((wave-\d\d): [^"]*)"', output))


@pytest.fixture(scope="module")
def wave(foxops_server, ansible_env, tmp_path_factory):
    """25 repositories with an incarnation each on v1.0.0, created by one foxops_incarnations task; its seconds."""
    for repository in WAVE:
        foxops_server.add_repository(repository)
    tmp_path = tmp_path_factory.mktemp("wave")
    path = tmp_path / "setup.yml"
    path.write_text(SETUP)
    setup_env = dict(ansible_env, FOXOPS_URL=foxops_server.url, FOXOPS_TOKEN=FOXOPS_TOKEN)
    started = time.monotonic()
    proc = subprocess.run([str(BIN / "ansible-playbook"), "-i", "localhost,", str(path)], env=setup_env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-20000:]
    return time.monotonic() - started


def test_a_fleet_of_25_rolled_out_over_the_inventory(wave, foxops_server, env, tmp_path, capsys):
    fleet_source = source(tmp_path, SOURCE)
    assert hosts_of(inventory(fleet_source, env), "wave") == WAVE
    timings = {"create 25": wave}

    output, recap, summary, timings["check"] = playbook(tmp_path, env, fleet_source, ROLLOUT, "check", "--check")
    assert all("changed=1" in line for line in recap.values()), recap
    assert summary["check_mode"] is True and summary["total"] == 25
    assert sorted(summary["moved"]) == WAVE and not summary["already_there"] + summary["failed"] + summary["pending"]
    assert "Check run: rollout of v2.0.0: 25 would move, 0 already there, 0 failed (25 incarnations)" in output
    lines = report_lines(output)
    assert sorted(lines) == WAVE
    assert all(line.endswith(": v1.0.0 -> v2.0.0: would move") for line in lines.values()), lines
    assert [output.count(line) for line in VERSION_DIFF] == [25, 25], output[-5000:]
    assert all(merge_requests(foxops_server, repository) == [] for repository in WAVE)

    output, recap, summary, timings["apply"] = playbook(tmp_path, env, fleet_source, ROLLOUT, "apply")
    assert all("changed=1" in line for line in recap.values()), recap
    assert summary["check_mode"] is False and sorted(summary["moved"]) == WAVE
    assert not summary["already_there"] + summary["failed"] + summary["pending"]
    assert len(summary["open_merge_requests"]) == 25
    assert "rollout of v2.0.0: 25 moved, 0 already there, 0 failed (25 incarnations); 25 merge requests open" in output
    # serial 10: the summary after each batch, the last one over the whole play
    assert re.findall(r"(\d+) moved, 0 already there, 0 failed, (\d+) not tried", output) == [("10", "15"), ("20", "5")]
    assert [output.count(line) for line in VERSION_DIFF] == [25, 25], output[-5000:]
    lines = report_lines(output)
    for repository in WAVE:
        assert re.fullmatch(r"%s: v1\.0\.0 -> v2\.0\.0: moved, merge request \S+ \(open\)" % repository,
                            lines[repository]), lines[repository]
    opened = dict((repository, merge_requests(foxops_server, repository)) for repository in WAVE)
    assert all(len(mrs) == 1 and mrs[0]["status"] == "open" for mrs in opened.values()), opened
    assert foxops_server.list_mrs(WAVE[0]) == opened[WAVE[0]]

    listing = inventory(fleet_source, env)
    assert set(WAVE) <= set(hosts_of(listing, "merge_request_open"))
    assert set(WAVE) <= set(hosts_of(listing, "template__v2_0_0"))

    output, recap, summary, timings["check again"] = playbook(
        tmp_path, env, fleet_source, ROLLOUT, "check-again", "--check")
    assert all("changed=0" in line for line in recap.values()), recap
    assert sorted(summary["already_there"]) == WAVE and not summary["moved"] + summary["failed"]
    assert [output.count(line) for line in VERSION_DIFF] == [0, 0], output[-5000:]
    assert "Check run: rollout of v2.0.0: 0 would move, 25 already there, 0 failed (25 incarnations)" in output

    output, recap, summary, timings["apply again"] = playbook(tmp_path, env, fleet_source, ROLLOUT, "apply-again")
    assert all("changed=0" in line for line in recap.values()), recap
    assert sorted(summary["already_there"]) == WAVE and not summary["moved"] + summary["failed"]
    assert "rollout of v2.0.0: 0 moved, 25 already there, 0 failed (25 incarnations); 25 merge requests open" in output
    lines = report_lines(output)
    assert all(re.fullmatch(r"wave-\d\d: v2\.0\.0 -> v2\.0\.0: already there, merge request \S+ \(open\)", line)
               for line in lines.values()), lines
    assert dict((repository, merge_requests(foxops_server, repository)) for repository in WAVE) == opened

    with capsys.disabled():
        print("\nfleet of 25, seconds: %s" % ", ".join("%s %.1f" % item for item in timings.items()))


LIST = """
- name: Roll out to a list, one incarnation a batch, stopping at the first failure
  hosts: localhost
  gather_facts: false
  connection: local
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Roll out
      ansible.builtin.include_role:
        name: apiops.platforms.foxops_template_rollout
      vars:
        foxops_template_rollout_version: v2.0.0
        foxops_template_rollout_batch_size: 1
        foxops_template_rollout_max_fail_percentage: 0
        foxops_template_rollout_incarnations:
          - id: 999999
          - id: 999998
"""


def test_the_list_mode_stops_when_a_batch_fails_too_much(env, tmp_path):
    path = tmp_path / "list.yml"
    path.write_text(LIST)
    proc = subprocess.run([str(BIN / "ansible-playbook"), "-i", "localhost,", str(path)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "foxops_template_rollout_max_fail_percentage (0) exceeded: 1 of 2 incarnations failed (id 999999); " \
           "1 not tried. there is no incarnation with id 999999" in output, output
    assert "rollout of v2.0.0: 0 moved, 0 already there, 1 failed, 1 not tried (2 incarnations)" in output
    # one task a batch: the first batch's task fails naming its incarnation, the second batch's is skipped
    assert "1 of 1 incarnation writes failed (id 999999)" in output, output
    assert "skipping: [localhost] => (item=id 999998)" in output, output
    assert not re.search(r"(ok|changed|failed): \[localhost\]( =>)? \(item=id 999998\)", output), output
    assert "id 999998" not in output.split("Record the outcome")[1].split("Sum the rollout up")[0].replace(
        "skipping: [localhost] => (item=id 999998)", ""), output


HOSTS_MISSING = """
[missing]
missing-1 id=999991
missing-2 id=999992
missing-3 id=999993
"""

ROLLOUT_MISSING = ROLLOUT.replace("hosts: wave", "hosts: missing").replace("serial: 10", "serial: 1")


def test_over_hosts_the_play_stops_at_its_max_fail_percentage(env, tmp_path):
    static = tmp_path / "hosts.ini"
    static.write_text(HOSTS_MISSING)
    path = tmp_path / "play.yml"
    path.write_text(ROLLOUT_MISSING)
    summary_file = tmp_path / "summary.json"
    proc = subprocess.run([str(BIN / "ansible-playbook"), "-i", str(static), "--forks", "10",
                           "-e", "summary_file=%s" % summary_file, str(path)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert '"msg": "missing-1: ? -> v2.0.0: failed: there is no incarnation with id 999991' in output, output
    assert "rollout of v2.0.0: 0 moved, 0 already there, 1 failed, 2 not tried (3 incarnations)" in output, output
    assert "missing-1: there is no incarnation with id 999991" in output, output
    assert "missing-2" not in output.split("PLAY RECAP")[0].replace("2 not tried", ""), output
    assert not summary_file.exists()


TWICE = ["twice-a", "twice-b"]

LIST_OVER_TWO_HOSTS = """
- name: Roll out to a list from a play over two hosts
  hosts: web
  gather_facts: false
  roles:
    - role: apiops.platforms.foxops_template_rollout
      vars:
        foxops_template_rollout_version: v2.0.0
        foxops_template_rollout_batch_size: 1
        foxops_template_rollout_max_fail_percentage: 0
        foxops_template_rollout_incarnations:
          - incarnation_repository: twice-a
          - incarnation_repository: twice-b
  post_tasks:
    - name: Every host of the play has the outcome
      ansible.builtin.assert:
        that:
          - foxops_template_rollout_summary.moved | length + foxops_template_rollout_summary.already_there | length == 2
          - foxops_template_rollout_result | map(attribute='name') | list == ['twice-a:.', 'twice-b:.']
"""


def writes(server, offset, ids):
    """The writes to these incarnations in the server's access log since offset."""
    log = server.log_path.read_text(errors="replace")[offset:]
    pattern = r'"(?:PUT|PATCH|POST|DELETE) /api/incarnations/(%s)(?:[/?][^ ]*)? HTTP' % "|".join(str(i) for i in ids)
    return re.findall(pattern, log)


def play_over_two_hosts(tmp_path, env, text):
    static = tmp_path / "web.ini"
    # two hosts that can be reached (here both are this machine), so nothing but the role keeps them from acting
    static.write_text("[web]\nweb-1\nweb-2\n[web:vars]\nansible_connection=local\nansible_python_interpreter=%s\n"
                      % sys.executable)
    path = tmp_path / "two.yml"
    path.write_text(text)
    proc = subprocess.run([str(BIN / "ansible-playbook"), "-i", str(static), "--diff", str(path)], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    output = proc.stdout + proc.stderr
    assert FOXOPS_TOKEN not in output
    return proc.returncode, output


def test_the_list_mode_runs_once_in_a_play_over_two_hosts(foxops_server, env, tmp_path):
    ids = [create(foxops_server, repository, name="Twice")["id"] for repository in TWICE]

    offset = len(foxops_server.log_path.read_text(errors="replace"))
    code, output = play_over_two_hosts(tmp_path, env, LIST_OVER_TWO_HOSTS)
    assert sorted(writes(foxops_server, offset, ids)) == sorted(str(i) for i in ids), output[-20000:]
    assert code == 0, output[-20000:]
    assert "[WARNING]" not in output, output
    assert [len(merge_requests(foxops_server, repository)) for repository in TWICE] == [1, 1]
    assert output.count("changed: [web-1 -> localhost]") == 2, output  # one task a batch (of one)
    assert output.count("ok: [web-1 -> localhost] => (item=twice-") == 2, output  # and one record each
    assert "web-2 -> localhost" not in output, output
    assert "rollout of v2.0.0: 2 moved, 0 already there, 0 failed (2 incarnations); 2 merge requests open" in output
    recap = dict((line.split()[0], line) for line in output.splitlines() if line.startswith("web-"))
    assert sorted(recap) == ["web-1", "web-2"] and all("failed=0" in line for line in recap.values()), recap

    offset = len(foxops_server.log_path.read_text(errors="replace"))
    code, output = play_over_two_hosts(tmp_path, env, LIST_OVER_TWO_HOSTS)
    assert code == 0, output[-20000:]
    assert writes(foxops_server, offset, ids) == []
    assert "rollout of v2.0.0: 0 moved, 2 already there, 0 failed (2 incarnations)" in output

    offset = len(foxops_server.log_path.read_text(errors="replace"))
    code, output = play_over_two_hosts(tmp_path, env, LIST_OVER_TWO_HOSTS.replace("gather_facts: false",
                                                                                  "gather_facts: false\n  serial: 1"))
    assert code != 0, output
    assert "the list mode runs once for the whole play" in " ".join(output.split()), output
    assert writes(foxops_server, offset, ids) == []
