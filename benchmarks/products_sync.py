# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: syncing N products with ``stocktrim_products`` beside its peer, a loop of ``stocktrim_product``.

Both run in the same process run against the same fresh StockTrim sandbox, over real HTTP, through
``ansible-playbook``. For each: wall time of a first run (creates everything) and of a no-change run, and
the requests the sandbox received, per method. Prints a table; it asserts nothing about speed.

Usage (from the repository, after ``make test`` or ``scripts/lib.sh``'s ensure_venv):
    .venv/bin/python benchmarks/products_sync.py [--products 300] [--workers 8]
"""

import argparse
import json
import sys
import tempfile
import urllib.request
from pathlib import Path

from common import ROOT, ansible_env, timed_playbook

sys.path.insert(0, str(ROOT / "tests"))

from sandbox.stocktrim_sandbox import StockTrimSandbox  # noqa: E402  pylint: disable=wrong-import-position

BULK = """
- name: Bulk
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Sync the products in one task
      apiops.platforms.stocktrim_products:
        products: "{{ products }}"
        workers: "{{ workers }}"
"""

LOOP = """
- name: Loop
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Sync the products one task each
      apiops.platforms.stocktrim_product:
        product_id: "{{ item.product_id }}"
        name: "{{ item.name }}"
        cost: "{{ item.cost }}"
        category: "{{ item.category }}"
      loop: "{{ products }}"
"""


def control(url, method, path):
    req = urllib.request.Request(url + path, data=b"{}" if method == "POST" else None, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        body = resp.read()
    return json.loads(body) if body else None


def run(playbook, sandbox, env, extra):
    control(sandbox.url, "DELETE", "/_sandbox/requests")
    elapsed = timed_playbook(playbook, env, "-e", "@%s" % extra)
    counts = control(sandbox.url, "GET", "/_sandbox/requests")["counts"]
    return elapsed, counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    products = [{"product_id": "BENCH-%04d" % i, "name": "Benchmark product %d" % i, "cost": round(1 + i * 0.25, 2),
                 "category": "bench"} for i in range(args.products)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp, StockTrimSandbox(port=0, auth_id="bench", auth_signature="bench-signature") as sandbox:
        tmp = Path(tmp)
        extra = tmp / "vars.json"
        extra.write_text(json.dumps({"products": products, "workers": args.workers}))
        env = ansible_env(tmp, STOCKTRIM_URL=sandbox.url, STOCKTRIM_API_AUTH_ID="bench",
                          STOCKTRIM_API_AUTH_SIGNATURE="bench-signature")
        for name, text in (("stocktrim_products (one task)", BULK), ("peer: stocktrim_product loop", LOOP)):
            control(sandbox.url, "POST", "/_sandbox/reset")
            playbook = tmp / "play.yml"
            playbook.write_text(text)
            first = run(playbook, sandbox, env, extra)
            second = run(playbook, sandbox, env, extra)
            rows.append((name, first, second))
    print("Syncing %d products against the StockTrim sandbox (workers=%d)" % (args.products, args.workers))
    print("%-32s %12s %24s %12s %24s" % ("", "first run s", "first run requests", "no-change s", "no-change requests"))
    for name, (t1, c1), (t2, c2) in rows:
        print("%-32s %12.2f %24s %12.2f %24s" % (name, t1, json.dumps(c1, sort_keys=True), t2, json.dumps(c2, sort_keys=True)))


if __name__ == "__main__":
    main()
