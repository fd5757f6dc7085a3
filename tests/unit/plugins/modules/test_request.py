# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""foxops_request and stocktrim_request, run as Ansible runs them (their ``main()``) against a scripted server:
the options' checks, the changed rule, check mode, the retry rule of each method, the expected statuses and the
result with its secrets masked."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import threading

import pytest

from ansible.module_utils.testing import patch_module_args

PACKAGE = "ansible_collections.apiops.platforms.plugins.modules."
TOKEN = "tok-REQUEST-5d1c"
SIGNATURE = "sig-REQUEST-8e2a"
MODULES = ["foxops_request", "stocktrim_request"]
NO_RETRY_WAIT = {"Retry-After": "0"}


def connection(name, server):
    if name == "foxops_request":
        return {"url": server.url, "token": TOKEN}
    return {"url": server.url, "auth_id": "tenant", "auth_signature": SIGNATURE}


def run(name, server, check_mode=False, **params):
    args = dict(connection(name, server), **params)
    if check_mode:
        args["_ansible_check_mode"] = True
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        importlib.import_module(PACKAGE + name).main()
    text = out.getvalue()
    assert TOKEN not in text and SIGNATURE not in text
    return json.loads(text)


@pytest.mark.parametrize("name", MODULES)
@pytest.mark.parametrize("option, value, words", [
    ("path", "https://elsewhere.example.com/api/x", "absolute URL"),
    ("path", "//elsewhere.example.com/api/x", "absolute URL"),
    ("path", "elsewhere.example.com:443/api", "absolute URL"),
    ("path", "/api/../../admin", "'..'"),
    ("path", "/api/%2e%2E/admin", "'..'"),
    ("path", "/api/x%2F..%2Fy", "'..'"),
    ("path", "/api/Customers?code=1", "query"),
    ("path", "/api/x#part", "fragment"),
    ("path", "/api/x\r\nX-Injected: 1", "control characters"),
    ("path", " ", "empty"),
    ("query", {"filter": {"nested": 1}}, "filter"),
    ("body", "{not json", "JSON document"),
    ("body", {"value": float("nan")}, "finite numbers"),
    ("status_code", [], "at least one"),
    ("status_code", [200, 700], "100 to 599"),
])
def test_bad_options_are_refused_before_any_request_naming_the_option(name, option, value, words, server):
    server.script({"status": 500})
    params = {"method": "POST", "path": "/api/x"}
    params[option] = value
    result = run(name, server, **params)
    assert result["failed"] and option in result["msg"] and words in result["msg"], result["msg"]
    assert result["error"] == "validation" and result["attempts"] == 0
    assert server.seen == []


@pytest.mark.parametrize("name", MODULES)
def test_a_body_is_refused_with_a_read(name, server):
    server.script({"status": 500})
    result = run(name, server, path="/api/x", body={"a": 1})
    assert result["failed"] and "body" in result["msg"] and "GET" in result["msg"] and server.seen == []


@pytest.mark.parametrize("name", MODULES)
@pytest.mark.parametrize("method, changed, expected", [
    ("GET", None, False), ("HEAD", None, False), ("POST", None, True), ("PUT", None, True), ("PATCH", None, True),
    ("DELETE", None, True), ("POST", False, False), ("GET", True, True),
])
def test_changed_follows_the_method_unless_given(name, method, changed, expected, server):
    server.script({"body": {"ok": True}})
    params = {"method": method, "path": "api/things/1"}
    if changed is not None:
        params["changed"] = changed
    result = run(name, server, **params)
    assert result["changed"] is expected and result["status"] == 200 and result["method"] == method
    assert [(s["method"], s["path"]) for s in server.seen] == [(method, "/api/things/1")]


@pytest.mark.parametrize("name", MODULES)
def test_check_mode_sends_reads_and_no_write(name, server):
    server.script({"body": [{"code": "A"}]})
    read = run(name, server, check_mode=True, path="/api/Customers", query={"active": True, "code": ["A", "B"]})
    assert not read["changed"] and read["json"] == [{"code": "A"}] and read["attempts"] == 1
    assert server.seen[0]["path"] == "/api/Customers?active=true&code=A&code=B"
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        server.script({"status": 500})
        write = run(name, server, check_mode=True, method=method, path="/api/Customers", body={"code": "A"})
        assert server.seen == []
        assert write["changed"] and write["status"] is None and write["json"] is None and write["attempts"] == 0
        assert write["url"] == server.url + "/api/Customers" and write["method"] == method and write["headers"] == {}


