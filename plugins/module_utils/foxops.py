# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Foxops API client and the incarnation model."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.connection import (
    FOXOPS_CONNECTION_SPEC,
    ApiClient,
    make_transport,
    require,
)
from ansible_collections.apiops.platforms.plugins.module_utils.errors import NotFoundError
from ansible_collections.apiops.platforms.plugins.module_utils.models import Field, Model

INCARNATION = Model(
    Field("id", type="int", readonly=True),
    Field("incarnation_repository", api="incarnation_repository"),
    Field("target_directory", api="target_directory"),
    Field("template_repository", api="template_repository"),
    Field("template_repository_version", api="template_repository_version"),
    Field("template_repository_version_hash", api="template_repository_version_hash", readonly=True),
    Field("template_data", api="template_data", type="dict"),
    Field("template_data_full", api="template_data_full", type="dict", readonly=True),
    Field("revision", type="int", readonly=True),
    Field("commit_sha", api="commit_sha", readonly=True),
    Field("commit_url", api="commit_url", readonly=True),
    Field("merge_request_id", api="merge_request_id", readonly=True),
    Field("merge_request_url", api="merge_request_url", readonly=True),
    Field("merge_request_status", api="merge_request_status", readonly=True),
    Field("status", readonly=True),
)

INCARNATION_LIST_ITEM = Model(
    Field("id", type="int"),
    Field("incarnation_repository", api="incarnation_repository"),
    Field("target_directory", api="target_directory"),
    Field("template_repository", api="template_repository"),
    Field("revision", type="int"),
    Field("type"),
    Field("requested_version", api="requested_version"),
    Field("created_at", api="created_at"),
    Field("commit_sha", api="commit_sha"),
    Field("commit_url", api="commit_url"),
    Field("merge_request_id", api="merge_request_id"),
    Field("merge_request_url", api="merge_request_url"),
)

CHANGE = Model(
    Field("id", type="int"),
    Field("type"),
    Field("incarnation_id", api="incarnation_id", type="int"),
    Field("revision", type="int"),
    Field("requested_version", api="requested_version"),
    Field("requested_version_hash", api="requested_version_hash"),
    Field("requested_data", api="requested_data", type="dict"),
    Field("template_data_full", api="template_data_full", type="dict"),
    Field("created_at", api="created_at"),
    Field("commit_sha", api="commit_sha"),
    Field("merge_request_id", api="merge_request_id"),
    Field("merge_request_branch_name", api="merge_request_branch_name"),
    Field("merge_request_status", api="merge_request_status"),
)


class FoxopsClient(ApiClient):
    """Calls of the Foxops incarnation API, returning model dicts."""

    connection_spec = FOXOPS_CONNECTION_SPEC

    @classmethod
    def from_options(cls, options, warn=None):
        token = require(options, "token")
        transport = make_transport(options, {"Authorization": "Bearer %s" % token}, secrets=(token,), warn=warn)
        return cls(transport)

    def _json(self, method, path, **kwargs):
        return self.transport.request(method, path, **kwargs).json()

    def verify_token(self):
        """Fail with an authentication error before anything else when the token is wrong."""
        self.transport.request("GET", "/auth/test")

    def list_incarnations(self, incarnation_repository=None, target_directory=None):
        """Incarnations matching the filters; the server's 404 for "no match" becomes an empty list."""
        params = {}
        if incarnation_repository:
            params["incarnation_repository"] = incarnation_repository
            params["target_directory"] = target_directory or "."
        try:
            items = self._json("GET", "/api/incarnations", params=params or None) or []
        except NotFoundError:
            return []
        return [INCARNATION_LIST_ITEM.from_api(item) for item in items]

    def get_incarnation(self, incarnation_id):
        return INCARNATION.from_api(self._json("GET", "/api/incarnations/%d" % int(incarnation_id)))

    def find_incarnation(self, incarnation_repository, target_directory="."):
        """The incarnation at repository + directory with its details, or None."""
        matches = self.list_incarnations(incarnation_repository, target_directory or ".")
        matches = [m for m in matches if m["incarnation_repository"] == incarnation_repository
                   and (m["target_directory"] or ".") == (target_directory or ".")]
        if not matches:
            return None
        return self.get_incarnation(matches[0]["id"])

    def create_incarnation(self, incarnation_repository, target_directory, template_repository,
                           template_repository_version, template_data):
        body = {
            "incarnation_repository": incarnation_repository,
            "target_directory": target_directory or ".",
            "template_repository": template_repository,
            "template_repository_version": template_repository_version,
            "template_data": template_data or {},
        }
        return INCARNATION.from_api(self._json("POST", "/api/incarnations", json=body))

    def patch_incarnation(self, incarnation_id, requested_version=None, requested_data=None, automerge=True):
        body = {"requested_version": requested_version, "requested_data": requested_data, "automerge": bool(automerge)}
        return INCARNATION.from_api(self._json("PATCH", "/api/incarnations/%d" % int(incarnation_id), json=body))

    def put_incarnation(self, incarnation_id, template_repository_version, template_data, automerge=True):
        body = {"template_repository_version": template_repository_version, "template_data": template_data or {},
                "automerge": bool(automerge)}
        return INCARNATION.from_api(self._json("PUT", "/api/incarnations/%d" % int(incarnation_id), json=body))

    def delete_incarnation(self, incarnation_id):
        self.transport.request("DELETE", "/api/incarnations/%d" % int(incarnation_id))

    def diff(self, incarnation_id):
        return self.transport.request("GET", "/api/incarnations/%d/diff" % int(incarnation_id)).text or ""

    def reset(self, incarnation_id, requested_version, requested_data):
        body = {"requested_version": requested_version, "requested_data": requested_data or {}}
        return self._json("POST", "/api/incarnations/%d/reset" % int(incarnation_id), json=body)

    def list_changes(self, incarnation_id):
        return [CHANGE.from_api(c) for c in self._json("GET", "/api/incarnations/%d/changes" % int(incarnation_id)) or []]

    def create_change(self, incarnation_id, requested_version, requested_data, change_type="direct"):
        body = {"requested_version": requested_version, "requested_data": requested_data or {}, "change_type": change_type}
        return CHANGE.from_api(self._json("POST", "/api/incarnations/%d/changes" % int(incarnation_id), json=body))
