# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two trees of the collection side by side: the suite's StockTrim product scenarios, runs interleaved.

The suite (``suite.py``) compares this tree with the reference clients; this compares another tree (``--base``, such
as a detached work tree of main) with this one, on the same sandbox with the same latency, with the suite's own
scenarios, playbook (``stocktrim_products`` with ``workers: 8``), Ansible floor and measurement, in the order
base, this, floor and this, base, floor in turn.  Prints every run and a table of medians; writes nothing.

Usage (from the repository, after ``make test`` or ``scripts/lib.sh``'s ensure_venv):
    .venv/bin/python benchmarks/compare_trees.py --base /tmp/base-tree [--rounds 5] [--big-rounds 3] [--latency-ms 20]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

import suite
from common import ROOT


def collections_path(name, tree):
    """A collections path of its own holding ``tree`` as apiops.platforms."""
    folder = ROOT / "build" / "compare" / name / "ansible_collections" / "apiops"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "platforms"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(tree)
    return str(folder.parent.parent)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the other tree of the collection")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--big-rounds", type=int, default=3, help="rounds of the 5,000-product scenario")
    parser.add_argument("--latency-ms", type=int, default=20)
    args = parser.parse_args()
    trees = {"base": Path(args.base).resolve(), "this": ROOT}
    results = {}
    print("load average at the start: %s" % " ".join("%.2f" % value for value in os.getloadavg()), flush=True)
    sandbox = suite.StockTrimSandbox(port=0, auth_id=suite.AUTH_ID, auth_signature=suite.AUTH_SIGNATURE, latency_ms=args.latency_ms)
    with sandbox, tempfile.TemporaryDirectory() as tmp:
        envs = {}
        for name, tree in trees.items():
            envs[name] = dict(suite.ansible_env(tmp, STOCKTRIM_URL=sandbox.url, STOCKTRIM_API_AUTH_ID=suite.AUTH_ID,
                                                STOCKTRIM_API_AUTH_SIGNATURE=suite.AUTH_SIGNATURE),
                              ANSIBLE_COLLECTIONS_PATH=collections_path(name, tree))
        envs["floor"] = envs["this"]
        scenarios = [("1,000 products, nothing to change", 1000, 0, args.rounds),
                     ("1,000 products, 100 changed", 1000, 100, args.rounds),
                     ("5,000 products, nothing to change", 5000, 0, args.big_rounds)]
        for scenario, count, changed, rounds in scenarios:
            desired, stored = suite.products_of(count, changed)
            extra = Path(tmp) / ("vars-%d-%d.json" % (count, changed))
            extra.write_text(json.dumps({"products": desired, "pages": (count + 49) // 50}))
            for number in range(rounds):
                for name in (["base", "this"] if number % 2 == 0 else ["this", "base"]) + ["floor"]:
                    sandbox.load_state({"products": stored})
                    sandbox.clear_requests()
                    playbook = suite.playbook_cmd(tmp, "floor" if name == "floor" else "products", extra)
                    elapsed, memory, _text = suite.measure(playbook, envs[name], tmp)
                    requests = suite.requests_of(sandbox) if name != "floor" else ""
                    results.setdefault((scenario, name), []).append((elapsed, memory, requests))
                    print("%s | %s | round %d | %.2f s | %.0f MB | %s" % (scenario, name, number + 1, elapsed, memory, requests),
                          flush=True)
    print("load average at the end: %s" % " ".join("%.2f" % value for value in os.getloadavg()))
    print("\n| Scenario | Tree | Median s | Min-max s | Requests a run | Peak RSS MB (median) |\n|---|---|---|---|---|---|")
    for (scenario, name), runs in results.items():
        times = [run[0] for run in runs]
        print("| %s | %s | %.2f | %.2f-%.2f | %s | %.0f |" % (
            scenario, name, statistics.median(times), min(times), max(times), "; ".join(sorted(set(run[2] for run in runs))),
            statistics.median(run[1] for run in runs)))


if __name__ == "__main__":
    sys.exit(main())
