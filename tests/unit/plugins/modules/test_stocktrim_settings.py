# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""StockTrim tenant settings against a scripted server: read, compare without regard to case, write only a change."""

from __future__ import annotations

import json

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import settings as st
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Context
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import InputError
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient


class Exit(Exception):
    pass


class FakeModule:
    def __init__(self, client, params, check_mode=False):
        self.client = client
        self.params = params
        self.check_mode = check_mode
        self._diff = True
        self.result = None

    def warn(self, msg):
        raise AssertionError("unexpected warning: %s" % msg)

    def exit_json(self, **result):
        self.result = result
        raise Exit()


def client_for(server):
    return StockTrimClient.from_options({"url": server.url, "auth_id": "tenant", "auth_signature": "sig", "retries": 0})


def execute(spec, server, params, check_mode=False):
    module = FakeModule(client_for(server), params, check_mode)
    with pytest.raises(Exit):
        spec.execute(Context(module, spec))
    return module.result


def test_settings_compare_without_regard_to_case_and_write_only_a_change(server):
    server.script({"body": {"name": "shopify"}})
    done = execute(st.SETTINGS_RESOURCE, server, {"api": "Shopify"})
    assert not done["changed"] and done["settings"] == {"api": "Shopify"} and server.count("POST") == 0
    server.script({"body": {"name": "StockTrimIncomingApi"}})
    check = execute(st.SETTINGS_RESOURCE, server, {"api": "Xero"}, check_mode=True)
    assert check["changed"] and check["diff"] == {"before": {"api": "StockTrimIncomingApi"}, "after": {"api": "Xero"}}
    assert server.count("POST") == 0
    server.script({"body": {"name": "StockTrimIncomingApi"}}, {"status": 201, "body": ""})
    real = execute(st.SETTINGS_RESOURCE, server, {"api": "Xero"})
    assert real["changed"] and real["settings"] == check["settings"]
    post = [seen for seen in server.seen if seen["method"] == "POST"][0]
    assert post["path"] == "/api/InventoryManagementSystemSettings" and json.loads(post["body"]) == {"api": "Xero"}


def test_settings_info_reads_each_configuration_value(server):
    server.script({"body": {"name": "Master"}}, {"body": {"name": "90"}}, {"body": {"name": None}})
    done = execute(st.SETTINGS_INFO, server, {"configuration_names": ["Forecast Period", "Other"]})
    assert done["settings"] == {"api": "Master", "configuration": {"Forecast Period": "90", "Other": None}}
    assert [seen["path"] for seen in server.seen][1:] == ["/api/Configuration/Forecast%20Period", "/api/Configuration/Other"]
    with pytest.raises(InputError, match=r"configuration_names\[1\] must not be empty"):
        execute(st.SETTINGS_INFO, server, {"configuration_names": ["A", " "]})
