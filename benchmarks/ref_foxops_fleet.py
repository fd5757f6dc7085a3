# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The peer of the fleet bump in the benchmark suite: the reference async client updating every incarnation.

Runs in the benchmark's own venv (``foxops-client`` from PyPI, never the project's venv), started by ``suite.py``:
lists every incarnation, then patches each one to ``--version`` with automerge (the suite alternates the version, so every
incarnation moves), all at once (the
client's own connection limit, 10, bounds them). Prints one JSON line: the seconds of imports and of the work,
how many incarnations it listed and how many it updated.
"""

import argparse
import asyncio
import json
import sys
import time

STARTED = time.perf_counter()

# pylint: disable=import-error
from foxops_client import AsyncFoxopsClient  # noqa: E402


async def work(args):
    client = AsyncFoxopsClient(args.url, args.token)
    try:
        incarnations = await client.list_incarnations()
        await asyncio.gather(*(client.patch_incarnation(item.id, automerge=True, requested_version=args.version)
                               for item in incarnations))
        return len(incarnations), len(incarnations)
    finally:
        await client.client.aclose()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--version", required=True)
    args = parser.parse_args()
    imported = time.perf_counter()
    listed, updated = asyncio.run(work(args))
    done = time.perf_counter()
    json.dump({"import_s": imported - STARTED, "work_s": done - imported, "listed": listed, "updated": updated}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