@pytest.mark.parametrize("name", MODULES)
def test_check_mode_sends_what_the_task_declares_as_not_changing(name, server):
    # a query sent as POST, declared not changing: sent in check mode, with the answer a real run gets
    server.script({"body": [{"productCode": "A"}]})
    quiet = run(name, server, check_mode=True, method="POST", path="/api/OrderPlan", body={"searchString": "A"},
                changed=False)
    assert [(s["method"], s["path"], json.loads(s["body"])) for s in server.seen] == [
        ("POST", "/api/OrderPlan", {"searchString": "A"})]
    real = run(name, server, method="POST", path="/api/OrderPlan", body={"searchString": "A"}, changed=False)
    assert not quiet["changed"] and quiet["status"] == 200 and quiet["json"] == [{"productCode": "A"}]
    assert quiet["attempts"] == 1 and {k: v for k, v in quiet.items() if k != "headers"} == {
        k: v for k, v in real.items() if k != "headers"}
    # a read the task declares as changing something is a write to check mode: not sent
    server.script({"status": 500})
    loud = run(name, server, check_mode=True, path="/api/Trigger", changed=True)
    assert server.seen == [] and loud["changed"] and loud["status"] is None and loud["attempts"] == 0


@pytest.mark.parametrize("name", MODULES)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_write_answered_with_an_expected_error_status_is_not_changed(name, method, server):
    body = {"code": "A"} if method != "DELETE" else None
    server.script({"status": 404, "body": {"message": "no such thing"}})
    gone = run(name, server, method=method, path="/api/things/9", body=body, status_code=[200, 204, 404])
    assert not gone.get("failed") and gone["status"] == 404 and gone["changed"] is False and server.count() == 1
    server.script({"status": 204, "body": ""})
    done = run(name, server, method=method, path="/api/things/9", body=body, status_code=[200, 204, 404])
    assert done["status"] == 204 and done["changed"] is True
    # the task's changed option still decides when given
    server.script({"status": 404, "body": {"message": "no such thing"}})
    told = run(name, server, method=method, path="/api/things/9", body=body, status_code=[404], changed=True)
    assert told["status"] == 404 and told["changed"] is True
    # check mode sends no write and cannot know the answer: it reports what a write reports
    server.script({"status": 500})
    check = run(name, server, check_mode=True, method=method, path="/api/things/9", body=body,
                status_code=[200, 204, 404])
    assert server.seen == [] and check["changed"] is True and check["status"] is None


@pytest.mark.parametrize("name", MODULES)
def test_a_delete_whose_answer_was_lost_is_not_sent_again_and_reports_changed(name, server):
    # the DELETE may have been carried out (a 503 after it was sent): a raw request cannot settle it by a read, so it
    # is not sent blind a second time (Foxops reuses the ids of deleted incarnations), and the failure says changed
    server.script({"status": 503, "headers": NO_RETRY_WAIT}, {"status": 404, "body": {"message": "gone"}})
    result = run(name, server, method="DELETE", path="/api/things/9", status_code=[204, 404], retries=3)
    assert result["failed"] and result["status"] == 503 and result["attempts"] == 1 and server.count("DELETE") == 1
    assert result["changed"] is True and "not retried" in result["msg"]


@pytest.mark.parametrize("name", MODULES)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_reads_are_retried(name, method, server):
    server.script({"status": 503, "headers": NO_RETRY_WAIT}, {"status": 502, "headers": NO_RETRY_WAIT}, {"body": {"ok": 1}})
    result = run(name, server, method=method, path="/api/x", retries=3)
    assert result["status"] == 200 and result["attempts"] == 3 and server.count(method) == 3
    assert result["changed"] is False


@pytest.mark.parametrize("name", MODULES)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_rate_limited_write_is_retried_as_the_server_did_not_act(name, method, server):
    server.script({"status": 429, "headers": NO_RETRY_WAIT}, {"body": {"ok": 1}})
    result = run(name, server, method=method, path="/api/x", retries=3)
    assert result["status"] == 200 and result["attempts"] == 2 and server.count(method) == 2


@pytest.mark.parametrize("name", MODULES)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writes_are_never_sent_twice(name, method, server):
    # a raw request cannot know whether its operation is safe to repeat (a Foxops PUT opens a change): sent once
    server.script({"status": 503, "headers": NO_RETRY_WAIT}, {"body": {"ok": 1}})
    result = run(name, server, method=method, path="/api/x", body={"a": 1}, retries=3)
    assert result["failed"] and result["status"] == 503 and result["attempts"] == 1 and server.count(method) == 1
    assert "not retried" in result["msg"] and result["error"] == "server" and result["changed"] is True
    held = threading.Event()  # the answer waits for it: the read timeout fires first, however busy the machine
    server.script({"hold": held})
    timed_out = run(name, server, method=method, path="/api/x", body={"a": 1}, retries=3, timeout=0.5)
    held.set()  # the slow handler answers now, to a client that has given up
    assert server.wait_idle()  # every request taken has been answered: a second one would have been seen
    assert timed_out["failed"] and timed_out["error"] == "timeout" and server.count(method) == 1


