# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The forecast's processing status read over real HTTP: an answer that is not JSON is a failure, never a
status taken as "finished"."""

from __future__ import annotations

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import forecast
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import TransportError
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient
from ansible_collections.apiops.platforms.plugins.module_utils.core.transport import RetryPolicy, Transport


def client(url):
    return StockTrimClient(Transport(url, timeout=5, policy=RetryPolicy(retries=0)))


def test_a_status_that_is_not_json_fails_the_wait_instead_of_ending_it(server):
    server.script({"status": 200, "body": "OK"})
    with pytest.raises(TransportError, match="not JSON") as err:
        forecast.wait_for_forecast(client(server.url), 5, 0.01, clock=lambda: 0.0, pause=lambda _s: None)
    assert err.value.result()["status"] == 200
    assert err.value.result()["error"] == "transport"
    assert server.count("GET") == 1


def test_a_status_read_as_json_is_still_read(server):
    server.script({"body": {"id": 1, "isProcessing": False, "percentageComplete": 100, "statusMessage": "Done"}})
    assert forecast.processing_status(client(server.url))["is_processing"] is False
    server.script({"body": {"id": 1, "percentageComplete": 40}})
    assert forecast.processing_status(client(server.url))["is_processing"] is True
