# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Profile of ``stocktrim_products`` on N products with nothing to change, the module side only.

Two views, against the StockTrim sandbox (no latency: what is left is CPU):

1. the spec in-process: ``PRODUCTS.execute(Context(module, PRODUCTS))`` with a stand-in module, under cProfile
   (the read, the validation, the comparison), top entries by own time;
2. the module as a process, the way AnsiballZ runs it (its file with the arguments' JSON), without and with
   cProfile: wall time, and how it splits into imports, ``AnsibleModule`` argument handling, the spec's work and
   ``exit_json`` (the result's JSON, which echoes ``invocation.module_args``), with the size of that result.

Prints a report in Markdown; it asserts nothing.

Usage (from the repository):
    .venv/bin/python benchmarks/profile_products.py [--products 1000] [--top 15]
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from common import ROOT, dev_collections

sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(dev_collections()))

# pylint: disable=wrong-import-position
from sandbox.stocktrim_sandbox import StockTrimSandbox  # noqa: E402
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Context  # noqa: E402
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient  # noqa: E402
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import PRODUCTS  # noqa: E402

AUTH_ID, AUTH_SIGNATURE = "bench", "bench-signature"
MODULE = ROOT / "plugins" / "modules" / "stocktrim_products.py"

# (label, file ending, function name) of the parts of the module process; cumulative seconds of each
PARTS = (("imports (every import statement)", "<frozen importlib._bootstrap>", "_find_and_load"),
         ("AnsibleModule argument handling (the module's __init__)", "module.py", "__init__"),
         ("the spec's work (Bulk.execute, its exit_json included)", "bulk.py", "execute"),
         ("  of it: reading the pages", "stocktrim_catalogue.py", "list_products"),
         ("  of it: validating the items", "items.py", "validate_items"),
         ("  of it: comparing (Bulk.plan)", "bulk.py", "plan"),
         ("exit_json (result formatting, no_log scrub, JSON)", "basic.py", "exit_json"),
         ("  of it: remove_values (no_log scrub of the result)", "parameters.py", "remove_values"),
         ("  of it: json.dumps of the result", "__init__.py", "dumps"))


# Run in a fresh interpreter with the module's arguments file: the module's own run, timed phase by phase
# without a profiler (imports, the module's __init__, the spec's work, exit_json and two of its parts).
PHASES = """
import json, sys, time
started = time.perf_counter()
import ansible.module_utils.basic as basic
core = time.perf_counter()
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import PRODUCTS
imported = time.perf_counter()
marks = {}


def timed(name, func):
    def wrapper(*args, **kwargs):
        begin = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            marks[name] = marks.get(name, 0.0) + time.perf_counter() - begin
    return wrapper


basic.remove_values = timed("remove_values", basic.remove_values)
basic.AnsibleModule._record_module_result = timed("json", basic.AnsibleModule._record_module_result)
module = PRODUCTS.module()
built = time.perf_counter()
exit_json = module.exit_json


def leave(**result):
    marks["work"] = time.perf_counter() - built
    marks["invocation"] = len(json.dumps(module.params))
    timed("exit", exit_json)(**result)


module.exit_json = leave
try:
    PRODUCTS.run(module)
except SystemExit:
    pass
marks.update(core=core - started, collection=imported - core, init=built - imported, total=time.perf_counter() - started)
sys.stderr.write("PHASES " + json.dumps(marks) + "\\n")
"""


class Exit(Exception):
    pass


class StandIn:
    """The module as the spec sees it: options, the client, check mode, and an exit that raises."""

    def __init__(self, client, params):
        self.client, self.params, self.check_mode, self._diff = client, params, False, False

    def warn(self, msg):
        pass

    def exit_json(self, **result):
        raise Exit(result)

    def fail_error(self, err, msg=None, **extra):
        raise Exit(dict(err.result(), msg=msg, **extra))


def products_of(count):
    return [{"product_id": "BENCH-%05d" % i, "name": "Benchmark product %d" % i, "cost": round(1 + i * 0.25, 2),
             "category": "bench"} for i in range(count)]


def in_process(sandbox, products, top):
    def run():
        client = StockTrimClient.from_options({"url": sandbox.url, "auth_id": AUTH_ID, "auth_signature": AUTH_SIGNATURE, "retries": 0})
        try:
            PRODUCTS.execute(Context(StandIn(client, {"products": products, "state": "present", "workers": 8}), PRODUCTS))
        except Exit as done:
            return done.args[0]
        return None

    run()  # warm: imports, the models' shapes
    started = time.perf_counter()
    profile = cProfile.Profile()
    profile.enable()
    result = run()
    profile.disable()
    elapsed = time.perf_counter() - started
    assert result["changed"] is False and len(result["unchanged"]) == len(products), result.get("msg")
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(top)
    return elapsed, text.getvalue(), result


def exit_costs(result, params, runs):
    """Seconds of exit_json's two costs (the no_log scrub and the JSON) for the result as it is and as it could be.

    The same result dict, four shapes, each timed ``runs`` times in this process (medians), side by side.
    """
    from ansible.module_utils.common import json as module_json  # pylint: disable=import-outside-toplevel
    from ansible.module_utils.common.parameters import remove_values  # pylint: disable=import-outside-toplevel

    encoder = module_json.get_module_encoder("legacy", module_json.Direction.MODULE_TO_CONTROLLER)
    no_log = {AUTH_SIGNATURE}

    def compact(obj):
        return dict((k, v) for k, v in obj.items() if v is not None and v != [])

    echo = {"module_args": dict(params, auth_signature=AUTH_SIGNATURE, url="http://127.0.0.1", auth_id=AUTH_ID)}
    short = {"module_args": dict(echo["module_args"], products="%d products" % len(params["products"]))}
    shapes = (("as today: every product, all 38 fields, and the arguments echoed", dict(result, invocation=echo)),
              ("the arguments not echoed (invocation without the list)", dict(result, invocation=short)),
              ("and the products without their empty fields", dict(result, invocation=short, products=[compact(p) for p in result["products"]])),
              ("and only the products created or updated (none here)", dict(result, invocation=short, products=[])))
    rows = []
    for label, shape in shapes:
        scrub, dump, size = [], [], 0
        for _run in range(runs):
            began = time.perf_counter()
            clean = remove_values(shape, no_log)
            middle = time.perf_counter()
            size = len(json.dumps(clean, cls=encoder))
            scrub.append(middle - began)
            dump.append(time.perf_counter() - middle)
        rows.append((label, statistics.median(scrub), statistics.median(dump), size))
    return rows


def cumulative(stats, ending, name):
    """Cumulative seconds of the outermost calls of a function (recursive calls counted once)."""
    total = 0.0
    for (path, _line, func), (_cc, _nc, _tt, ct, callers) in stats.stats.items():
        if func == name and path.endswith(ending):
            if any(caller[2] == name and caller[0].endswith(ending) for caller in callers):
                continue
            total += ct
    return total


def as_process(sandbox, products, tmp, runs):
    args = Path(tmp) / "args.json"
    args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {
        "products": products, "url": sandbox.url, "auth_id": AUTH_ID, "auth_signature": AUTH_SIGNATURE, "workers": 8}}))
    env = dict(os.environ, PYTHONPATH=str(dev_collections()))
    walls, output = [], ""
    for _run in range(runs):
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, str(MODULE), str(args)], env=env, capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - started)
        output = proc.stdout
    startup = []
    for _run in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
        startup.append(time.perf_counter() - started)
    phases = []
    for _run in range(runs):
        proc = subprocess.run([sys.executable, "-c", PHASES, str(args)], env=env, capture_output=True, text=True, check=True)
        phases.append(json.loads(proc.stderr.split("PHASES ", 1)[1]))
    phases = dict((key, statistics.median(run[key] for run in phases)) for key in phases[0])
    prof = Path(tmp) / "module.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), str(MODULE), str(args)], env=env, capture_output=True,
                   check=True)
    stats = pstats.Stats(str(prof), stream=io.StringIO())
    result = json.loads(output[output.index("{"):])
    sizes = dict((key, len(json.dumps(value))) for key, value in result.items())
    return statistics.median(walls), statistics.median(startup), stats, len(output), sizes, phases


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    products = products_of(args.products)
    stored = [{"productId": p["product_id"], "name": p["name"], "cost": p["cost"], "category": p["category"]} for p in products]
    with tempfile.TemporaryDirectory() as tmp, StockTrimSandbox(port=0, auth_id=AUTH_ID, auth_signature=AUTH_SIGNATURE) as sandbox:
        sandbox.load_state({"products": stored})
        work, listing, result = in_process(sandbox, products, args.top)
        costs = exit_costs(result, {"products": products, "state": "present", "workers": 8}, args.runs)
        wall, startup, stats, size, sizes, phases = as_process(sandbox, products, tmp, args.runs)
    total = stats.total_tt
    print("## Profile: `stocktrim_products`, %s products, nothing to change (sandbox without latency)\n" % format(args.products, ","))
    print("The spec in-process (`PRODUCTS.execute`, warm): %.3f s under cProfile. Top %d by own time:\n" % (work, args.top))
    print("```")
    for prefix in sorted({str(dev_collections() / "ansible_collections" / "apiops" / "platforms") + "/", os.path.dirname(os.__file__) + "/",
                          sysconfig.get_paths()["purelib"] + "/"}, key=len, reverse=True):
        listing = listing.replace(prefix, "")
    print("\n".join(line for line in listing.strip().splitlines() if line.strip())[:6000])
    print("```\n")
    print("The module as a process (`python stocktrim_products.py args.json`, as AnsiballZ runs it, median of %d): %.2f s wall;"
          " a bare `python -c pass` takes %.2f s.\n" % (args.runs, wall, startup))
    print("Its phases, timed without a profiler in a fresh interpreter (medians of %d):\n" % args.runs)
    print("| Phase | s |")
    print("|---|---|")
    for key, label in (("core", "import ansible.module_utils.basic"), ("collection", "import the collection's module_utils (requests, tenacity, the specs)"),
                       ("init", "the module's __init__: AnsibleModule argument handling of the list"), ("work", "the spec's work (read, validate, compare)"),
                       ("exit", "exit_json"), ("remove_values", "  of it: remove_values (the no_log scrub of the whole result)"),
                       ("json", "  of it: the result's JSON (the module encoder) and print"), ("total", "all of the above")):
        print("| %s | %.3f |" % (label, phases[key]))
    print("\nThe echo of the arguments (`invocation.module_args`) is %s bytes of JSON.\n" % format(int(phases["invocation"]), ","))
    print("Under cProfile (%.2f s in all; the profiler inflates many small calls):\n" % total)
    print("| Part | Cumulative s | Share |")
    print("|---|---|---|")
    for label, ending, name in PARTS:
        seconds = cumulative(stats, ending, name)
        print("| %s | %.3f | %.0f%% |" % (label, seconds, 100.0 * seconds / total if total else 0))
    print("\nThe result printed: %s bytes; by key: %s.\n" % (format(size, ","), ", ".join(
        "%s %s" % (key, format(value, ",")) for key, value in sorted(sizes.items(), key=lambda kv: -kv[1]) if value > 100)))
    print("exit_json's two costs for this result and for smaller shapes of it, side by side in this run (medians of %d):\n" % args.runs)
    print("| Result | remove_values s | JSON s | bytes |")
    print("|---|---|---|---|")
    for label, scrub, dump, nbytes in costs:
        print("| %s | %.3f | %.3f | %s |" % (label, scrub, dump, format(nbytes, ",")))
    print()


if __name__ == "__main__":
    main()
