# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retry safety declared per call, rate limits, deletes settled by a read, secrets in URLs, TLS files: the rules
of "Retries and errors, precisely", against a scripted HTTP server."""

from __future__ import annotations

import threading

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core import errors
from ansible_collections.apiops.platforms.plugins.module_utils.core.transport import (
    RetryPolicy,
    Transport,
    safe_url,
)
from ansible_collections.apiops.platforms.plugins.module_utils.core.settle import settle_delete
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import FoxopsClient
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import catalogue


def make(url, retries=3, timeout=5):
    waits = []
    return Transport(url, timeout=timeout, policy=RetryPolicy(retries=retries, backoff=0.01), sleep=waits.append), waits


def incarnation(number, repository, directory="."):
    return {"id": number, "incarnation_repository": repository, "target_directory": directory,
            "template_repository": "template", "template_repository_version": "v1.0.0", "template_data": {},
            "template_data_full": {}, "revision": 1, "commit_sha": "abc", "commit_url": "u",
            "merge_request_id": None, "merge_request_url": None, "status": "success"}


# -- every call declares whether it is safe to repeat --------------------------------------------------------------
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "POST"])
def test_a_call_that_does_not_declare_its_safety_is_refused_before_it_is_sent(server, method):
    server.script({"status": 200})
    transport, _waits = make(server.url)
    with pytest.raises(ValueError, match="safe to repeat"):
        transport.request(method, "/x")
    assert server.count() == 0


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_a_put_or_delete_declared_unsafe_is_not_sent_again_after_a_lost_answer(server, method):
    server.script({"status": 503}, {"status": 200})
    transport, waits = make(server.url)
    with pytest.raises(errors.ServerError) as info:
        transport.request(method, "/api/incarnations/1", idempotent=False)
    assert server.count() == 1 and waits == []
    assert info.value.may_have_acted and "may already have acted" in info.value.msg


# -- rate limits ------------------------------------------------------------------------------------------------------
def test_429_is_retried_even_for_a_call_that_is_not_safe_to_repeat(server):
    server.script({"status": 429}, {"status": 201})
    transport, waits = make(server.url)
    assert transport.request("POST", "/api/RunForecastCalculations", idempotent=False).status == 201
    assert server.count("POST") == 2 and len(waits) == 1


def test_429_after_the_retries_is_rate_limited_and_says_the_server_did_not_act(server):
    server.script({"status": 429, "body": {"message": "slow down"}})
    transport, _waits = make(server.url, retries=2)
    with pytest.raises(errors.ApiError) as info:
        transport.request("POST", "/api/SalesOrders", json={}, idempotent=False)
    err = info.value
    assert err.kind == "rate_limited" and err.result()["error"] == "rate_limited"
    assert err.status == 429 and err.attempts == 3 and server.count() == 3
    assert not err.may_have_acted and "may already have acted" not in err.msg


@pytest.mark.parametrize("status", [405, 413, 415])
def test_other_refusals_stay_validation(server, status):
    server.script({"status": status})
    transport, _waits = make(server.url)
    with pytest.raises(errors.ValidationError) as info:
        transport.request("GET", "/x", idempotent=True)
    assert info.value.kind == "validation" and server.count() == 1


@pytest.mark.parametrize("status,acted", [(500, True), (502, True), (504, True), (400, False), (404, False),
                                          (409, False), (429, False)])
def test_may_have_acted_follows_the_answer(server, status, acted):
    server.script({"status": status})
    transport, _waits = make(server.url, retries=0)
    with pytest.raises(errors.ApiError) as info:
        transport.request("POST", "/x", idempotent=False)
    assert info.value.may_have_acted is acted


def test_a_read_timeout_may_have_acted_and_a_refused_connection_did_not(server, closed_port_url):
    held = threading.Event()
    server.script({"hold": held})
    transport, _waits = make(server.url, retries=0, timeout=0.3)
    with pytest.raises(errors.RequestTimeoutError) as info:
        transport.request("POST", "/x", idempotent=False)
    assert info.value.may_have_acted
    held.set()
    refused, _waits = make(closed_port_url, retries=0)
    with pytest.raises(errors.TransportError) as info:
        refused.request("POST", "/x", idempotent=False)
    assert not info.value.may_have_acted


# -- deletes whose answer was lost are settled by a read --------------------------------------------------------------
class Lost(errors.ServerError):
    def __init__(self):
        super(Lost, self).__init__("lost", status=504)
        self.sent = True


def test_settle_delete_gone_after_a_lost_answer_is_done():
    sent = []

    def send():
        sent.append(1)
        raise Lost()
    assert settle_delete(send, lambda: False) is True and len(sent) == 1


def test_settle_delete_still_there_after_a_lost_answer_is_sent_once_more():
    sent = []

    def send():
        sent.append(1)
        if len(sent) == 1:
            raise Lost()
        return True
    assert settle_delete(send, lambda: True) is True and len(sent) == 2


def test_settle_delete_refused_is_raised_without_a_read():
    def send():
        raise errors.ConflictError("no", status=409)

    def exists():
        raise AssertionError("no read after a refusal")
    with pytest.raises(errors.ConflictError):
        settle_delete(send, exists)


def test_settle_delete_a_failing_read_reports_the_lost_delete():
    def send():
        raise Lost()

    def exists():
        raise errors.ServerError("read failed", status=500)
    with pytest.raises(Lost) as info:
        settle_delete(send, exists)
    assert info.value.may_have_acted


def test_a_stocktrim_delete_whose_answer_is_lost_is_settled_by_a_read(server):
    # the DELETE worked but its answer was lost (504); the product is gone on the read: done, one DELETE only
    server.script({"status": 504}, {"status": 404})
    client = StockTrimClient(make(server.url)[0])
    assert catalogue.delete_product(client, "P-1") is True
    assert [s["method"] for s in server.seen] == ["DELETE", "GET"]


def test_a_foxops_delete_is_not_sent_again_when_the_id_now_holds_another_incarnation(server):
    # the DELETE worked, its answer was lost; Foxops reused the id for another incarnation meanwhile
    server.script({"status": 502}, {"status": 200, "body": incarnation(7, "other-repo")})
    client = FoxopsClient(make(server.url)[0])
    client.delete_incarnation(7, holding=incarnation(7, "billing"))
    assert [s["method"] for s in server.seen] == ["DELETE", "GET"]


def test_a_foxops_delete_still_holding_the_incarnation_is_sent_once_more(server):
    server.script({"status": 502}, {"status": 200, "body": incarnation(7, "billing")}, {"status": 204, "body": ""})
    client = FoxopsClient(make(server.url)[0])
    client.delete_incarnation(7, holding=incarnation(7, "billing"))
    assert [s["method"] for s in server.seen] == ["DELETE", "GET", "DELETE"]


def test_a_foxops_delete_gone_after_a_lost_answer_is_done(server):
    server.script({"status": 503}, {"status": 404, "body": {"message": "could not find incarnation in DB with id: 7"}})
    client = FoxopsClient(make(server.url)[0])
    client.delete_incarnation(7, holding=incarnation(7, "billing"))
    assert [s["method"] for s in server.seen] == ["DELETE", "GET"]


# -- credentials and secrets -----------------------------------------------------------------------------------------
def test_secret_looking_query_values_are_masked_in_urls(server):
    server.script({"status": 500})
    transport, _waits = make(server.url, retries=0)
    with pytest.raises(errors.ServerError) as info:
        transport.request("GET", "/x", params={"apiKey": "s3cr3t-value", "productId": "P-1"}, idempotent=True)
    assert "s3cr3t-value" not in info.value.url and "s3cr3t-value" not in info.value.msg
    assert "apiKey=********" in info.value.url and "productId=P-1" in info.value.url
    assert safe_url("https://h/x?access_token=abc&page=2") == "https://h/x?access_token=********&page=2"


def test_a_ca_path_that_does_not_exist_is_refused_before_any_request(server, tmp_path):
    missing = str(tmp_path / "no-such-bundle.pem")
    with pytest.raises(errors.InputError, match="ca_path") as info:
        Transport(server.url, ca_path=missing)
    assert missing in info.value.msg and server.count() == 0
