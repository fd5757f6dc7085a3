# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A sliced job as AWX runs it, against the real Foxops server: the foxops inventory read once (``ansible-inventory
--list``, as an inventory update does), cut into 3 slices as a job template with *Job Slicing* 3 cuts it (the hosts
by name, slice i taking hosts i, i+3, i+6, ...), and each slice run as its own job by ``ansible-runner`` (as AWX runs
every job) with an inventory script that gives only its share, the 3 at once. The rollout role bumps a fleet of 6
incarnations, one a repository, from v1.0.0 to v2.0.0: every incarnation moves exactly once (one merge request
each), each host's result is in its slice's job events, and a rerun of the 3 slices is all ``ok``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest

from conftest import FOXOPS_TOKEN
from test_foxops_fleet_rollout import merge_requests
from test_foxops_inventory import BIN, create, env, hosts_of, inventory, source  # noqa: F401  pylint: disable=unused-import

SLICES = 3
# One incarnation a repository: Foxops refuses two changes to one repository at once, and slices run at once.
FLEET = ["slice-%d" % number for number in range(1, 7)]

SOURCE = """
plugin: apiops.platforms.foxops
groups:
  sliced: incarnation_repository.startswith('slice-')
"""

ROLLOUT = """
- name: Roll template v2.0.0 out over the slice
  hosts: sliced
  gather_facts: false
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
      changed_when: false
"""

# What AWX gives a job as its inventory: a script answering --list with the job's hosts, their variables and groups.
INVENTORY_SCRIPT = """#!%s
import json, sys
LISTING = json.loads(%r)
print(json.dumps(LISTING if '--list' in sys.argv else {}))
"""


def awx_slices(listing, count):
    """The hosts of an inventory as a sliced job template's slices get them: sorted by name, slice i (from 1) takes
    hosts i, i + count, i + 2 * count, ...; each slice's inventory keeps its hosts' variables and groups."""
    hosts = sorted(listing["_meta"]["hostvars"])
    slices = []
    for number in range(1, count + 1):
        mine = set(hosts[number - 1::count])
        part = {"_meta": {"hostvars": dict((h, v) for h, v in listing["_meta"]["hostvars"].items() if h in mine)}}
        for group, data in listing.items():
            if group == "_meta":
                continue
            kept = dict(data)
            if "hosts" in data:
                kept["hosts"] = [h for h in data["hosts"] if h in mine]
            part[group] = kept
        slices.append(part)
    return slices


def private_data_dir(root, number, part, env):
    """An ansible-runner private data dir for one slice job: the project's playbook, the slice's inventory script,
    the credential's environment (as a credential type injects it) and the extra vars."""
    base = root / ("slice-%d" % number)
    for folder in ("project", "inventory", "env"):
        (base / folder).mkdir(parents=True, exist_ok=True)
    (base / "project" / "rollout.yml").write_text(ROLLOUT)
    script = base / "inventory" / "hosts"
    script.write_text(INVENTORY_SCRIPT % (sys.executable, json.dumps(part)))
    script.chmod(0o700)
    (base / "env" / "envvars").write_text(json.dumps({"FOXOPS_URL": env["FOXOPS_URL"], "FOXOPS_TOKEN": FOXOPS_TOKEN}))
    (base / "env" / "extravars").write_text(json.dumps({"summary_file": str(base / "summary.json")}))
    return base


