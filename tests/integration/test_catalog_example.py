# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The example playbook examples/stocktrim_catalog.yml (the stocktrim_catalog role on examples/files/catalog.csv)
against the StockTrim sandbox, as a user runs it: ``--check --diff`` first, then for real, then again.

The check run must send nothing but reads and print the same summary as the real run; the real run must
create the whole catalogue; the second real run must change nothing and send nothing but reads."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from conftest import REPO, STOCKTRIM_AUTH_ID, STOCKTRIM_AUTH_SIGNATURE

PLAYBOOK = REPO / "examples" / "stocktrim_catalog.yml"
# The one warning allowed: the check run on an empty tenant sets stock levels of products it would create.
EXPECTED_WARNING = "do not exist yet"


def sandbox(url, path, method="GET", auth=False):
    headers = {"Content-Type": "application/json"}
    if auth:
        headers.update({"api-auth-id": STOCKTRIM_AUTH_ID, "api-auth-signature": STOCKTRIM_AUTH_SIGNATURE})
    data = b"{}" if method == "POST" else None
    request = urllib.request.Request(url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            body = resp.read()
    except urllib.error.HTTPError as err:
        if err.code != 404:
            raise
        return None
    return json.loads(body) if body else None


def run_example(env, *args):
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", *args, str(PLAYBOOK)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False, cwd=str(REPO))
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, "%s failed:\n%s" % (" ".join(cmd[1:]), output[-20000:])
    summary = dict(re.findall(r'"(suppliers|products|inventory|boms): ([^"]+)"', output))
    assert sorted(summary) == ["boms", "inventory", "products", "suppliers"], output[-5000:]
    recap = re.search(r"localhost\s+:\s+ok=\d+\s+changed=(\d+)\s+unreachable=0\s+failed=0", output)
    assert recap, output[-5000:]
    warnings = [line for line in output.splitlines() if "WARNING]" in line]
    return output, summary, int(recap.group(1)), warnings


def methods(url):
    return sorted(sandbox(url, "/_sandbox/requests")["counts"])


def test_catalog_example_check_real_and_again(stocktrim_sandbox, ansible_env):
    url = stocktrim_sandbox.url
    sandbox(url, "/_sandbox/reset", method="POST")
    env = dict(ansible_env, STOCKTRIM_URL=url, STOCKTRIM_API_AUTH_ID=STOCKTRIM_AUTH_ID,
               STOCKTRIM_API_AUTH_SIGNATURE=STOCKTRIM_AUTH_SIGNATURE)

    _out, predicted, predicted_changed, warnings = run_example(env, "--check", "--diff")
    assert methods(url) == ["GET"], "the check run wrote"
    assert all(EXPECTED_WARNING in w for w in warnings), warnings
    assert sandbox(url, "/api/Products?pageNo=0", auth=True) in (None, [])

    sandbox(url, "/_sandbox/requests", method="DELETE")
    output, done, changed, warnings = run_example(env, "--diff")
    assert warnings == []
    assert done == predicted, "the check run predicted %s, the real run did %s" % (predicted, done)
    assert changed == predicted_changed == 4  # suppliers, products, stock levels, bill of materials
    assert done == {
        "suppliers": "3 created, 0 updated, 0 unchanged",
        "products": "10 created, 0 updated, 0 unchanged, 0 deleted",
        "inventory": "10 created, 0 updated, 0 unchanged",
        "boms": "3 created, 0 updated, 0 unchanged, 0 deleted",
    }
    assert "POST" in methods(url)
    assert "BIKE-CITY" in output  # the diff names what was created

    products = sandbox(url, "/api/Products?pageNo=0", auth=True)
    by_id = {p["productId"]: p for p in products}
    assert len(by_id) == 10
    assert by_id["BELL-BR"]["name"] == "Bell, brass"
    assert by_id["WHEEL-700C"]["stockOnHand"] == 30
    assert by_id["FRAME-M"]["suppliers"][0]["supplierSkuCode"] == "FC-M-2024"
    assert by_id["PUMP-MINI"]["discontinued"] is True
    bom = sandbox(url, "/api/boms?productId=BIKE-CITY", auth=True)
    assert sorted((line["componentId"], line["quantity"]) for line in bom) == [
        ("FRAME-M", 1), ("SADDLE-STD", 1), ("WHEEL-700C", 2)]
    supplier = sandbox(url, "/api/Suppliers?code=FRAMECO", auth=True)
    supplier = supplier[0] if isinstance(supplier, list) else supplier
    assert supplier["supplierName"] == "Frame Co"
    assert supplier["emailAddress"] == "orders@frameco.example"

    sandbox(url, "/_sandbox/requests", method="DELETE")
    _out, again, changed, warnings = run_example(env, "--diff")
    assert changed == 0
    assert warnings == []
    assert methods(url) == ["GET"], "the second run wrote"
    assert again == {
        "suppliers": "0 created, 0 updated, 3 unchanged",
        "products": "0 created, 0 updated, 10 unchanged, 0 deleted",
        "inventory": "0 created, 0 updated, 10 unchanged",
        "boms": "0 created, 0 updated, 3 unchanged, 0 deleted",
    }
