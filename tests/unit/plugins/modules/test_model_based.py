# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A model-based test of the product modules against the StockTrim sandbox, with faults combined at random.

A hypothesis state machine runs ``stocktrim_product`` (present and absent) and ``stocktrim_products`` in process,
over real HTTP to the sandbox, with at most one fault a task: a 429 or a 503 on a read or a write (once, or more
often than the retries allow), a connection dropped before the server acted, or the answer lost after it acted;
and, at random, another writer who changes a product's stock count between the task's read and its write. Beside
it, a model holds what the tenant must hold. After every task:

* the sandbox equals the model: every product, its id, the fields the tasks own (name, cost) and the stock count
  no task owns (another writer's change is never undone, whatever the task wrote);
* no product was created twice (an id never changes while the product exists);
* ``changed`` was reported exactly when a write may have taken effect, as the sandbox's request log shows it: a
  write answered 2xx, or not answered, or answered 5xx; a 4xx (429 included) means it did not;
* a check run predicts what the real run changes, and sends no write;
* a rerun without faults converges, and the one after it sends no write at all.

Two modes. ``merge``: the sandbox merges the keys a product POST carries (as StockTrim does), and the modules
declare it so (an update carries the key and what differs); the other writer acts when the write arrives.
``replace``: the sandbox replaces the whole product on a POST, and the same engine runs the product resource
declared ``writes="replace"`` (the object is read again just before the write, and that read is sent with the
changes); the other writer acts just after the task's first read. A change inside the one round trip between the
fresh read and the write would be lost there, as the engine's documentation says: it is not tested as kept.

In CI: a fixed seed and fixed counts (``EXAMPLE_COUNT`` runs of at most ``STEPS`` tasks per mode).
``make soak`` runs random seeds, longer (``APIOPS_SOAK_EXAMPLES``, default 300).  The counts of tasks, faults and
outcomes are written to ``$APIOPS_RESULTS/logs/model-based-MODE.json`` when ``APIOPS_RESULTS`` is set.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import io
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from ansible.module_utils.testing import patch_module_args

from ansible_collections.apiops.platforms.plugins.module_utils.core import transport
from ansible_collections.apiops.platforms.plugins.module_utils.core.bulk import Bulk
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import PRODUCT_RESOURCE, PRODUCTS

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from sandbox.stocktrim_sandbox import StockTrimSandbox  # noqa: E402  pylint: disable=wrong-import-position

AUTH_ID = "model-tenant"
AUTH_SIGNATURE = "model-signature-9f1c"
SOAK = os.environ.get("APIOPS_SOAK") == "1"
EXAMPLE_COUNT = int(os.environ.get("APIOPS_SOAK_EXAMPLES", "300")) if SOAK else 25
STEPS = 20 if SOAK else 10
RETRIES = 2  # three attempts: a fault three times outlasts them

IDS = ("A", "B", "C")
NAMES = ("alpha", "beta")
COSTS = (1.0, 2.5)
OWNED = ("name", "cost")

# (method, kind, times): kind is an HTTP status, "drop" (no answer, before the server acted) or "lost" (the answer
# lost after it acted)
FAULTS = [None, ("POST", 429, 1), ("POST", 429, 3), ("POST", 503, 1), ("POST", 503, 3), ("POST", "drop", 1),
          ("POST", "drop", 3), ("POST", "lost", 1), ("POST", "lost", 3), ("GET", 503, 1), ("GET", 429, 3),
          ("GET", "drop", 1), ("GET", "lost", 3), ("DELETE", "lost", 1), ("DELETE", 503, 3), ("DELETE", "drop", 1)]


def replacing(resource):
    """The resource, writing by replacement (a top-level assignment to an attribute would trip the documentation
    parser of the lint, which reads every top-level assignment of a file in a plugins/modules folder as a possible
    doc string)."""
    resource = copy.copy(resource)
    resource.writes = "replace"
    return resource


REPLACING = replacing(PRODUCT_RESOURCE)
SPECS = {
    "merge": {"single": PRODUCT_RESOURCE, "bulk": PRODUCTS},
    "replace": {"single": REPLACING, "bulk": Bulk("products", REPLACING, purge=True)},
}


def run_spec(spec, args, check_mode):
    """Run ``spec`` as its module would be run, in this process: the result it prints."""
    params = dict(args, _ansible_check_mode=check_mode, _ansible_diff=True)
    out = io.StringIO()
    with patch_module_args(params), contextlib.redirect_stdout(out):
        with contextlib.suppress(SystemExit):
            spec.run()
    return json.loads(out.getvalue())


def fault_spec(fault, path):
    method, kind, times = fault
    spec = {"method": method, "path": path, "times": times}
    if kind == "drop":
        spec["drop"] = True
    elif kind == "lost":
        spec.update(drop=True, after_processing=True)
    else:
        spec.update(status=kind, retry_after="0")
    return spec


def may_have_acted(entry):
    """Whether a logged write may have taken effect, as its client saw it."""
    return entry["status"] is None or 200 <= entry["status"] < 300 or entry["status"] >= 500


@pytest.fixture(scope="module")
def sandbox():
    server = StockTrimSandbox(port=0, auth_id=AUTH_ID, auth_signature=AUTH_SIGNATURE)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def no_backoff(monkeypatch):
    """The retries' waits without their sleeps (Retry-After 0 and no jitter): the rules are the same."""
    monkeypatch.setattr(transport.RetryPolicy, "wait_seconds", lambda self, attempt, failure: 0.0)


def machine_for(server, mode, stats):
    specs = SPECS[mode]

    class Products(RuleBasedStateMachine):
        """The tasks, and the model of the tenant (product id: {"id", "name", "cost", "stock"})."""

        def __init__(self):
            super().__init__()
            server.reset()
            server.configure(product_update=mode)
            self.model = {}
            self.counter = 0

        # -- what the sandbox holds, in the model's terms --------------------------------------------------------
        def held(self):
            return dict((p["productId"], {"id": p["id"], "name": p["name"], "cost": p["cost"], "stock": p["stockOnHand"]})
                        for p in server.state()["products"])

        def args(self, given):
            return dict(given, url=server.url, auth_id=AUTH_ID, auth_signature=AUTH_SIGNATURE, retries=RETRIES,
                        timeout=5)

        def run(self, kind, given, check_mode=False, fault=None, interfere=False):
            """One task; ``(result, writes logged)``, and the other writer's changes applied."""
            server.clear_requests()
            server.clear_faults()
            if fault is not None:
                server.add_fault(fault_spec(fault, "/api/Products"))
            changes = {}
            if interfere:
                ids = [item["product_id"] for item in (given.get("products") or [given])]

                def change(api):
                    for product_id in ids:
                        if product_id in api.products:
                            self.counter += 1
                            api.products[product_id]["stockOnHand"] = float(self.counter)
                            changes[product_id] = float(self.counter)
                if mode == "merge":
                    server.another_writer("POST", "/api/Products", change)
                else:
                    server.another_writer("GET", "/api/Products", change, after_processing=True)
            result = run_spec(specs[kind], self.args(given), check_mode)
            server.wait_idle()
            server.clear_faults()
            with server._meta_lock:  # pylint: disable=protected-access
                server._writers = []  # pylint: disable=protected-access
            for product_id, stock in changes.items():
                if product_id in self.model:
                    self.model[product_id]["stock"] = stock
            writes = [entry for entry in server.requests() if entry["method"] != "GET"]
            stats["tasks"] += 1
            stats["faults"] += fault is not None
            stats["interfered"] += bool(changes)
            stats["failed" if result.get("failed") else "succeeded"] += 1
            return result, writes

        # -- what a task must do to the model ----------------------------------------------------------------------
        def expected(self, items, state):
            """The model after a successful task, and whether it changes anything."""
            after, changed = copy.deepcopy(self.model), False
            for item in items:
                pid = item["product_id"]
                if state == "absent":
                    changed |= after.pop(pid, None) is not None
                    continue
                now = after.setdefault(pid, {"id": None, "name": None, "cost": None, "stock": None})
                changed |= pid not in self.model
                for field in OWNED:
                    if item.get(field) is not None and now[field] != item[field]:
                        now[field], changed = item[field], True
            return after, changed

        def settle(self, items, state, before):
            """After a failed task: each product given holds its value before or the one asked for, no other; the
            model takes what the sandbox holds for them."""
            held = self.held()
            for item in items:
                pid = item["product_id"]
                if state == "absent":
                    assert pid not in held or held[pid]["id"] == before.get(pid, {}).get("id"), (pid, held, before)
                    if pid not in held:
                        self.model.pop(pid, None)
                    continue
                if pid not in held:
                    assert pid not in before, "product %s was deleted by a write of present" % pid
                    continue
                if pid in before:
                    assert held[pid]["id"] == before[pid]["id"], "product %s created twice" % pid
                model = self.model.setdefault(pid, {"id": held[pid]["id"], "name": None, "cost": None,
                                                    "stock": held[pid]["stock"]})
                for field in OWNED:
                    allowed = {before.get(pid, {}).get(field), item.get(field) if item.get(field) is not None
                               else before.get(pid, {}).get(field)}
                    assert held[pid][field] in allowed, (pid, field, held[pid][field], allowed)
                    model[field] = held[pid][field]

        def task(self, kind, items, state, fault, interfere):
            given = ({"products": items, "workers": 2} if kind == "bulk" else dict(items[0], state=state))
            if kind == "bulk" and state == "absent":
                given["state"] = "absent"
            after, changes = self.expected(items, state)
            check, writes = self.run(kind, given, check_mode=True)
            assert not writes, writes
            assert not check.get("failed"), check
            assert check["changed"] == changes, (check, self.model)
            before = copy.deepcopy(self.model)
            result, writes = self.run(kind, given, fault=fault, interfere=interfere)
            assert bool(result.get("changed")) == any(may_have_acted(w) for w in writes), (result, writes)
            if result.get("failed"):
                self.settle(items, state, before)
                rerun, writes = self.run(kind, given)
                assert not rerun.get("failed"), rerun
                assert bool(rerun.get("changed")) == any(may_have_acted(w) for w in writes), (rerun, writes)
                after = self.expected(items, state)[0]
            elif not any(w["status"] is None or w["status"] >= 500 for w in writes) and fault is None:
                assert result["changed"] == changes, (result, self.model)
            for pid, product in after.items():
                product["stock"] = self.model.get(pid, product)["stock"]
            self.model = after
            self.sync_ids()
            again, writes = self.run(kind, given)
            assert not again.get("failed") and not again["changed"] and not writes, (again, writes)

        def sync_ids(self):
            """The ids of products created by the task (the model cannot know them beforehand)."""
            held = self.held()
            for pid, product in self.model.items():
                if product["id"] is None and pid in held:
                    product["id"] = held[pid]["id"]

        # -- rules ---------------------------------------------------------------------------------------------------
        @rule(pid=st.sampled_from(IDS), name=st.sampled_from(NAMES + (None,)), cost=st.sampled_from(COSTS + (None,)),
              fault=st.sampled_from(FAULTS), interfere=st.booleans())
        def one_product(self, pid, name, cost, fault, interfere):
            item = dict((k, v) for k, v in (("product_id", pid), ("name", name), ("cost", cost)) if v is not None)
            stats["single"] += 1
            self.task("single", [item], "present", fault, interfere)

        @rule(pid=st.sampled_from(IDS), fault=st.sampled_from(FAULTS))
        def delete_product(self, pid, fault):
            stats["delete"] += 1
            self.task("single", [{"product_id": pid}], "absent", fault, False)

        @rule(items=st.lists(st.fixed_dictionaries({"product_id": st.sampled_from(IDS)},
                                                   optional={"name": st.sampled_from(NAMES),
                                                             "cost": st.sampled_from(COSTS)}),
                             min_size=1, max_size=3, unique_by=lambda item: item["product_id"]),
              fault=st.sampled_from(FAULTS), interfere=st.booleans())
        def many_products(self, items, fault, interfere):
            stats["bulk"] += 1
            self.task("bulk", items, "present", fault, interfere)

        @invariant()
        def the_sandbox_equals_the_model(self):
            assert self.held() == self.model

    return Products


@pytest.mark.parametrize("mode", ["merge", "replace"])
def test_products_against_the_sandbox_with_faults_and_another_writer(mode, sandbox, no_backoff):
    stats = collections.Counter()
    machine = machine_for(sandbox, mode, stats)
    run_state_machine_as_test(machine, settings=settings(
        max_examples=EXAMPLE_COUNT, stateful_step_count=STEPS, deadline=None, derandomize=not SOAK, database=None,
        suppress_health_check=list(HealthCheck)))
    results = os.environ.get("APIOPS_RESULTS")
    if results:
        folder = Path(results) / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ("model-based-%s.json" % mode)).write_text(json.dumps(dict(stats, seed="random" if SOAK else "fixed",
                                                                             examples=EXAMPLE_COUNT, steps=STEPS)))
    assert stats["tasks"] > 0 and stats["faults"] > 0 and stats["interfered"] > 0, stats
