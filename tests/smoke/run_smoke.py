# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the smoke playbook with the installed collection against a fresh StockTrim sandbox.

Usage: python tests/smoke/run_smoke.py --collections DIR   (DIR holds ansible_collections/apiops/platforms)
"""

import argparse
import os
import socket
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sandbox.stocktrim_sandbox import StockTrimSandbox  # noqa: E402  pylint: disable=wrong-import-position


def closed_port_url():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return "http://127.0.0.1:%d" % port


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--collections", required=True)
    args = parser.parse_args()
    installed = Path(args.collections, "ansible_collections", "apiops", "platforms")
    if not (installed / "MANIFEST.json").exists():
        sys.exit("no installed collection at %s" % installed)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=args.collections, ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    env.pop("PYTHONPATH", None)
    bindir = Path(sys.executable).parent
    where = subprocess.run([str(bindir / "ansible-doc"), "--json", "apiops.platforms.stocktrim_product"], env=env,
                           capture_output=True, text=True, check=False)
    if where.returncode != 0 or str(installed) not in where.stdout:
        sys.exit("ansible-doc did not find the module in the installed collection:\n%s%s" % (where.stdout[-2000:], where.stderr[-2000:]))
    with StockTrimSandbox(port=0, auth_id="smoke-tenant", auth_signature="smoke-signature") as sandbox:
        cmd = [str(bindir / "ansible-playbook"), "-i", "localhost,", "--diff", str(HERE / "smoke.yml"),
               "-e", "stocktrim_url=%s" % sandbox.url, "-e", "stocktrim_auth_id=smoke-tenant",
               "-e", "stocktrim_auth_signature=smoke-signature", "-e", "closed_url=%s" % closed_port_url()]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    print(proc.stdout[-4000:])
    if proc.returncode != 0:
        print(proc.stderr[-4000:])
        sys.exit("smoke playbook failed")
    print("smoke playbook passed with the collection installed at %s" % installed)


if __name__ == "__main__":
    main()
