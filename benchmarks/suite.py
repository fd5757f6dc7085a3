# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark suite: the collection's tasks beside the same work done with the published reference clients.

Starts the StockTrim sandbox with a fixed latency per request and the real Foxops server (the project's harness),
installs the reference clients into locked environments of their own (``lock/bench-*``, never the project's venv),
and measures, interleaved over rounds (A B C A B C ...), each scenario's runs:

* StockTrim, N products, nothing to change: ``stocktrim_products`` (ansible-playbook wall time), the reference
  client reading every product and comparing (writes nothing), an ``ansible.builtin.uri`` loop reading the pages,
  and the Ansible floor (the same playbook and vars with ``ansible.builtin.ping`` instead of the work);
* the same with 100 of them changed (the reference client upserting 8 at a time);
* 5,000 products, nothing to change: time and the memory peak of the run's largest process (no uri loop: a
  hundred pages one module run each);
* Foxops: list + details of 20 incarnations: ``foxops_incarnation_info`` with ``details: true`` beside the
  reference async client, with the list alone and the floor beside them;
* Foxops fleet bump of N = 10, 50, 100 incarnations (one a repository), one fleet, three ways side by side:
  ``foxops_incarnations`` in one task on localhost (the N identities, the version and automerge; ``workers`` 10),
  a play over the hosts of the ``apiops.platforms.foxops`` inventory with ``forks`` 10, each bringing its
  incarnation onto the other template version with automerge, and the reference async client patching every
  incarnation (its connection limit is 10); with two floors: ``ping`` on localhost with the same vars (the one
  task's) and ``ping`` over the same inventory (the play's). Each run moves every incarnation (the runs
  alternate between two versions) and the merge requests are counted in the hoster: one per incarnation per run.

Prints medians and min-max of every run, the requests each run sent (the sandbox's request log; for Foxops the
server's access log), and writes the table to ``docs/performance.md`` with the machine and the command. It
asserts nothing and is not part of the tests.

Usage (from the repository, after ``make test`` or ``scripts/lib.sh``'s ensure_venv):
    .venv/bin/python benchmarks/suite.py [--latency-ms 20] [--rounds 5] [--quick] [--no-write]
"""

import argparse
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, ansible_env

sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "harness"))

import foxops_server  # noqa: E402  pylint: disable=wrong-import-position
from sandbox.stocktrim_sandbox import StockTrimSandbox  # noqa: E402  pylint: disable=wrong-import-position

AUTH_ID, AUTH_SIGNATURE, TOKEN = "bench", "bench-signature", "benchmark-token-5d1e"
# the reference clients, as pinned in lock/bench-<name>.in
REFERENCE = dict((name, [line for line in (ROOT / "lock" / ("bench-%s.in" % name)).read_text().splitlines()
                         if line and not line.startswith("#")][0]) for name in ("stocktrim", "foxops"))
BENCH = Path(__file__).resolve().parent
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- suite:begin -->", "<!-- suite:end -->"

HEAD = """
- name: Benchmark
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
"""
PLAYBOOKS = {
    "products": HEAD + """
    - name: Reconcile the products
      apiops.platforms.stocktrim_products:
        products: "{{ products }}"
        workers: 8
""",
    "floor": HEAD + """
    - name: The floor, an empty module run with the same vars loaded
      ansible.builtin.ping:
""",
    "uri": HEAD + """
    - name: Read the product pages
      ansible.builtin.uri:
        url: "{{ lookup('env', 'STOCKTRIM_URL') }}/api/Products?pageNo={{ item }}"
        headers:
          api-auth-id: "{{ lookup('env', 'STOCKTRIM_API_AUTH_ID') }}"
          api-auth-signature: "{{ lookup('env', 'STOCKTRIM_API_AUTH_SIGNATURE') }}"
        status_code: [200, 404]
      loop: "{{ range(0, pages + 1) | list }}"
""",
    "foxops_details": HEAD + """
    - name: Every incarnation with its details
      apiops.platforms.foxops_incarnation_info:
        details: true
""",
    "foxops_list": HEAD + """
    - name: Every incarnation, the list only
      apiops.platforms.foxops_incarnation_info:
""",
}


# -- measuring ----------------------------------------------------------------------------------------------------
def measure(cmd, env, tmp):
    """Run ``cmd``; (wall seconds, peak RSS in MB of the largest process of its tree, stdout). Exits when it fails."""
    out, err = Path(tmp) / "run.out", Path(tmp) / "run.err"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=stdout, stderr=stderr)  # pylint: disable=consider-using-with
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = out.read_text(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s" % (" ".join(cmd[:3]), proc.returncode, (text + err.read_text(errors="replace"))[-3000:]))
    return elapsed, usage.ru_maxrss / 1024.0, text


class Runs:
    """Every run of one line of the table: times, the reference client's own work time, requests, memory."""

    def __init__(self, scenario, role, label):
        self.scenario, self.role, self.label = scenario, role, label
        self.times, self.work, self.memory, self.requests, self.note = [], [], [], set(), None

    def add(self, elapsed, memory, requests=None, work=None):
        self.times.append(elapsed)
        self.memory.append(memory)
        if requests is not None:
            self.requests.add(requests)
        if work is not None:
            self.work.append(work)

    def median(self):
        return statistics.median(self.times) if self.times else None


def playbook_cmd(tmp, name, extra):
    path = Path(tmp) / ("%s.yml" % name)
    path.write_text(PLAYBOOKS[name])
    return [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", str(path), "-e", "@%s" % extra]


# -- the reference clients' venvs ---------------------------------------------------------------------------------
def reference_python(name):
    """The python of the locked environment ``bench-<name>`` (lock/bench-<name>-py3.11.txt, hash-checked, cached by
    scripts/envs.py) holding the pinned reference client; (python, None) or (None, why)."""
    try:
        venv = subprocess.run([sys.executable, str(ROOT / "scripts" / "envs.py"), "path", "bench-" + name],
                              capture_output=True, text=True, check=True).stdout.strip()
    except subprocess.CalledProcessError as err:
        return None, "%s could not be installed: %s" % (REFERENCE[name], err.stderr.strip()[-300:])
    return str(Path(venv) / "bin" / "python"), None


def reference_run(runs, python, script_args, env, tmp, count=None):
    """One run of a reference script: wall time, and its own work time (imports excluded) from its JSON line."""
    if runs.note:
        return None
    try:
        elapsed, memory, text = measure([python, str(BENCH / script_args[0])] + script_args[1:], env, tmp)
    except RuntimeError as err:
        runs.note = "failed: " + str(err).strip().splitlines()[-1][:200]
        print(runs.note, flush=True)
        return None
    result = json.loads(text.strip().splitlines()[-1])
    runs.add(elapsed, memory, count() if count else None, result["work_s"])
    return result


# -- StockTrim ------------------------------------------------------------------------------------------------------
def products_of(count, changed=0):
    """(desired products, what the sandbox holds): ``changed`` of them differ in name."""
    desired = [{"product_id": "BENCH-%05d" % i, "name": "Benchmark product %d" % i, "cost": round(1 + i * 0.25, 2),
                "category": "bench"} for i in range(count)]
    stored = [{"productId": p["product_id"], "name": p["name"] + (" (old)" if i < changed else ""), "cost": p["cost"],
               "category": p["category"]} for i, p in enumerate(desired)]
    return desired, stored


def requests_of(sandbox):
    counts = sandbox.request_counts()["by_route"]
    return ", ".join("%d %s" % (n, route) for route, n in sorted(counts.items())) or "0"


def stocktrim_scenarios(args, tmp, rounds, rows):
    st_python, st_missing = reference_python("stocktrim")
    with StockTrimSandbox(port=0, auth_id=AUTH_ID, auth_signature=AUTH_SIGNATURE, latency_ms=args.latency_ms) as sandbox:
        env = ansible_env(tmp, STOCKTRIM_URL=sandbox.url, STOCKTRIM_API_AUTH_ID=AUTH_ID, STOCKTRIM_API_AUTH_SIGNATURE=AUTH_SIGNATURE)
        scenarios = [("%s products, nothing to change" % format(args.products, ","), args.products, 0, rounds, True),
                     ("%s products, 100 changed" % format(args.products, ","), args.products, 100, rounds, False),
                     ("%s products, nothing to change" % format(args.big, ","), args.big, 0, max(1, rounds - 2), False)]
        for scenario, count, changed, scenario_rounds, with_uri in scenarios:
            desired, stored = products_of(count, changed)
            extra = Path(tmp) / ("vars-%d-%d.json" % (count, changed))
            extra.write_text(json.dumps({"products": desired, "pages": (count + 49) // 50}))
            lines = {"products": Runs(scenario, "ours", "stocktrim_products (workers 8)"),
                     "reference": Runs(scenario, "ref", "reference client (%s)" % (
                         "read + compare, no write" if not changed else "read + compare + 8 concurrent upserts")),
                     "uri": Runs(scenario, "uri", "ansible.builtin.uri loop (reads the pages)"),
                     "floor": Runs(scenario, "floor", "Ansible floor (ping, same vars)")}
            if st_missing:
                lines["reference"].note = st_missing
            if not with_uri:
                del lines["uri"]
            ref_args = ["ref_stocktrim.py", "--url", sandbox.url, "--auth-id", AUTH_ID, "--auth-signature", AUTH_SIGNATURE,
                        "--desired", str(extra), "--workers", "8"]
            for number in range(scenario_rounds):
                print("%s: round %d of %d" % (scenario, number + 1, scenario_rounds), flush=True)
                for name, runs in lines.items():
                    sandbox.load_state({"products": stored})
                    sandbox.clear_requests()
                    if name == "reference":
                        result = reference_run(runs, st_python, ref_args, os.environ, tmp, lambda: requests_of(sandbox))
                        if result and result["changed"] != changed:
                            runs.note = "found %d to change, expected %d" % (result["changed"], changed)
                        continue
                    elapsed, memory, _text = measure(playbook_cmd(tmp, name, extra), env, tmp)
                    runs.add(elapsed, memory, requests_of(sandbox) if name != "floor" else None)
            rows.extend(lines.values())


# -- Foxops ---------------------------------------------------------------------------------------------------------
def foxops_api(url, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method, headers={
        "Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read() or b"null")


ACCESS = re.compile(r'"(GET|POST|PUT|PATCH|DELETE) (/api/[^ ?"]*)')


def access_counts(log_path, offset):
    """The API requests the server's access log holds past ``offset``, by method and path (ids as {id})."""
    with open(log_path, "rb") as handle:
        handle.seek(offset)
        text = handle.read().decode("utf-8", "replace")
    counts = {}
    for method, path in ACCESS.findall(text):
        key = "%s %s" % (method, re.sub(r"/\d+", "/{id}", path))
        counts[key] = counts.get(key, 0) + 1
    return ", ".join("%d %s" % (n, key) for key, n in sorted(counts.items())) or "0"


def foxops_scenario(args, tmp, rounds, rows):
    fx_python, fx_missing = reference_python("foxops")
    scenario = "Foxops: list + details of %d incarnations" % args.incarnations
    repos = ["bench-%02d" % i for i in range((args.incarnations + 2) // 3)]
    with foxops_server.FoxopsServer(Path(tmp) / "foxops", token=TOKEN, repos=tuple(repos)) as server:
        created = 0
        for repo in repos:
            for directory in ("svc-a", "svc-b", "svc-c")[:args.incarnations - created]:
                foxops_api(server.url, "POST", "/api/incarnations", {
                    "incarnation_repository": repo, "target_directory": directory, "template_repository": server.template_repo,
                    "template_repository_version": "v1.0.0", "template_data": {"name": "%s-%s" % (repo, directory), "age": created}})
                created += 1
        extra = Path(tmp) / "vars-foxops.json"
        extra.write_text(json.dumps({"incarnations": created}))
        env = ansible_env(tmp, FOXOPS_URL=server.url, FOXOPS_TOKEN=TOKEN)
        lines = {"foxops_details": Runs(scenario, "ours", "foxops_incarnation_info, details: true (workers 8)"),
                 "reference": Runs(scenario, "ref", "reference async client (list, then every detail at once)"),
                 "foxops_list": Runs(scenario, "ours_list", "foxops_incarnation_info, the list only"),
                 "reference_list": Runs(scenario, "ref_list", "reference async client, the list only"),
                 "floor": Runs(scenario, "floor", "Ansible floor (ping)")}
        if fx_missing:
            lines["reference"].note = lines["reference_list"].note = fx_missing
        for number in range(rounds):
            print("%s: round %d of %d" % (scenario, number + 1, rounds), flush=True)
            for name, runs in lines.items():
                offset = server.log_path.stat().st_size
                if name.startswith("reference"):
                    ref_args = ["ref_foxops.py", "--url", server.url, "--token", TOKEN] + (["--list-only"] if name == "reference_list" else [])
                    result = reference_run(runs, fx_python, ref_args, os.environ, tmp, lambda: access_counts(server.log_path, offset))
                    if result and (result["listed"], result["detailed"]) != (created, 0 if name == "reference_list" else created):
                        runs.note = "read %(listed)d incarnations and %(detailed)d details" % result
                    continue
                elapsed, memory, _text = measure(playbook_cmd(tmp, name, extra), env, tmp)
                time.sleep(0.2)  # the access log is written after the answer
                runs.add(elapsed, memory, access_counts(server.log_path, offset) if name != "floor" else None)
        rows.extend(lines.values())


# -- Foxops fleet bump through the inventory ---------------------------------------------------------------------
FLEET_INVENTORY = """plugin: apiops.platforms.foxops
compose:
  ansible_connection: "'local'"
  ansible_python_interpreter: "'%s'"
"""
FLEET_PLAYBOOKS = {
    "fleet": """
- name: Fleet bump
  hosts: all
  gather_facts: false
  tasks:
    - name: Bring the incarnation onto the version
      apiops.platforms.foxops_incarnation:
        id: "{{ id }}"
        template_repository_version: "{{ fleet_version }}"
        automerge: true
""",
    "fleet_floor": """
- name: Fleet floor
  hosts: all
  gather_facts: false
  tasks:
    - name: The floor, an empty module run on every host
      ansible.builtin.ping:
""",
    "incarnations": HEAD + """
    - name: Bring every incarnation onto the version, one task
      apiops.platforms.foxops_incarnations:
        incarnations: "{{ fleet }}"
        template_repository_version: "{{ fleet_version }}"
        automerge: true
        workers: 10
""",
    "incarnations_floor": HEAD + """
    - name: The floor, an empty module run with the same vars loaded
      ansible.builtin.ping:
""",
}
# the runs that move every incarnation onto the other version
FLEET_MOVES = ("incarnations", "fleet", "reference")
FLEET_VERSIONS = ("v1.0.0", "v2.0.0")


def merge_requests(server, repos):
    """How many merge requests the local hoster holds for ``repos``."""
    return sum(len(list((server.hoster_dir / repo / "merge_requests").glob("*.json"))) for repo in repos)


def fleet_scenario(args, tmp, rounds, rows):
    fx_python, fx_missing = reference_python("foxops")
    for size in args.fleet:
        scenario = "Foxops fleet bump of %d incarnations" % size
        repos = ["fleet-%03d" % i for i in range(size)]
        with foxops_server.FoxopsServer(Path(tmp) / ("fleet-%d" % size), token=TOKEN, repos=tuple(repos)) as server:
            print("%s: creating the fleet" % scenario, flush=True)
            for number, repo in enumerate(repos):
                foxops_api(server.url, "POST", "/api/incarnations", {
                    "incarnation_repository": repo, "target_directory": ".", "template_repository": server.template_repo,
                    "template_repository_version": FLEET_VERSIONS[0], "template_data": {"name": repo, "age": number}})
            inventory = Path(tmp) / "fleet.foxops.yml"
            inventory.write_text(FLEET_INVENTORY % sys.executable)
            extra = Path(tmp) / ("vars-fleet-%d.json" % size)
            extra.write_text(json.dumps({"fleet": [{"incarnation_repository": repo} for repo in repos]}))
            env = ansible_env(tmp, FOXOPS_URL=server.url, FOXOPS_TOKEN=TOKEN)
            lines = {"incarnations": Runs(scenario, "ours_one", "foxops_incarnations, one task (workers 10)"),
                     "fleet": Runs(scenario, "ours", "play over the inventory, foxops_incarnation (forks 10)"),
                     "reference": Runs(scenario, "ref", "reference async client (list, then every patch at once)"),
                     "incarnations_floor": Runs(scenario, "floor_one", "Ansible floor (ping on localhost, same vars)"),
                     "fleet_floor": Runs(scenario, "floor", "Ansible floor (ping over the inventory, forks 10)")}
            if fx_missing:
                lines["reference"].note = fx_missing
            version = 0
            for number in range(rounds):
                print("%s: round %d of %d" % (scenario, number + 1, rounds), flush=True)
                for name, runs in lines.items():
                    offset, mrs = server.log_path.stat().st_size, merge_requests(server, repos)
                    if name in FLEET_MOVES:
                        version = 1 - version
                    if name == "reference":
                        ref_args = ["ref_foxops_fleet.py", "--url", server.url, "--token", TOKEN, "--version", FLEET_VERSIONS[version]]
                        result = reference_run(runs, fx_python, ref_args, os.environ, tmp,
                                               lambda: access_counts(server.log_path, offset))
                        if result and (result["listed"], result["updated"]) != (size, size):
                            runs.note = "listed %(listed)d incarnations and updated %(updated)d" % result
                    else:
                        path = Path(tmp) / ("%s.yml" % name)
                        path.write_text(FLEET_PLAYBOOKS[name])
                        if name.startswith("incarnations"):
                            cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", str(path),
                                   "-e", "@%s" % extra]
                        else:
                            cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory), "-f", "10",
                                   str(path)]
                        cmd += ["-e", "fleet_version=%s" % FLEET_VERSIONS[version]]
                        elapsed, memory, text = measure(cmd, env, tmp)
                        time.sleep(0.2)  # the access log is written after the answer
                        changed = text.count("changed=1 ")
                        if name in FLEET_MOVES and changed != (size if name == "fleet" else 1):
                            runs.note = "%d of %d hosts changed" % (changed, size if name == "fleet" else 1)
                        runs.add(elapsed, memory, access_counts(server.log_path, offset) if name in FLEET_MOVES else None)
                    opened = merge_requests(server, repos) - mrs
                    if name in FLEET_MOVES and opened != size:
                        runs.note = "%d merge requests opened for %d incarnations" % (opened, size)
            rows.extend(lines.values())


# -- the report -----------------------------------------------------------------------------------------------------
def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), cpu)
    except OSError:
        pass
    from ansible.release import __version__ as ansible_core  # pylint: disable=import-outside-toplevel
    load = " ".join("%.2f" % value for value in os.getloadavg())
    return "%d CPUs (%s), %s %s, Python %s, ansible-core %s; load average at the start %s" % (
        os.cpu_count(), cpu, platform.system(), platform.release(), platform.python_version(), ansible_core, load)


def seconds(value):
    return "%.2f" % value if value is not None else "-"


def table(rows):
    lines = ["| Scenario | Run | Median s | Min-max s | Reference client's work s (imports excluded) | Requests a run | Peak RSS MB |",
             "|---|---|---|---|---|---|---|"]
    for runs in rows:
        if runs.note and not runs.times:
            lines.append("| %s | %s | %s | | | | |" % (runs.scenario, runs.label, runs.note))
            continue
        spread = "%.2f-%.2f" % (min(runs.times), max(runs.times))
        work = seconds(statistics.median(runs.work)) if runs.work else ""
        requests = " / ".join(sorted(runs.requests)) if runs.requests else ""
        label = runs.label + (" (%s)" % runs.note if runs.note else "")
        cells = (runs.scenario, label, seconds(runs.median()), spread, work, requests, max(runs.memory))
        lines.append("| %s | %s | %s | %s | %s | %s | %.0f |" % cells)
    return lines


def summary(rows):
    """The comparisons the figures above allow, scenario by scenario (medians of this run only)."""
    by = {}
    for runs in rows:
        by.setdefault(runs.scenario, {})[runs.role] = runs
    out = []
    for scenario, lines in by.items():
        ours, floor, ref = lines.get("ours"), lines.get("floor"), lines.get("ref")
        if scenario.startswith("Foxops fleet"):
            out.extend(fleet_summary(scenario, lines))
            continue
        if not (ours and floor and ours.times and floor.times):
            continue
        above = ours.median() - floor.median()
        text = "%s: the task takes %.2f s above the Ansible floor" % (scenario, above)
        if ref and ref.work:
            work = statistics.median(ref.work)
            text += "; the reference client's work takes %.2f s (%.2f s with its interpreter start and imports); ratio %.2f" % (
                work, ref.median(), above / work)
        ours_list, ref_list = lines.get("ours_list"), lines.get("ref_list")
        if ours_list and ours_list.times and ref and ref.work and ref_list and ref_list.work:
            extra = ours.median() - ours_list.median()
            ref_extra = statistics.median(ref.work) - statistics.median(ref_list.work)
            text += ("; the details cost the task %.2f s above its list-only run, the reference client %.2f s of work above"
                     " its list alone" % (extra, ref_extra))
        out.append("- " + text + ".")
    return out


def fleet_summary(scenario, lines):
    """A fleet scenario's comparisons: each way of ours (the one task, the play over the inventory) beside the
    reference script's whole run (its process start included), as a whole and above its own Ansible floor."""
    ref = lines.get("ref")
    if not (ref and ref.times):
        return []
    out = []
    for role, floor_role, what in (("ours_one", "floor_one", "foxops_incarnations, one task"),
                                   ("ours", "floor", "the play over the inventory")):
        ours, floor = lines.get(role), lines.get(floor_role)
        if not (ours and ours.times):
            continue
        text = "%s, %s: wall time %.2f s beside the reference script's %.2f s: ratio %.2f" % (
            scenario, what, ours.median(), ref.median(), ours.median() / ref.median())
        if floor and floor.times:
            above = ours.median() - floor.median()
            text += "; %.2f s above its Ansible floor (%.2f s): ratio %.2f to the reference script's whole run" % (
                above, floor.median(), above / ref.median())
            if ref.work:
                text += ", %.2f to its work (%.2f s)" % (above / statistics.median(ref.work), statistics.median(ref.work))
        out.append("- " + text + ".")
    return out


def write_doc(text):
    DOC.parent.mkdir(parents=True, exist_ok=True)
    old = DOC.read_text() if DOC.exists() else "# Performance\n\n%s\n%s\n" % (BEGIN, END)
    if BEGIN not in old or END not in old:
        old = old.rstrip("\n") + "\n\n%s\n%s\n" % (BEGIN, END)
    head, rest = old.split(BEGIN, 1)
    DOC.write_text(head + BEGIN + "\n" + text + "\n" + END + rest.split(END, 1)[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--latency-ms", type=int, default=20, help="the sandbox's wait before every StockTrim request")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="two rounds (one for the large catalogue), to try the suite")
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--big", type=int, default=5000, help="the large catalogue")
    parser.add_argument("--incarnations", type=int, default=20)
    parser.add_argument("--fleet", type=lambda text: [int(n) for n in text.split(",") if n], default=[10, 50, 100],
                        help="the fleet sizes of the fleet bump, comma-separated (default 10,50,100)")
    parser.add_argument("--only", choices=("stocktrim", "foxops", "fleet"), help="one family of scenarios")
    parser.add_argument("--no-write", action="store_true", help="print the table only, leave docs/performance.md alone")
    parser.add_argument("--busy", action="store_true", help="say in the note that the machine was shared during the run")
    args = parser.parse_args()
    rounds = 2 if args.quick else args.rounds
    described = machine()
    started = time.time()
    rows = []
    with tempfile.TemporaryDirectory(prefix="apiops-bench-") as tmp:
        if args.only in (None, "stocktrim"):
            stocktrim_scenarios(args, tmp, rounds, rows)
        if args.only in (None, "foxops"):
            foxops_scenario(args, tmp, rounds, rows)
        if args.only in (None, "fleet"):
            fleet_scenario(args, tmp, rounds, rows)
    command = " ".join([".venv/bin/python", "benchmarks/suite.py"] + [shlex.quote(a) for a in sys.argv[1:]])
    head = [
        "Taken %s UTC with `%s` (%d rounds, interleaved; the large catalogue %d), %.0f s in all." % (
            time.strftime("%Y-%m-%d %H:%M", time.gmtime(started)), command, rounds, max(1, rounds - 2), time.time() - started),
        "",
        "Machine: %s; at the end %s." % (described, " ".join("%.2f" % value for value in os.getloadavg())),
        "StockTrim: the project's sandbox with %d ms of latency before every request; Foxops: the real server (%s) on"
        " SQLite and local git repositories. Reference clients: %s, each in its own locked environment (lock/bench-*.in)." % (
            args.latency_ms, foxops_server.FOXOPS_VERSION, ", ".join(sorted(REFERENCE.values()))),
        "" if not args.busy else "\nThe machine was shared with other work during this run: the figures are noisy; compare"
        " the lines of one scenario with each other (they ran interleaved), not with another run.\n",
    ]
    text = "\n".join(head + table(rows) + [""] + summary(rows))
    print()
    print(text)
    if not args.no_write:
        write_doc(text)
        print("\nwritten to %s" % DOC.relative_to(ROOT))


if __name__ == "__main__":
    main()
