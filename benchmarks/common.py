# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the benchmarks share: the collection from the work tree, the environment of a run, a timed playbook."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def dev_collections():
    """A collections path holding this work tree as apiops.platforms (the symlinked layout of the tests)."""
    dev = ROOT / "build" / "dev"
    (dev / "ansible_collections" / "apiops").mkdir(parents=True, exist_ok=True)
    link = dev / "ansible_collections" / "apiops" / "platforms"
    if not link.exists():
        link.symlink_to(ROOT)
    return dev


def ansible_env(tmp, **extra):
    """The environment of a benchmark's ansible-playbook runs: the work tree's collection, quiet, own home."""
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(dev_collections()), ANSIBLE_LOCALHOST_WARNING="false",
                ANSIBLE_INVENTORY_UNPARSED_WARNING="false", ANSIBLE_HOME=str(Path(tmp) / "ansible-home"), **extra)


def timed_playbook(playbook, env, *args):
    """Run ``ansible-playbook`` on localhost; its wall time in seconds. Exits with its output when it fails."""
    started = time.perf_counter()
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", str(playbook)]
                          + list(args), env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit("%s failed:\n%s" % (playbook, (proc.stdout + proc.stderr)[-3000:]))
    return elapsed
