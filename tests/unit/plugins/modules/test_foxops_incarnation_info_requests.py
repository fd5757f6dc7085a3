# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""foxops_incarnation_info, run as Ansible runs it (its ``main()``) against a scripted server, counting what it
sends: one list read per call, the server's version (``GET /version``) only when ``server_version`` asks."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.apiops.platforms.plugins.modules import foxops_incarnation_info

TOKEN = "tok-INFO-3b7e"
LISTED = [{"id": 1, "incarnation_repository": "inc1", "target_directory": ".", "template_repository": "template",
           "revision": 1, "type": "direct", "requested_version": "v1.0.0", "created_at": None, "commit_sha": "abc",
           "commit_url": None, "merge_request_id": None, "merge_request_url": None}]


def run(server, **params):
    out = io.StringIO()
    with patch_module_args(dict({"url": server.url, "token": TOKEN}, **params)), \
            contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        foxops_incarnation_info.main()
    return json.loads(out.getvalue())


def paths(server):
    return [(s["method"], s["path"].split("?")[0]) for s in server.seen]


@pytest.mark.parametrize("params", [{}, {"incarnation_repository": "inc1"}, {"retries": 0}])
def test_an_info_call_sends_exactly_one_request(params, server):
    server.script({"body": LISTED})
    result = run(server, **params)
    assert not result.get("failed"), result
    assert paths(server) == [("GET", "/api/incarnations")]
    assert [i["id"] for i in result["incarnations"]] == [1] and "server_version" not in result


def test_a_failed_info_call_with_retries_off_sends_one_request(server):
    server.script({"status": 503, "body": {"detail": "busy"}})
    result = run(server, retries=0)
    assert result["failed"] and result["error"] == "server" and result["attempts"] == 1
    assert paths(server) == [("GET", "/api/incarnations")]


def test_the_server_version_is_read_when_asked(server):
    server.script({"body": "2.9.1"}, {"body": LISTED})
    result = run(server, server_version=True)
    assert not result.get("failed"), result
    assert paths(server) == [("GET", "/version"), ("GET", "/api/incarnations")]
    assert result["server_version"] == "2.9.1" and len(result["incarnations"]) == 1
