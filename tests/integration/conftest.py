# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration fixtures: the real Foxops server and the StockTrim sandbox, started by the tests on 127.0.0.1.

Each target under ``targets/`` is a role (``tasks/main.yml``) run by ``ansible-playbook --diff`` against
real HTTP; see ``test_targets.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from harness.fault_proxy import FaultProxy  # noqa: E402  pylint: disable=wrong-import-position
from harness.foxops_server import FoxopsServer  # noqa: E402  pylint: disable=wrong-import-position
from sandbox.stocktrim_sandbox import StockTrimSandbox  # noqa: E402  pylint: disable=wrong-import-position

FOXOPS_TOKEN = "integration-token-3f9a"
STOCKTRIM_AUTH_ID = "integration-tenant"
STOCKTRIM_AUTH_SIGNATURE = "integration-signature-71c2"


@pytest.fixture(scope="session")
def foxops_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("foxops")
    server = FoxopsServer(workdir, token=FOXOPS_TOKEN)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def foxops_fault_proxy(foxops_server):
    """The fault proxy of tests/harness/fault_proxy.py in front of the real Foxops server: one a test, so its
    request log holds that test's requests only (every Foxops target runs behind one, without faults but for
    foxops_faults)."""
    with FaultProxy(foxops_server.url) as proxy:
        yield proxy


@pytest.fixture(scope="session")
def stocktrim_sandbox():
    sandbox = StockTrimSandbox(port=0, auth_id=STOCKTRIM_AUTH_ID, auth_signature=STOCKTRIM_AUTH_SIGNATURE)
    sandbox.start()
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="session")
def ansible_env(tmp_path_factory):
    home = tmp_path_factory.mktemp("ansible-home")
    env = dict(os.environ)
    env.update({
        "ANSIBLE_HOME": str(home),
        "ANSIBLE_ROLES_PATH": str(REPO / "tests" / "integration" / "targets"),
        # the test-only lookup `control`: a request to a test server's control API from the controller, no module
        "ANSIBLE_LOOKUP_PLUGINS": str(REPO / "tests" / "integration" / "plugins" / "lookup"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_DEPRECATION_WARNINGS": "true",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        # async jobs keep their results here, not under ~ (which the module and the controller may read apart when
        # HOME is not the account's home)
        "ANSIBLE_ASYNC_DIR": str(home / "async"),
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    })
    for name in ("FOXOPS_URL", "FOXOPS_TOKEN", "STOCKTRIM_URL", "STOCKTRIM_API_AUTH_ID", "STOCKTRIM_API_AUTH_SIGNATURE"):
        env.pop(name, None)
    return env
