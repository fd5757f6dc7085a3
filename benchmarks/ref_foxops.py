# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The peer of ``foxops_incarnation_info`` with ``details: true`` in the benchmark suite: the reference async client.

Runs in the benchmark's own venv (``foxops-client`` from PyPI, never the project's venv), started by ``suite.py``:
lists every incarnation, then reads the details of each, all at once (the client's own connection limit bounds
them). ``--list-only`` stops after the list. Prints one JSON line: the seconds of imports and of the work, and
how many incarnations and details it read.
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
        details = []
        if not args.list_only:
            details = await asyncio.gather(*(client.get_incarnation(item.id) for item in incarnations))
        return len(incarnations), len(details)
    finally:
        await client.client.aclose()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--list-only", action="store_true")
    args = parser.parse_args()
    imported = time.perf_counter()
    listed, detailed = asyncio.run(work(args))
    done = time.perf_counter()
    json.dump({"import_s": imported - STARTED, "work_s": done - imported, "listed": listed, "detailed": detailed}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
