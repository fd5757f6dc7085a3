# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: ``foxops_incarnation_info`` with details, diff and change history for many incarnations.

Starts the real Foxops server (the project's harness), creates N incarnations through the API, then runs the
same ``foxops_incarnation_info`` task (``details``, ``diff`` and ``changes`` set) through ``ansible-playbook``
with ``workers: 1`` (the peer: one incarnation after the other) and with the default ``workers: 8``, several
rounds each, alternating. Prints the wall time of every run and the median per setting; it asserts nothing
about speed.

Usage (from the repository, after ``make test`` or ``scripts/lib.sh``'s ensure_venv):
    .venv/bin/python benchmarks/foxops_info.py [--incarnations 24] [--rounds 3]
"""

import argparse
import json
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path

from common import ROOT, ansible_env, timed_playbook

sys.path.insert(0, str(ROOT / "tests" / "harness"))

import foxops_server  # noqa: E402  pylint: disable=wrong-import-position

TOKEN = "benchmark-token-5d1e"

INFO = """
- name: Info
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Every incarnation with details, diff and change history
      apiops.platforms.foxops_incarnation_info:
        details: true
        diff: true
        changes: true
        workers: "{{ workers }}"
      register: found

    - name: Every incarnation came back enriched
      ansible.builtin.assert:
        that:
          - found.incarnations | length == expected
          - found.incarnations | selectattr('changes', 'defined') | list | length == expected
"""


def api(url, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method, headers={
        "Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read() or b"null")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--incarnations", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    repos = ["bench-%02d" % i for i in range((args.incarnations + 2) // 3)]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with foxops_server.FoxopsServer(tmp / "foxops", token=TOKEN, repos=tuple(repos)) as server:
            created = 0
            for repo in repos:  # three directories a repository
                for directory in ("svc-a", "svc-b", "svc-c"):
                    if created == args.incarnations:
                        break
                    api(server.url, "POST", "/api/incarnations", {
                        "incarnation_repository": repo, "target_directory": directory,
                        "template_repository": server.template_repo, "template_repository_version": "v1.0.0",
                        "template_data": {"name": "%s-%s" % (repo, directory), "age": created}})
                    created += 1
            playbook = tmp / "info.yml"
            playbook.write_text(INFO)
            env = ansible_env(tmp, FOXOPS_URL=server.url, FOXOPS_TOKEN=TOKEN)
            times = {1: [], 8: []}
            for _round in range(args.rounds):
                for workers in (1, 8):
                    times[workers].append(timed_playbook(
                        playbook, env, "-e", json.dumps({"workers": workers, "expected": created})))
    requests_each = 1 + 3 * created  # the list, then GET details, GET diff, GET changes per incarnation
    print("foxops_incarnation_info over %d incarnations with details, diff and changes (%d requests a run),"
          " real Foxops server, %d rounds" % (created, requests_each, args.rounds))
    print("%-34s %10s   %s" % ("", "median s", "every run s"))
    for workers, label in ((1, "peer: workers 1 (one at a time)"), (8, "workers 8 (default)")):
        runs = " ".join("%.2f" % t for t in times[workers])
        print("%-34s %10.2f   %s" % (label, statistics.median(times[workers]), runs))


if __name__ == "__main__":
    main()
