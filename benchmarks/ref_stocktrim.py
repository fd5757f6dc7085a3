# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The peer of ``stocktrim_products`` in the benchmark suite: the same work with the published reference client.

Runs in the benchmark's own venv (``stocktrim-openapi-client`` from PyPI, never the project's venv), started by
``suite.py``: reads every product (the client's ``get_all_paginated``), compares each desired product with the
one read (the options given, numbers by value), and upserts the ones that differ with at most ``--workers``
requests at a time. Prints one JSON line: the seconds of imports and of the work, and what it found and wrote.
"""

import argparse
import asyncio
import json
import sys
import time

STARTED = time.perf_counter()

# pylint: disable=import-error
from stocktrim_public_api_client import StockTrimClient  # noqa: E402
from stocktrim_public_api_client.generated.models import ProductsRequestDto  # noqa: E402
from stocktrim_public_api_client.client_types import UNSET  # noqa: E402

FIELDS = ("name", "category", "cost")


def differs(desired, current):
    for field in FIELDS:
        if field not in desired:
            continue
        have = getattr(current, field, UNSET)
        have = None if have is UNSET else have
        want = desired[field]
        if isinstance(want, (int, float)) and not isinstance(want, bool):
            if have is None or float(have) != float(want):
                return True
        elif have != want:
            return True
    return False


async def work(args, desired):
    async with StockTrimClient(api_auth_id=args.auth_id, api_auth_signature=args.auth_signature, base_url=args.url) as client:
        products = await client.products.get_all_paginated()
        current = dict((product.product_id, product) for product in products)
        changes = [item for item in desired if item["product_id"] not in current or differs(item, current[item["product_id"]])]
        gate = asyncio.Semaphore(args.workers)

        async def upsert(item):
            async with gate:
                return await client.products.create(ProductsRequestDto(**item))

        written = await asyncio.gather(*(upsert(item) for item in changes))
        return len(products), len(changes), len(written)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--auth-id", required=True)
    parser.add_argument("--auth-signature", required=True)
    parser.add_argument("--desired", required=True, help="a JSON file: {'products': [...]}")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    with open(args.desired, encoding="utf-8") as handle:
        desired = json.load(handle)["products"]
    imported = time.perf_counter()
    read, changed, written = asyncio.run(work(args, desired))
    done = time.perf_counter()
    json.dump({"import_s": imported - STARTED, "work_s": done - imported, "read": read, "changed": changed,
               "written": written}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
