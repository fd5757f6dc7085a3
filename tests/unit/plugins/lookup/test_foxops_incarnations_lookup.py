# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The foxops_incarnations lookup against a scripted server: its filters checked by the info module's check before
any request, terms against the incarnation_repository keyword, and each repository read once.

The plugin's options are given as Ansible would hand them over (its option defaults, then the keywords), as the
inventory plugin's tests do: loading it through the plugin loader needs the collection loader, which cannot be
installed once other tests have imported the collection as plain packages."""

from __future__ import annotations

import contextlib
import importlib
import io
import json

import pytest
from ansible.errors import AnsibleError
from ansible.module_utils.testing import patch_module_args

from ansible_collections.apiops.platforms.plugins.lookup import foxops_incarnations as lookup_module
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import FoxopsClient

TOKEN = "tok-LOOKUP-3f7a"


def listed(incarnation_id, repository, directory="."):
    return {"id": incarnation_id, "incarnation_repository": repository, "target_directory": directory,
            "template_repository": "template", "revision": 1, "type": "direct", "commit_sha": "abc",
            "commit_url": "http://hoster/abc", "merge_request_id": None, "merge_request_url": None,
            "created_at": "2026-01-01T00:00:00", "requested_version": "v1.0.0"}


FLEET = [listed(1, "service-a"), listed(2, "service-a", "apps/web"), listed(3, "service-b")]


# The options the lookup documents, with their defaults (None: no default)
DEFAULTS = dict((name, spec.get("default")) for name, spec in FoxopsClient.connection_spec.items())
DEFAULTS.update(incarnation_repository=None, target_directory=None, id=None, details=False)


def query(server, *terms, **kwargs):
    """What ``query('apiops.platforms.foxops_incarnations', *terms, **kwargs)`` returns, connected to ``server``."""
    kwargs = dict(url=server.url, token=TOKEN, retries=0, **kwargs)
    values = dict(DEFAULTS, **kwargs)
    plugin = lookup_module.LookupModule()
    plugin.set_options = lambda var_options=None, direct=None: None
    plugin.get_option = values.__getitem__
    return plugin.run(list(terms), **kwargs)


def info_message(server, **filters):
    """The message foxops_incarnation_info fails with for these filters, run as Ansible runs it."""
    args = dict(filters, url=server.url, token=TOKEN)
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        importlib.import_module("ansible_collections.apiops.platforms.plugins.modules.foxops_incarnation_info").main()
    result = json.loads(out.getvalue())
    assert result["failed"] and result["attempts"] == 0, result
    return result["msg"]


@pytest.mark.parametrize("filters", [
    {"incarnation_repository": ""},
    {"incarnation_repository": "  "},
    {"target_directory": ""},
    {"incarnation_repository": "service-a", "target_directory": " "},
])
def test_an_empty_filter_is_refused_before_any_request_as_the_info_module_refuses_it(server, filters):
    server.script({"body": FLEET})
    with pytest.raises(AnsibleError) as failure:
        query(server, **filters)
    assert server.seen == []
    assert str(failure.value) == "foxops_incarnations: %s" % info_message(server, **filters)
    assert server.seen == []


def test_an_empty_term_is_refused_before_any_request(server):
    server.script({"body": FLEET})
    with pytest.raises(AnsibleError) as failure:
        query(server, "service-a", "service-a", " ")
    assert server.seen == []
    assert str(failure.value) == "foxops_incarnations: term 3 is an incarnation repository: %s" % info_message(
        server, incarnation_repository=" ")


def test_terms_and_the_incarnation_repository_keyword_are_refused_together(server):
    server.script({"body": FLEET})
    with pytest.raises(AnsibleError) as failure:
        query(server, "service-a", incarnation_repository="service-b")
    message = str(failure.value)
    assert "terms" in message and "incarnation_repository" in message and "not both" in message, message
    assert "service-a" in message and "service-b" in message
    assert server.seen == []


def test_a_repository_named_twice_is_read_once(server):
    server.script({"body": FLEET})
    found = query(server, "service-b", "service-a", "service-b", "service-a")
    assert [item["id"] for item in found] == [3, 1, 2]
    assert server.count("GET") == 2


def test_terms_and_filters_read_as_before(server):
    server.script({"body": FLEET})
    assert [item["id"] for item in query(server)] == [1, 2, 3]
    assert [item["id"] for item in query(server, incarnation_repository="service-a")] == [1, 2]
    assert [item["id"] for item in query(server, "service-a", "service-b", target_directory=".")] == [1, 3]
    assert query(server, "no-such-repository") == []