def run_slices(root, slices, env, ident):
    """The slice jobs started together, each ``ansible-runner run``; returns each one's events, stdout and summary,
    and the seconds until the last one ended."""
    runner_env = dict(env, PATH="%s%s%s" % (BIN, os.pathsep, env.get("PATH", "")))
    for name in ("FOXOPS_URL", "FOXOPS_TOKEN"):  # the jobs get the credential from env/envvars only
        runner_env.pop(name)
    bases = [private_data_dir(root, number, part, env) for number, part in enumerate(slices, 1)]
    started = time.monotonic()
    procs = [subprocess.Popen([str(BIN / "ansible-runner"), "run", str(base), "-p", "rollout.yml", "--ident", ident],
                              env=runner_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for base in bases]
    outputs = [proc.communicate(timeout=600)[0] for proc in procs]
    seconds = time.monotonic() - started
    jobs = []
    for base, proc, output in zip(bases, procs, outputs):
        artifacts = base / "artifacts" / ident
        stdout = (artifacts / "stdout").read_text()
        assert proc.returncode == 0, output[-5000:] + stdout[-20000:]
        assert (artifacts / "status").read_text() == "successful" and (artifacts / "rc").read_text() == "0"
        assert "[WARNING]" not in stdout, stdout
        assert FOXOPS_TOKEN not in stdout + output
        events = [json.loads(path.read_text()) for path in sorted((artifacts / "job_events").glob("*.json"),
                                                                  key=lambda p: int(p.name.split("-")[0]))]
        assert not any(FOXOPS_TOKEN in json.dumps(event) for event in events)
        jobs.append({"events": events, "stdout": stdout, "summary": json.loads((base / "summary.json").read_text())})
    return jobs, seconds


def host_results(events):
    """Each host's line of the role's report, from the ``runner_on_ok`` events of the job."""
    found = {}
    for event in events:
        data = event.get("event_data", {})
        if event["event"] == "runner_on_ok" and data.get("task") == "Report what moved":
            found[data["host"]] = data["res"]["msg"]
    return found


def stats(events):
    """The job's recap (``playbook_on_stats``): for each kind (ok, changed, failures, ...), the hosts and counts."""
    return [event["event_data"] for event in events if event["event"] == "playbook_on_stats"][-1]


@pytest.fixture(scope="module")
def sliced_fleet(foxops_server):
    return [create(foxops_server, repository, name="Slice") for repository in FLEET]


def test_a_sliced_job_run_by_ansible_runner_moves_every_incarnation_once(
        sliced_fleet, foxops_server, env, tmp_path, capsys):
    listing = inventory(source(tmp_path, SOURCE), env)  # the inventory update, once
    assert hosts_of(listing, "sliced") == FLEET
    listing = dict((group, data) for group, data in listing.items() if group in ("_meta", "sliced"))
    listing["_meta"] = {"hostvars": dict((h, v) for h, v in listing["_meta"]["hostvars"].items() if h in FLEET)}
    slices = awx_slices(listing, SLICES)
    shares = [hosts_of(part, "sliced") for part in slices]
    assert shares == [["slice-1", "slice-4"], ["slice-2", "slice-5"], ["slice-3", "slice-6"]]
    repositories = [[part["_meta"]["hostvars"][h]["incarnation_repository"] for h in share]
                    for part, share in zip(slices, shares)]
    assert len(set(sum(repositories, []))) == len(FLEET)  # no repository in two slices

    jobs, moved_seconds = run_slices(tmp_path, slices, env, "rollout")
    for job, share in zip(jobs, shares):
        results = host_results(job["events"])
        assert sorted(results) == share, results
        for host in share:
            assert re.fullmatch(r"%s: v1\.0\.0 -> v2\.0\.0: moved, merge request \S+ \(open\)" % host,
                                results[host]), results[host]
        recap = stats(job["events"])
        assert sorted(recap["changed"]) == share and not recap["failures"] and not recap["dark"], recap
        assert sorted(job["summary"]["moved"]) == share and job["summary"]["total"] == len(share)
        assert not job["summary"]["already_there"] + job["summary"]["failed"] + job["summary"]["pending"]
    opened = dict((repository, merge_requests(foxops_server, repository)) for repository in FLEET)
    assert all(len(mrs) == 1 and mrs[0]["status"] == "open" for mrs in opened.values()), opened

    jobs, rerun_seconds = run_slices(tmp_path, slices, env, "rerun")
    for job, share in zip(jobs, shares):
        results = host_results(job["events"])
        assert sorted(results) == share, results
        assert all(re.fullmatch(r"%s: v2\.0\.0 -> v2\.0\.0: already there, merge request \S+ \(open\)" % host,
                                results[host]) for host in share), results
        recap = stats(job["events"])
        assert not recap["changed"] and not recap["failures"] and sorted(recap["ok"]) == share, recap
        assert sorted(job["summary"]["already_there"]) == share and not job["summary"]["moved"]
    assert dict((repository, merge_requests(foxops_server, repository)) for repository in FLEET) == opened

    with capsys.disabled():
        print("\n%d incarnations in %d slices at once, ansible-runner, seconds: rollout %.1f, rerun %.1f"
              % (len(FLEET), SLICES, moved_seconds, rerun_seconds))
