# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retry state belongs to one request: ``stocktrim_products`` writes many products at once on a pool of eight
while the sandbox answers some of the writes 503.  Each write that met a fault is retried on its own budget
(``retries: 1``): every product exists exactly once, and the server saw one extra write per fault, no more.
With more faults than one retry can absorb, exactly the products whose both attempts failed are reported, and
the others exist once."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import STOCKTRIM_AUTH_ID, STOCKTRIM_AUTH_SIGNATURE

PLAY = """
- name: Many products at once, some writes answered 503
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Sync the products on a pool of eight
      apiops.platforms.stocktrim_products:
        url: "{{ stocktrim_url }}"
        auth_id: "{{ stocktrim_auth_id }}"
        auth_signature: "{{ stocktrim_auth_signature }}"
        products: "{{ products }}"
        workers: 8
        retries: 1
      register: synced
      ignore_errors: true
    - name: Keep the result
      ansible.builtin.copy:
        content: "{{ synced | to_json }}"
        dest: "{{ result_file }}"
        mode: "0600"
"""
COUNT = 24


def control(url, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else (b"{}" if method == "POST" else None)
    req = urllib.request.Request(url + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        text = resp.read()
    return json.loads(text) if text else None


@pytest.mark.parametrize("faults", [6, 20])
def test_concurrent_writes_retry_each_on_its_own(faults, stocktrim_sandbox, ansible_env, tmp_path):
    url = stocktrim_sandbox.url
    control(url, "POST", "/_sandbox/reset")
    fault = {"method": "POST", "path": "/api/Products", "status": 503, "times": faults}
    if faults <= 7:
        # a retry waits the Retry-After (3 s, no jitter): long enough for the first attempts to take every fault
        # first, however busy the machine, so no retry meets one
        fault["retry_after"] = "3"
    control(url, "POST", "/_sandbox/faults", fault)
    products = [{"product_id": "CONC-%02d" % i, "name": "Concurrent %d" % i} for i in range(COUNT)]
    result_file = tmp_path / "result.json"
    varsfile = tmp_path / "vars.json"
    varsfile.write_text(json.dumps({"stocktrim_url": url, "stocktrim_auth_id": STOCKTRIM_AUTH_ID,
                                    "stocktrim_auth_signature": STOCKTRIM_AUTH_SIGNATURE, "products": products,
                                    "result_file": str(result_file)}))
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAY)
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "-e",
                           "@%s" % varsfile, str(playbook)], env=ansible_env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    result = json.loads(result_file.read_text())
    log = control(url, "GET", "/_sandbox/requests")["requests"]
    writes = [r for r in log if r["method"] == "POST" and r["route"] == "/api/Products"]
    listed = [p["product_id"] for p in _all_products(url)]
    failed = result.get("failed_products", [])
    created = result["created"]
    # every fault was met once; a product fails only when its retry met one too
    assert len([w for w in writes if w["status"] == 503]) == faults
    # one first attempt a product, one retry a product whose first attempt met a fault, never more
    assert len(writes) == COUNT + (faults - len(failed))
    assert len(failed) <= faults // 2
    assert sorted(created + failed) == sorted(p["product_id"] for p in products)
    assert sorted(listed) == sorted(created) and len(set(listed)) == len(listed)  # each product once
    assert bool(failed) == bool(result.get("failed"))
    if faults <= 7:  # fewer faults than the pool's first wave: every fault is absorbed by its own retry
        assert not failed and result["changed"] and len(created) == COUNT


def _all_products(url):
    found, page = [], 0
    while True:
        req = urllib.request.Request("%s/api/Products?pageNo=%d" % (url, page), headers={
            "api-auth-id": STOCKTRIM_AUTH_ID, "api-auth-signature": STOCKTRIM_AUTH_SIGNATURE})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                items = json.loads(resp.read())
        except urllib.error.HTTPError as err:
            if err.code == 404:
                return found
            raise
        if not items:
            return found
        found.extend({"product_id": item["productId"]} for item in items)
        page += 1
