# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the StockTrim sandbox tests: one sandbox per session, reset before every test, and a small client."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from sandbox.stocktrim_sandbox import StockTrimSandbox  # noqa: E402  pylint: disable=wrong-import-position

AUTH_ID = "sandbox-test-tenant"
AUTH_SIGNATURE = "sandbox-test-signature-5d1e"
AUTH_HEADERS = {"api-auth-id": AUTH_ID, "api-auth-signature": AUTH_SIGNATURE}


class Client:
    """requests against one sandbox, with the auth headers unless told otherwise."""

    def __init__(self, base_url, headers=None):
        self.base_url = base_url
        self.session = requests.Session()
        self.headers = dict(AUTH_HEADERS if headers is None else headers)

    def request(self, method, path, **kwargs):
        headers = dict(self.headers)
        headers.update(kwargs.pop("headers", None) or {})
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.base_url + path, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def close(self):
        self.session.close()


@pytest.fixture(scope="session")
def sandbox_server():
    server = StockTrimSandbox(port=0, auth_id=AUTH_ID, auth_signature=AUTH_SIGNATURE)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server):
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.reset()


@pytest.fixture
def api(sandbox):
    client = Client(sandbox.url)
    yield client
    client.close()


@pytest.fixture
def control(sandbox):
    """A client for /_sandbox/ (sends no auth headers)."""
    client = Client(sandbox.url, headers={})
    yield client
    client.close()
