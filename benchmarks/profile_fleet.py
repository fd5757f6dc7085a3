# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a fleet bump's time goes, the module side: ``foxops_incarnations`` on N incarnations, and the cost each host
of the inventory play pays for ``foxops_incarnation`` before its work.

Against the real Foxops server of the harness with a fleet of N incarnations (one a repository), as the suite sets
it up; every run moves every incarnation onto the other template version with automerge.

1. ``foxops_incarnations`` as a process, the way AnsiballZ runs it (its file with the arguments' JSON), timed
   phase by phase in a fresh interpreter (imports, ``AnsibleModule`` argument handling, the spec's work,
   ``exit_json``), with every HTTP request's start and end: how long the list read, the detail reads and the
   writes took, how many were in flight, and how long no request was (the module's own time in the work).
2. Beside it, in the same interleaved rounds, the reference async client's script (``ref_foxops_fleet.py``, in its
   locked environment): its own work time.
3. The fixed cost of one host of the inventory play: a fresh interpreter importing what ``foxops_incarnation``
   imports, beside one importing what ``ansible.builtin.ping`` imports (the floor pays that one).

Prints a report in Markdown; it asserts nothing.

Usage (from the repository):
    .venv/bin/python benchmarks/profile_fleet.py [--incarnations 100] [--runs 3]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, dev_collections

sys.path.insert(0, str(ROOT / "tests" / "harness"))

# pylint: disable=wrong-import-position
import foxops_server  # noqa: E402
from suite import FLEET_VERSIONS, TOKEN, foxops_api, reference_python  # noqa: E402

MODULE = ROOT / "plugins" / "modules" / "foxops_incarnations.py"

# Run in a fresh interpreter with the module's arguments file: the module's own run, phase by phase, and every
# request the transport sends (start, end, method, path) relative to the start of the work.
PHASES = """
import json, re, sys, threading, time
started = time.perf_counter()
import ansible.module_utils.basic as basic
core = time.perf_counter()
from ansible_collections.apiops.platforms.plugins.module_utils.core import transport
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.fleet import INCARNATIONS
imported = time.perf_counter()
marks, sent, lock = {}, [], threading.Lock()
send = transport.Transport._send


def timed_send(self, method, url, *args, **kwargs):
    begin = time.perf_counter()
    try:
        return send(self, method, url, *args, **kwargs)
    finally:
        with lock:
            sent.append((begin, time.perf_counter(), method, re.sub(r"/[0-9]+", "/{id}", url.split("?")[0].split("/", 3)[-1])))


transport.Transport._send = timed_send
module = INCARNATIONS.module()
built = time.perf_counter()
exit_json = module.exit_json


def leave(**result):
    marks["work_end"] = time.perf_counter()
    marks["changed_items"] = len(result.get("updated") or [])
    begin = time.perf_counter()
    try:
        exit_json(**result)
    finally:
        marks["exit"] = time.perf_counter() - begin


module.exit_json = leave
try:
    INCARNATIONS.run(module)
except SystemExit:
    pass
marks.update(core=core - started, collection=imported - core, init=built - imported, work=marks["work_end"] - built,
             total=time.perf_counter() - started, start=built)
sys.stderr.write("PHASES " + json.dumps({"marks": marks, "sent": sent}) + "\\n")
"""

# The imports of one host's module run of the inventory play: ping's (the floor) and foxops_incarnation's.
IMPORTS = {
    "ping": "import ansible.module_utils.basic",
    "foxops_incarnation": "import ansible.module_utils.basic\n"
                          "from ansible_collections.apiops.platforms.plugins.module_utils.foxops.specs import INCARNATION_RESOURCE",
}


def fleet(server, size):
    repos = ["fleet-%03d" % i for i in range(size)]
    for repo in repos:
        server.add_repository(repo)
    for number, repo in enumerate(repos):
        foxops_api(server.url, "POST", "/api/incarnations", {
            "incarnation_repository": repo, "target_directory": ".", "template_repository": server.template_repo,
            "template_repository_version": FLEET_VERSIONS[0], "template_data": {"name": repo, "age": number}})
    return repos


def busy(spans):
    """Seconds during which at least one of ``spans`` (start, end) was under way."""
    total, end = 0.0, None
    for begin, finish in sorted(spans):
        if end is None or begin > end:
            total += finish - begin
            end = finish
        elif finish > end:
            total += finish - end
            end = finish
    return total


def timeline(data):
    """The requests of one run by kind: count, first start and last end (s from the start of the work), the median
    time of one, and how many were in flight on average over the kind's window."""
    start = data["marks"]["start"]
    kinds = {}
    for begin, end, method, path in data["sent"]:
        kinds.setdefault("%s %s" % (method, path), []).append((begin - start, end - start))
    rows = {}
    for kind, spans in kinds.items():
        first, last = min(s[0] for s in spans), max(s[1] for s in spans)
        rows[kind] = dict(count=len(spans), first=first, last=last, one=statistics.median(e - b for b, e in spans),
                          flight=sum(e - b for b, e in spans) / (last - first) if last > first else 1.0)
    idle = data["marks"]["work"] - busy([(b - start, e - start) for b, e, _m, _p in data["sent"]])
    return rows, idle


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--incarnations", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=10)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(dev_collections()))
    ref_python, missing = reference_python("foxops")
    if missing:
        sys.exit(missing)
    runs, refs = [], []
    with tempfile.TemporaryDirectory(prefix="apiops-fleet-profile-") as tmp, \
            foxops_server.FoxopsServer(Path(tmp) / "foxops", token=TOKEN, repos=()) as server:
        repos = fleet(server, args.incarnations)
        version = 0
        for _run in range(args.runs):
            version = 1 - version
            module_args = Path(tmp) / "args.json"
            module_args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {
                "url": server.url, "token": TOKEN, "template_repository_version": FLEET_VERSIONS[version],
                "automerge": True, "workers": args.workers, "incarnations": [{"incarnation_repository": r} for r in repos]}}))
            proc = subprocess.run([sys.executable, "-c", PHASES, str(module_args)], env=env, capture_output=True, text=True, check=True)
            result = json.loads(proc.stdout[proc.stdout.index("{"):])
            if len(result.get("updated") or []) != args.incarnations:
                sys.exit("the module moved %d of %d incarnations: %s" % (len(result.get("updated") or []), args.incarnations, result.get("msg")))
            runs.append(json.loads(proc.stderr.split("PHASES ", 1)[1]))
            version = 1 - version
            proc = subprocess.run([ref_python, str(ROOT / "benchmarks" / "ref_foxops_fleet.py"), "--url", server.url, "--token", TOKEN,
                                   "--version", FLEET_VERSIONS[version]], capture_output=True, text=True, check=True)
            refs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    imports = {}
    for _run in range(args.runs):
        for name, code in IMPORTS.items():
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=env, check=True)
            imports.setdefault(name, []).append(time.perf_counter() - started)

    def med(key):
        return statistics.median(run["marks"][key] for run in runs)

    print("## Profile: the fleet bump of %d incarnations, the module side\n" % args.incarnations)
    print("`foxops_incarnations` as a process (`python foxops_incarnations.py args.json`, as AnsiballZ runs it; `workers: %d`),"
          " timed phase by phase in a fresh interpreter, interleaved with the reference async client's script (medians of %d):\n"
          % (args.workers, args.runs))
    print("| Phase | s |")
    print("|---|---|")
    for key, text in (("core", "import ansible.module_utils.basic"),
                      ("collection", "import the collection's module_utils (requests, tenacity, the specs)"),
                      ("init", "the module's __init__: AnsibleModule argument handling of the list"),
                      ("work", "the spec's work (list, details, writes)"), ("exit", "exit_json"), ("total", "all of the above")):
        print("| %s | %.3f |" % (text, med(key)))
    print("| the reference client's work (its own measure, imports excluded) | %.3f |" % statistics.median(r["work_s"] for r in refs))
    print("| the reference client's imports | %.3f |" % statistics.median(r["import_s"] for r in refs))
    print("\nThe requests of the work, by kind (the run with the median work time; seconds from the start of the work):\n")
    middle = sorted(runs, key=lambda run: run["marks"]["work"])[len(runs) // 2]
    rows, idle = timeline(middle)
    print("| Requests | Count | First starts | Last ends | One takes (median) | In flight (mean) |")
    print("|---|---|---|---|---|---|")
    for kind, row in sorted(rows.items(), key=lambda kv: kv[1]["first"]):
        print("| %s | %d | %.3f | %.3f | %.3f | %.1f |" % (kind, row["count"], row["first"], row["last"], row["one"], row["flight"]))
    print("\nOf that run's %.3f s of work, no request was under way for %.3f s (the module's own time between them).\n"
          % (middle["marks"]["work"], idle))
    print("One host's module imports in the inventory play (a fresh interpreter, medians of %d):\n" % args.runs)
    print("| Imports | s |")
    print("|---|---|")
    for name in IMPORTS:
        print("| %s's (`%s`) | %.3f |" % (name, IMPORTS[name].splitlines()[-1], statistics.median(imports[name])))
    print()


if __name__ == "__main__":
    main()