@pytest.mark.parametrize("name", MODULES)
def test_a_status_not_expected_is_the_structured_failure(name, server):
    server.script({"status": 404, "body": {"message": "no such thing"}})
    missing = run(name, server, path="/api/things/9")
    assert missing["failed"] and missing["error"] == "not_found" and missing["status"] == 404
    assert missing["method"] == "GET" and missing["url"] == server.url + "/api/things/9"
    assert missing["body"] == "no such thing" and missing["attempts"] == 1 and not missing.get("changed")
    server.script({"status": 200, "body": {"code": "A"}})
    wrong = run(name, server, method="PUT", path="/api/things", body={"code": "A"}, status_code=[201])
    assert wrong["failed"] and wrong["status"] == 200 and wrong["method"] == "PUT" and wrong["error"] == "server"
    assert "201" in wrong["msg"] and wrong["url"] == server.url + "/api/things" and wrong["attempts"] == 1
    assert wrong["changed"]  # the server did it: a 2xx


@pytest.mark.parametrize("name", MODULES)
def test_an_expected_error_status_is_an_answer_and_not_retried(name, server):
    server.script({"status": 404, "body": {"message": "gone"}}, {"body": {}})
    result = run(name, server, path="/api/things/9", status_code=[200, 404])
    assert not result.get("failed") and result["status"] == 404 and result["json"] == {"message": "gone"}
    assert server.count() == 1
    server.script({"status": 503, "headers": NO_RETRY_WAIT}, {"body": {}})
    busy = run(name, server, path="/api/x", status_code=[503])
    assert busy["status"] == 503 and busy["attempts"] == 1 and server.count() == 1


@pytest.mark.parametrize("name", MODULES)
def test_the_answer_as_json_or_text_with_its_headers_masked(name, server):
    echo = "seen %s" % (TOKEN if name == "foxops_request" else SIGNATURE)
    server.script({"body": {"echo": echo}, "headers": {"Set-Cookie": "session=abc123", "X-Request-Id": "r-1",
                                                       "X-Echo": echo}})
    result = run(name, server, method="POST", path="/api/x", body=[{"a": 1}, "b", 2, True, None])
    assert json.loads(server.seen[0]["body"]) == [{"a": 1}, "b", 2, True, None]
    assert server.seen[0]["headers"]["Content-Type"] == "application/json"
    assert result["json"] == {"echo": "seen ********"} and result["content"] is None
    assert result["headers"]["set-cookie"] == "********" and result["headers"]["x-request-id"] == "r-1"
    assert result["headers"]["x-echo"] == "seen ********"
    server.script({"body": '{"a": 1}'})
    text_body = run(name, server, method="PUT", path="/api/x", body='{"a": 1}')
    assert json.loads(server.seen[0]["body"]) == {"a": 1} and text_body["json"] == {"a": 1}


def test_a_text_answer_is_content_cut_at_its_limit(server):
    from ansible_collections.apiops.platforms.plugins.module_utils.core import request

    class Answer:
        def __init__(self, text, kind):
            self.text = text
            self.headers = {"Content-Type": kind} if kind else {}

    assert request.answer_of(Answer("2.9.1", "text/plain")) == (None, "2.9.1")
    assert request.answer_of(Answer("42", "text/plain")) == (None, "42")
    assert request.answer_of(Answer("42", None)) == (42, None)
    assert request.answer_of(Answer("not json", "application/json")) == (None, "not json")
    assert request.answer_of(Answer("", "application/json")) == (None, None)
    cut = request.answer_of(Answer("x" * (request.CONTENT_LIMIT + 10), "text/html"))[1]
    assert cut.startswith("x" * request.CONTENT_LIMIT) and cut.endswith("[truncated 10 characters]")


def test_a_head_answer_has_no_body(server):
    server.script({"body": {"ignored": True}, "headers": {"ETag": '"v1"'}})
    result = run("stocktrim_request", server, method="HEAD", path="/api/Products")
    assert result["status"] == 200 and result["json"] is None and result["content"] is None
    assert result["headers"]["etag"] == '"v1"'
